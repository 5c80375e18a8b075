package io.mantis.collector.exporter.helper;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Run in a child JVM by {@link PersistentQueueCrashTest}, which kills it with SIGKILL: appends
 * records as fast as it can and acknowledges every other one it takes, writing a line for each
 * enqueue and acknowledgement only after the queue returned, so every written line is a promise
 * the queue made.
 *
 * <p>Lines, appended to the file named by the fourth argument: {@code E <id> <seq>} (record
 * {@code id}'s payload enqueued as {@code seq}), {@code T <seq>} (about to acknowledge: a kill may
 * or may not let that finish), {@code A <seq>} (acknowledged). Logs go to stderr. A file rather
 * than stdout: a line whose write returned is in the file after the kill, while what a pipe still
 * held when the process died depends on how the parent's process library drains it (the test
 * once saw an acknowledgement in the queue's state without the line announcing it).
 */
public final class PersistentQueueCrashChild {
    private static OutputStream out;

    private PersistentQueueCrashChild() {
    }

    /**
     * The payload of record {@code id}: up to 32 KiB, or up to 4 MiB for ids of odd millions.
     * The large ones make the kill land inside a write now and then, which the kernel then cuts
     * short, leaving a torn record.
     */
    static byte[] payload(long id) {
        Random r = new Random(id);
        byte[] b = new byte[r.nextInt(large(id) ? 4 * 1024 * 1024 : 32 * 1024)];
        r.nextBytes(b);
        return b;
    }

    static boolean large(long id) {
        return (id / 1_000_000) % 2 == 1;
    }

    /** One unbuffered write per line to a file opened for appending, so lines never interleave. */
    private static synchronized void line(String s) throws IOException {
        out.write((s + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public static void main(String[] args) throws Exception {
        // Keep stdout for the protocol: console logging resolves System.out when it writes.
        System.setOut(System.err);
        Path dir = Path.of(args[0]);
        long firstId = Long.parseLong(args[1]);
        boolean fsync = Boolean.parseBoolean(args[2]);
        out = new FileOutputStream(args[3], true);
        PersistentQueue q = PersistentQueue.open(dir, PersistentQueue.KIND_OPAQUE, 10_000_000,
                new PersistentQueue.Options(fsync, PersistentQueue.Options.DEFAULTS.segmentBytes()));
        Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    PersistentQueue.Entry e = q.take();
                    if (e.seq() % 2 == 0) {
                        line("T " + e.seq());
                        q.ack(e.seq());
                        line("A " + e.seq());
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        consumer.setDaemon(true);
        consumer.start();
        for (long id = firstId; ; id++) {
            long seq = q.enqueue(payload(id));
            line("E " + id + " " + seq);
        }
    }
}
