package io.mantis.collector.exporter.helper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of fsync in the persistent queue, for docs/format/persistent-queue.md. Not part of the
 * build (the class name matches none of Surefire's test patterns); run it with
 * {@code ./mvnw -q -pl mantis-collector -am test -Dtest=PersistentQueueFsyncCost
 * -Dsurefire.failIfNoSpecifiedTests=false} and read its output in
 * {@code mantis-collector/target/surefire-reports/}. The temporary directory must be on the disk
 * being measured (not tmpfs).
 */
class PersistentQueueFsyncCost {
    private static final int PAYLOAD = 4096;

    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        System.out.println("file system of " + tmp + ": " + Files.getFileStore(tmp).type());
        for (boolean fsync : new boolean[] {true, false}) {
            int n = fsync ? 3000 : 30000;
            enqueueOnly(fsync, 1, n);
            enqueueOnly(fsync, 8, n);
            roundTrip(fsync, n);
        }
    }

    /** Producers appending 4 KiB records; nothing consumes. */
    private void enqueueOnly(boolean fsync, int threads, int total) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "q");
        try (PersistentQueue q = PersistentQueue.open(dir, PersistentQueue.KIND_OPAQUE, Integer.MAX_VALUE,
                new PersistentQueue.Options(fsync, PersistentQueue.Options.DEFAULTS.segmentBytes()))) {
            byte[] payload = new byte[PAYLOAD];
            long[] latencies = new long[total];
            int per = total / threads;
            List<Thread> ts = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int base = t * per;
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < per; i++) {
                            long t0 = System.nanoTime();
                            q.enqueue(payload);
                            latencies[base + i] = System.nanoTime() - t0;
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) {
                th.join();
            }
            report("enqueue, " + threads + " producer" + (threads > 1 ? "s" : ""), fsync, per * threads,
                    System.nanoTime() - start, Arrays.copyOf(latencies, per * threads));
        }
    }

    /** One producer, one consumer acknowledging each record: the queue's full per-batch work. */
    private void roundTrip(boolean fsync, int total) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "q");
        try (PersistentQueue q = PersistentQueue.open(dir, PersistentQueue.KIND_OPAQUE, Integer.MAX_VALUE,
                new PersistentQueue.Options(fsync, PersistentQueue.Options.DEFAULTS.segmentBytes()))) {
            byte[] payload = new byte[PAYLOAD];
            long[] latencies = new long[total];
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                q.enqueue(payload);
                PersistentQueue.Entry e = q.take(1, TimeUnit.SECONDS);
                q.ack(e.seq());
                latencies[i] = System.nanoTime() - t0;
            }
            report("enqueue + take + ack", fsync, total, System.nanoTime() - start, latencies);
        }
    }

    private static void report(String what, boolean fsync, int n, long nanos, long[] latencies) {
        Arrays.sort(latencies);
        System.out.printf("%-24s fsync %-5s %8.0f per second, latency median %7.3f ms, p99 %7.3f ms%n", what,
                fsync, n / (nanos / 1e9), latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6);
    }
}
