package io.mantis.common.wal;

import io.mantis.common.config.DataSize;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link WalCrashIT}, which kills it with SIGKILL: several threads append
 * batches as fast as fsync policy {@code always} lets them, and print {@code A <first id> <count>}
 * for a batch only after its append returned, so every printed line is a promise the WAL made.
 *
 * <p>Thread {@code t} appends ids {@code firstId + t * 10^7} upwards, consecutively, in batches
 * of {@link #batchSize} records.
 */
public final class WalCrashChild {

    static final int THREADS = 4;
    static final int MAX_EXTRA = 2000;
    static final long THREAD_STRIDE = 10_000_000L;
    private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private WalCrashChild() {
    }

    /** The size of the batch that starts at {@code id}. */
    static int batchSize(long id) {
        return 1 + (int) (id % 3);
    }

    /** One write per line: a pipe write this short is atomic, so lines never interleave. */
    private static synchronized void line(String s) throws IOException {
        OUT.write((s + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public static void main(String[] args) throws Exception {
        System.setOut(System.err);
        Path dir = Path.of(args[0]);
        long firstId = Long.parseLong(args[1]);
        WriteAheadLog wal = WriteAheadLog.open(dir, WalConfig.DEFAULTS.withSegmentSize(DataSize.ofKibibytes(256)));
        wal.replay((rec, seg) -> { });
        for (int t = 0; t < THREADS; t++) {
            long base = firstId + t * THREAD_STRIDE;
            Thread worker = new Thread(() -> {
                try {
                    for (long id = base; ; ) {
                        int n = batchSize(id);
                        wal.append(Records.batch(id, n, MAX_EXTRA));
                        line("A " + id + " " + n);
                        id += n;
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            worker.start();
        }
    }
}
