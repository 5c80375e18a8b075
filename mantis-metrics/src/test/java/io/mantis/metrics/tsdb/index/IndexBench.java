package io.mantis.metrics.tsdb.index;

import io.mantis.metrics.model.Matcher;
import io.mantis.otlp.prometheus.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.RoaringBitmap;

/**
 * Rough numbers for the head index and the block index at node-exporter scale (1M series):
 * series add rate, selection latency, block write/read, label-set memory with and without the
 * canonical strings {@link MemPostings#add} hands back. A main, not a test: it takes tens of
 * seconds and several GiB of heap, and its numbers are for reading, not for asserting.
 * Run with the test classpath and e.g. {@code -Xmx8g}.
 */
public final class IndexBench {

    private static final String[] METRICS = new String[100];
    private static final String[] MODES = {"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"};

    static {
        for (int i = 0; i < METRICS.length; i++) {
            METRICS[i] = i == 0 ? "node_cpu_seconds_total" : "node_metric_" + i;
        }
    }

    /** 1000 hosts × 1000 series: 128 cpu×mode series of node_cpu_seconds_total, the rest spread over other metrics. */
    static List<Labels> series(int hosts, boolean freshStrings) {
        List<Labels> out = new ArrayList<>(hosts * 1000);
        for (int h = 0; h < hosts; h++) {
            String instance = "host-" + h + ":9100";
            for (int s = 0; s < 1000; s++) {
                String metric;
                String k1;
                String v1;
                String k2;
                String v2;
                if (s < 128) {
                    metric = METRICS[0];
                    k1 = "cpu";
                    v1 = Integer.toString(s / 8);
                    k2 = "mode";
                    v2 = MODES[s % 8];
                } else {
                    metric = METRICS[1 + (s % 99)];
                    k1 = "device";
                    v1 = "dev" + (s / 99);
                    k2 = "fstype";
                    v2 = (s % 3 == 0) ? "ext4" : "xfs";
                }
                String[] pairs = {"__name__", metric, "instance", instance, "job", "node", k1, v1, k2, v2};
                if (freshStrings) {
                    // As decoded from requests: every string its own object.
                    for (int i = 0; i < pairs.length; i++) {
                        pairs[i] = new String(pairs[i].toCharArray());
                    }
                }
                out.add(Labels.of(pairs));
            }
        }
        return out;
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;

        long base = usedHeap();
        List<Labels> fresh = series(hosts, true);
        long withFresh = usedHeap();
        java.lang.ref.Reference.reachabilityFence(fresh);
        System.out.printf("label sets, fresh strings:     %,d series, %,d MiB%n", fresh.size(), (withFresh - base) >> 20);

        // Add rate, one thread.
        MemPostings single = new MemPostings();
        long t0 = System.nanoTime();
        List<Labels> canonical = new ArrayList<>(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
            canonical.add(single.add(i, fresh.get(i)));
        }
        long t1 = System.nanoTime();
        System.out.printf("MemPostings.add, 1 thread:     %,.0f series/s%n", fresh.size() / ((t1 - t0) / 1e9));
        fresh = null;
        single = null;
        List<Labels> keep = canonical;
        canonical = null;
        long labelsOnly = usedHeap();
        java.lang.ref.Reference.reachabilityFence(keep);
        System.out.printf("label sets, canonical strings: %,d MiB%n", (labelsOnly - base) >> 20);
        MemPostings measured = new MemPostings();
        for (int i = 0; i < keep.size(); i++) {
            measured.add(i, keep.get(i));
        }
        long withPostings = usedHeap();
        // Without this the JIT may treat the index as dead before the measurement.
        java.lang.ref.Reference.reachabilityFence(measured);
        System.out.printf("MemPostings of them:           %,d KiB (%,d distinct strings)%n",
                (withPostings - labelsOnly) >> 10, measured.symbols().size());
        measured = null;
        // Worst case for postings memory: one series per value of a high-cardinality label.
        List<Labels> unique = new ArrayList<>(keep.size());
        for (int i = 0; i < keep.size(); i++) {
            unique.add(Labels.of("__name__", "x", "id", Integer.toString(i)));
        }
        long uniqueOnly = usedHeap();
        java.lang.ref.Reference.reachabilityFence(keep);
        MemPostings perValue = new MemPostings();
        for (int i = 0; i < unique.size(); i++) {
            perValue.add(i, unique.get(i));
        }
        long uniqueWithPostings = usedHeap();
        java.lang.ref.Reference.reachabilityFence(perValue);
        java.lang.ref.Reference.reachabilityFence(unique);
        System.out.printf("MemPostings, 1 series/value:   %,d bytes per value%n",
                (uniqueWithPostings - uniqueOnly) / unique.size());
        perValue = null;
        unique = null;

        // Add rate, two threads (the machine has two cores).
        for (int round = 0; round < 2; round++) {
            MemPostings two = new MemPostings();
            AtomicInteger next = new AtomicInteger();
            List<Labels> in = keep;
            Runnable work = () -> {
                int id;
                while ((id = next.getAndIncrement()) < in.size()) {
                    two.add(id, in.get(id));
                }
            };
            Thread a = new Thread(work);
            Thread b = new Thread(work);
            long s0 = System.nanoTime();
            a.start();
            b.start();
            a.join();
            b.join();
            long s1 = System.nanoTime();
            System.out.printf("MemPostings.add, 2 threads:    %,.0f series/s%n", in.size() / ((s1 - s0) / 1e9));
        }

        MemPostings mem = new MemPostings();
        for (int i = 0; i < keep.size(); i++) {
            mem.add(i, keep.get(i));
        }
        IndexReader head = new MemPostingsIndexReader(mem, keep::get);

        List<List<Matcher>> selectors = List.of(
                List.of(Matcher.equal("__name__", "node_cpu_seconds_total"), Matcher.equal("job", "node"),
                        Matcher.equal("instance", "host-42:9100"), Matcher.notEqual("mode", "idle")),
                List.of(Matcher.equal("__name__", "node_cpu_seconds_total"), Matcher.equal("job", "node"),
                        Matcher.notEqual("mode", "idle")),
                List.of(Matcher.equal("__name__", "node_cpu_seconds_total"), Matcher.regex("instance", "host-1.*"),
                        Matcher.regex("mode", "user|system")),
                List.of(Matcher.equal("job", "node"), Matcher.equal("mode", "idle")),
                List.of(Matcher.regex("__name__", "node_metric_1.*"), Matcher.regex("instance", "host-(1|2)[0-9]:9100")));
        bench("head", head, selectors);

        Path dir = Files.createTempDirectory("index-bench");
        Path file = dir.resolve("index");
        List<Labels> sorted = new ArrayList<>(keep);
        Collections.sort(sorted);
        long w0 = System.nanoTime();
        ChunkMetas chunks = new ChunkMetas();
        try (IndexWriter w = IndexWriter.create(file)) {
            w.addSymbols(mem.symbols());
            for (Labels l : sorted) {
                chunks.clear();
                chunks.add(1_700_000_000_000L, 1_700_000_000_000L + 7_199_000, 0x1_0000_0000L + 8);
                w.addSeries(l, chunks);
            }
            w.finish();
        }
        long w1 = System.nanoTime();
        System.out.printf("block index write:             %,.0f ms, %,d MiB%n", (w1 - w0) / 1e6, Files.size(file) >> 20);
        long o0 = System.nanoTime();
        try (BlockIndexReader block = BlockIndexReader.open(file)) {
            long o1 = System.nanoTime();
            System.out.printf("block index open + verify:     %,.0f ms%n", (o1 - o0) / 1e6);
            bench("block", block, selectors);
            long r0 = System.nanoTime();
            int n = 0;
            for (int i = 0; i < block.seriesCount(); i += 7) {
                block.series(i, chunks);
                n++;
            }
            long r1 = System.nanoTime();
            System.out.printf("block series read:             %,.0f ns/series%n", (r1 - r0) / (double) n);
        }
        Files.delete(file);
        Files.delete(dir);
    }

    private static void bench(String what, IndexReader index, List<List<Matcher>> selectors) {
        for (List<Matcher> ms : selectors) {
            RoaringBitmap r = null;
            for (int i = 0; i < 20; i++) {
                r = PostingsForMatchers.select(index, ms);
            }
            int iterations = 0;
            long t0 = System.nanoTime();
            long t1;
            do {
                r = PostingsForMatchers.select(index, ms);
                iterations++;
                t1 = System.nanoTime();
            } while (t1 - t0 < 1_000_000_000L);
            System.out.printf("%-5s select %-110s %,9.1f µs  (%,d series)%n", what, ms,
                    (t1 - t0) / 1e3 / iterations, r.getCardinality());
        }
    }
}
