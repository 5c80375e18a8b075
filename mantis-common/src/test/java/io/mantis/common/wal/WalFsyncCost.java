package io.mantis.common.wal;

import io.mantis.common.config.DataSize;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * What each fsync policy costs: appends per second and MB/s with 1 and 8 committing threads.
 * Not a test (the name keeps surefire from running it by default, and it asserts nothing); run it
 * with {@code ./mvnw -q -pl mantis-common -am test -Dtest=WalFsyncCost
 * -Dsurefire.failIfNoSpecifiedTests=false} and read target/surefire-reports/*WalFsyncCost-output.txt.
 */
class WalFsyncCost {

    private static final Duration RUN = Duration.ofSeconds(3);

    @Test
    void measure() throws Exception {
        System.out.println("policy    threads  record    commits/s        MB/s   commits/fsync  p50 ms   p99 ms");
        for (int size : new int[] {256, 8192}) {
            run(FsyncPolicy.ALWAYS, 1, size);
            run(FsyncPolicy.ALWAYS, 8, size);
            run(FsyncPolicy.INTERVAL, 1, size);
            run(FsyncPolicy.INTERVAL, 8, size);
            run(FsyncPolicy.NEVER, 1, size);
            run(FsyncPolicy.NEVER, 8, size);
        }
    }

    private static void run(FsyncPolicy policy, int threads, int recordBytes) throws Exception {
        Path dir = Files.createTempDirectory("wal-cost");
        WalConfig config = new WalConfig(DataSize.ofMebibytes(128), policy, Duration.ofMillis(200),
                WalConfig.DEFAULTS.writeBufferSize());
        LongAdder commits = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, config)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long[] lat = new long[2_000_000];
                latencies.add(lat);
                Thread w = new Thread(() -> {
                    ByteBuffer rec = ByteBuffer.allocate(recordBytes);
                    int i = 0;
                    try {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            wal.append(rec);
                            if (i < lat.length) {
                                lat[i++] = System.nanoTime() - t0;
                            }
                            commits.increment();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    lat[lat.length - 1] = i;
                });
                workers.add(w);
            }
            long start = System.nanoTime();
            workers.forEach(Thread::start);
            Thread.sleep(RUN.toMillis());
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long n = commits.sum();
            long fsyncs = Math.max(1, wal.metrics().fsyncs());
            List<Long> all = new ArrayList<>();
            for (long[] lat : latencies) {
                int count = (int) lat[lat.length - 1];
                for (int i = 0; i < count; i++) {
                    all.add(lat[i]);
                }
            }
            all.sort(null);
            double p50 = all.get(all.size() / 2) / 1e6;
            double p99 = all.get((int) (all.size() * 0.99)) / 1e6;
            System.out.printf(Locale.ROOT, "%-9s %7d %7dB %12.0f %11.1f %15.1f %8.3f %8.3f%n", policy, threads,
                    recordBytes, n / seconds, n * (double) recordBytes / seconds / 1e6,
                    policy == FsyncPolicy.ALWAYS ? (double) n / fsyncs : Double.NaN, p50, p99);
        } finally {
            Segments.deleteRecursively(dir);
        }
    }
}
