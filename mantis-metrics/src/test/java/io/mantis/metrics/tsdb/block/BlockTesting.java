package io.mantis.metrics.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/** Shared test data: samples, a brute-force reference store, random series, readers, fd checks. */
final class BlockTesting {

    static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private BlockTesting() {
    }

    /** A float sample ({@code h == null}) or a histogram sample. */
    record Sample(long t, double v, FloatHistogram h) {
        static Sample f(long t, double v) {
            return new Sample(t, v, null);
        }

        static Sample h(long t, FloatHistogram h) {
            return new Sample(t, 0, h.copy());
        }

        /** Comparable text: raw float bits, or the histogram's meaning (not its layout). */
        String key() {
            if (h == null) {
                return t + ":f" + Long.toHexString(Double.doubleToRawLongBits(v));
            }
            if (h.isStale()) {
                return t + ":h-stale";
            }
            return t + ":h" + h.schema() + "/" + h.zeroThreshold() + "/" + h.count() + "/" + h.zeroCount() + "/"
                    + Long.toHexString(Double.doubleToRawLongBits(h.sum())) + "/" + buckets(h.positive()) + "/"
                    + buckets(h.negative());
        }

        private static String buckets(FloatHistogram.Buckets b) {
            int[] idx = b.indexes(new int[0]);
            TreeMap<Integer, Double> m = new TreeMap<>();
            for (int i = 0; i < b.bucketCount(); i++) {
                if (b.count(i) != 0) {
                    m.put(idx[i], b.count(i));
                }
            }
            return m.toString();
        }
    }

    /** Brute-force reference: series by labels, samples by timestamp. */
    static final class Reference {
        final TreeMap<Labels, TreeMap<Long, Sample>> series = new TreeMap<>();

        /** Adds a sample unless one with its timestamp exists (the first one added wins). */
        void add(Labels l, Sample s) {
            series.computeIfAbsent(l, x -> new TreeMap<>()).putIfAbsent(s.t(), s);
        }

        void addAll(Reference other) {
            other.series.forEach((l, m) -> m.values().forEach(s -> add(l, s)));
        }

        void delete(long mint, long maxt, java.util.function.Predicate<Labels> which) {
            series.forEach((l, m) -> {
                if (which.test(l)) {
                    m.subMap(mint, true, maxt, true).clear();
                }
            });
        }

        /** The expected answer of a select over [mint, maxt]: only series with samples there. */
        Map<Labels, List<String>> query(long mint, long maxt, Matcher... matchers) {
            Map<Labels, List<String>> out = new LinkedHashMap<>();
            for (var e : series.entrySet()) {
                if (!matches(e.getKey(), matchers)) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                for (Sample s : e.getValue().subMap(mint, true, maxt, true).values()) {
                    keys.add(s.key());
                }
                if (!keys.isEmpty()) {
                    out.put(e.getKey(), keys);
                }
            }
            return out;
        }

        long sampleCount() {
            return series.values().stream().mapToLong(Map::size).sum();
        }
    }

    static boolean matches(Labels l, Matcher... matchers) {
        for (Matcher m : matchers) {
            String v = l.get(m.name());
            if (!m.matches(v == null ? "" : v)) {
                return false;
            }
        }
        return true;
    }

    /** Reads a select into sample keys; series without samples in range are left out. */
    static Map<Labels, List<String>> read(Querier q, Matcher... matchers) {
        Map<Labels, List<String>> out = new LinkedHashMap<>();
        SeriesSet set = q.select(true, matchers);
        ChunkIterator it = null;
        FloatHistogram h = new FloatHistogram();
        Labels prev = null;
        while (set.next()) {
            Labels l = set.at().labels();
            if (prev != null) {
                assertThat(l.compareTo(prev)).as("series sorted: %s after %s", l, prev).isPositive();
            }
            prev = l;
            it = set.at().iterator(it);
            List<String> keys = new ArrayList<>();
            ValueType vt;
            long last = Long.MIN_VALUE;
            while ((vt = it.next()) != ValueType.NONE) {
                assertThat(it.timestamp()).isGreaterThan(last);
                last = it.timestamp();
                if (vt == ValueType.FLOAT) {
                    keys.add(Sample.f(it.timestamp(), it.value()).key());
                } else {
                    it.histogram(h);
                    keys.add(Sample.h(it.timestamp(), h).key());
                }
            }
            if (!keys.isEmpty()) {
                out.put(l, keys);
            }
        }
        return out;
    }

    /**
     * {@link #read} as the query engine loads: runs of floats through
     * {@link ChunkIterator#readFloats} into arrays of {@code capacity} (grown as needed),
     * histograms one by one. Must give what {@link #read} gives.
     */
    static Map<Labels, List<String>> readBulk(Querier q, long maxt, int capacity, Matcher... matchers) {
        Map<Labels, List<String>> out = new LinkedHashMap<>();
        SeriesSet set = q.select(true, matchers);
        ChunkIterator it = null;
        FloatHistogram h = new FloatHistogram();
        while (set.next()) {
            it = set.at().iterator(it);
            List<String> keys = new ArrayList<>();
            long[] ts = new long[capacity];
            double[] vs = new double[capacity];
            ValueType vt = it.next();
            while (vt != ValueType.NONE && it.timestamp() <= maxt) {
                if (vt == ValueType.FLOAT) {
                    int n = it.readFloats(maxt, ts, vs, 0);
                    assertThat(n).as("copies at least the current float").isPositive();
                    for (int i = 0; i < n; i++) {
                        keys.add(Sample.f(ts[i], vs[i]).key());
                    }
                    vt = it.seek(Long.MIN_VALUE);
                } else {
                    it.histogram(h);
                    keys.add(Sample.h(it.timestamp(), h).key());
                    vt = it.next();
                }
            }
            if (!keys.isEmpty()) {
                out.put(set.at().labels(), keys);
            }
        }
        return out;
    }

    /** A plain iterator over a list of samples. */
    static final class ListIterator implements ChunkIterator {
        private final List<Sample> samples;
        private int i = -1;

        ListIterator(List<Sample> samples) {
            this.samples = samples;
        }

        @Override
        public ValueType next() {
            if (i < samples.size()) {
                i++;
            }
            return type();
        }

        private ValueType type() {
            if (i >= samples.size()) {
                return ValueType.NONE;
            }
            FloatHistogram h = samples.get(i).h();
            return h == null ? ValueType.FLOAT : h.hasIntegerCounts() ? ValueType.HISTOGRAM : ValueType.FLOAT_HISTOGRAM;
        }

        @Override
        public ValueType seek(long t) {
            if (i < 0) {
                i = 0;
            }
            while (i < samples.size() && samples.get(i).t() < t) {
                i++;
            }
            return type();
        }

        @Override
        public long timestamp() {
            return samples.get(i).t();
        }

        @Override
        public double value() {
            return samples.get(i).v();
        }

        @Override
        public void histogram(FloatHistogram into) {
            into.copyFrom(samples.get(i).h());
        }
    }

    /** Chunks (at most 120 samples) holding {@code samples}, as the head would have them. */
    static ChunkList chunks(List<Sample> samples) {
        ChunkList out = new ChunkList();
        new SampleChunker().encode(new ListIterator(samples), out);
        return out;
    }

    /** The reference's series over [mint, maxt) as a chunk source. */
    static ChunkSeriesSet source(Reference ref, long mint, long maxt) {
        SortedMap<Labels, ChunkList> m = new TreeMap<>();
        ref.series.forEach((l, s) -> {
            List<Sample> in = new ArrayList<>(s.subMap(mint, true, maxt, false).values());
            if (!in.isEmpty()) {
                m.put(l, chunks(in));
            }
        });
        return ChunkSeriesSets.of(m);
    }

    // ---- random data ----

    static final String[] JOBS = {"api", "db", "web"};

    /** Random series with float, integer- and float-count histogram samples and stale markers. */
    static Reference randomSeries(Random rnd, int seriesCount, long mint, long maxt, int maxSamples) {
        Reference ref = new Reference();
        while (ref.series.size() < seriesCount) {
            Labels l = Labels.of("__name__", "m" + rnd.nextInt(4), "job", JOBS[rnd.nextInt(3)],
                    "instance", "i" + rnd.nextInt(50), "zone", rnd.nextInt(4) == 0 ? "" : "z" + rnd.nextInt(2));
            if (ref.series.containsKey(l)) {
                continue;
            }
            int kind = rnd.nextInt(4); // 0,1 floats, 2 int histograms, 3 float histograms
            int n = 1 + rnd.nextInt(maxSamples);
            long step = Math.max(1, (maxt - mint) / Math.max(1, n));
            long t = mint + rnd.nextInt((int) Math.min(step, 1000));
            HistGen gen = new HistGen(rnd, kind == 3);
            for (int i = 0; i < n && t < maxt; i++) {
                boolean stale = rnd.nextInt(40) == 0;
                if (kind < 2) {
                    ref.add(l, Sample.f(t, stale ? STALE_NAN : rnd.nextInt(10) == 0 ? rnd.nextGaussian() : i * 1.5));
                } else {
                    ref.add(l, Sample.h(t, stale ? new FloatHistogram().setStale() : gen.next()));
                }
                t += 1 + rnd.nextInt((int) Math.max(1, Math.min(2 * step, Integer.MAX_VALUE)));
            }
            if (ref.series.get(l).isEmpty()) {
                ref.series.remove(l);
            }
        }
        return ref;
    }

    /** Counter histograms that grow, now and then reset, sometimes gain a bucket. */
    static final class HistGen {
        private final Random rnd;
        private final boolean fractional;
        private double[] counts = {1, 2};
        private double zero = 1;

        HistGen(Random rnd, boolean fractional) {
            this.rnd = rnd;
            this.fractional = fractional;
        }

        FloatHistogram next() {
            if (rnd.nextInt(30) == 0) {
                counts = new double[counts.length];
                zero = 0;
            }
            if (rnd.nextInt(20) == 0 && counts.length < 6) {
                counts = java.util.Arrays.copyOf(counts, counts.length + 1);
            }
            zero += rnd.nextInt(2);
            double total = zero;
            for (int i = 0; i < counts.length; i++) {
                counts[i] += rnd.nextInt(3) + (fractional ? 0.25 : 0);
                total += counts[i];
            }
            FloatHistogram h = new FloatHistogram().schema(1).zeroThreshold(0x1p-128).zeroCount(zero)
                    .count(total).sum(total * 1.5);
            h.positive().addSpan(-1, counts.length);
            for (double c : counts) {
                h.positive().addCount(c);
            }
            return h;
        }
    }

    // ---- file handles ----

    /**
     * Descriptors of this process open on files in JUnit temporary directories (where every test
     * here keeps its blocks); null where /proc is absent. Other descriptors are left out: the
     * class loader opens jars lazily, which is no leak.
     */
    private static final java.util.regex.Pattern JUNIT_TEMP = java.util.regex.Pattern.compile("/junit-?[0-9]+(/|$)");

    static List<String> openTestFiles() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fds)) {
            for (Path fd : ds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (JUNIT_TEMP.matcher(target).find()) {
                        out.add(target);
                    }
                } catch (IOException e) {
                    // closed meanwhile (e.g. the directory stream's own descriptor)
                }
            }
        }
        return out;
    }
}
