package io.mantis.metrics.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import io.mantis.otlp.prometheus.SeriesSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HistogramChunksTest {

    private static final long T0 = 1_700_000_000_000L;

    record Sample(long t, FloatHistogram h) {
    }

    /** Generates a histogram series with the events that make chunks recode or cut. */
    static final class Gen {
        final Random rnd;
        final boolean floats;
        final boolean gauge;
        int schema;
        double zeroThreshold;
        double[] bounds = new double[0];
        final TreeMap<Integer, Double> pos = new TreeMap<>();
        final TreeMap<Integer, Double> neg = new TreeMap<>();
        double zc;
        double sum;
        long t = T0;

        Gen(Random rnd, boolean floats, boolean gauge) {
            this.rnd = rnd;
            this.floats = floats;
            this.gauge = gauge;
            newFrame();
        }

        private void newFrame() {
            schema = rnd.nextInt(6) == 0 ? FloatHistogram.CUSTOM_BUCKETS_SCHEMA : rnd.nextInt(13) - 4;
            zeroThreshold = switch (rnd.nextInt(3)) {
                case 0 -> 0;
                case 1 -> 0x1p-128;
                default -> 0.001;
            };
            pos.clear();
            neg.clear();
            if (schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA) {
                int nb = 1 + rnd.nextInt(8);
                bounds = new double[nb];
                double b = 0;
                for (int i = 0; i < nb; i++) {
                    b += rnd.nextBoolean() ? 0.25 * (1 + rnd.nextInt(8)) : rnd.nextDouble() * 3;
                    bounds[i] = b;
                }
            }
            zc = 0;
            sum = 0;
        }

        private int maxIndex() {
            return schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA ? bounds.length : 40;
        }

        private double amount() {
            return floats ? rnd.nextInt(4) * 0.5 + rnd.nextDouble() : rnd.nextInt(5);
        }

        Sample next() {
            t += 15_000 + rnd.nextInt(41) - 20;
            if (rnd.nextInt(50) == 0) {
                t += 3_600_000L * rnd.nextInt(10);
            }
            CounterResetHint hint = gauge ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN;
            int event = rnd.nextInt(100);
            if (event < 3) {
                return new Sample(t, new FloatHistogram().setStale());
            } else if (event < 6) {
                newFrame(); // schema / threshold / bounds change
            } else if (event < 9 && !gauge) {
                pos.replaceAll((k, v) -> Math.floor(v / 3)); // counter reset
                neg.clear();
                zc = 0;
                sum = 0;
                if (rnd.nextBoolean()) {
                    hint = CounterResetHint.RESET;
                }
            }
            int adds = 1 + rnd.nextInt(6);
            for (int i = 0; i < adds; i++) {
                TreeMap<Integer, Double> side = schema != FloatHistogram.CUSTOM_BUCKETS_SCHEMA && rnd.nextInt(4) == 0 ? neg : pos;
                int idx = schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA ? rnd.nextInt(maxIndex() + 1)
                        : rnd.nextInt(2 * maxIndex()) - maxIndex();
                double a = amount();
                side.merge(idx, a, Double::sum);
                sum += a * (side == neg ? -1.3 : 1.7);
            }
            if (rnd.nextInt(20) == 0) {
                pos.put(rnd.nextInt(maxIndex()), 0.0); // an empty bucket now and then
            }
            zc += amount();
            if (gauge) {
                // Gauges go up and down, and buckets vanish.
                for (Map.Entry<Integer, Double> e : pos.entrySet()) {
                    e.setValue(Math.max(0, e.getValue() - (floats ? rnd.nextDouble() : rnd.nextInt(2))));
                }
                if (!pos.isEmpty() && rnd.nextInt(5) == 0) {
                    pos.remove(pos.firstKey());
                }
                zc = Math.max(0, zc - amount());
            }
            FloatHistogram h = new FloatHistogram().schema(schema).zeroThreshold(zeroThreshold).zeroCount(zc)
                    .sum(sum).counterResetHint(hint);
            if (schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA) {
                h.setCustomBounds(bounds);
            }
            double total = zc + fill(h.positive(), pos) + fill(h.negative(), neg);
            h.count(total);
            return new Sample(t, h);
        }

        /** Spans for the present buckets; zero buckets are sometimes left out, runs sometimes split. */
        private double fill(FloatHistogram.Buckets b, TreeMap<Integer, Double> m) {
            double total = 0;
            Integer prev = null;
            int spanStart = -1;
            for (Map.Entry<Integer, Double> e : m.entrySet()) {
                if (e.getValue() == 0 && rnd.nextInt(3) == 0) {
                    continue;
                }
                int idx = e.getKey();
                if (prev == null) {
                    b.addSpan(idx, 0);
                    spanStart = b.spanCount() - 1;
                } else if (idx != prev + 1 || rnd.nextInt(10) == 0) {
                    b.addSpan(idx - prev - 1, 0);
                    spanStart = b.spanCount() - 1;
                }
                growLastSpan(b, spanStart);
                b.addCount(e.getValue());
                total += e.getValue();
                prev = idx;
            }
            return total;
        }

        private static void growLastSpan(FloatHistogram.Buckets b, int i) {
            int[] off = new int[b.spanCount()];
            int[] len = new int[b.spanCount()];
            for (int k = 0; k < b.spanCount(); k++) {
                off[k] = b.spanOffset(k);
                len[k] = b.spanLength(k);
            }
            len[i]++;
            b.setSpans(off, len, off.length);
        }
    }

    /** Appends like the head does: cut when refused or at 120 samples, header from the appender. */
    static List<Chunk> store(Encoding enc, List<Sample> samples) {
        List<Chunk> chunks = new ArrayList<>();
        Chunk cur = Chunk.create(enc);
        ChunkAppender app = cur.appender();
        for (Sample s : samples) {
            if (cur.numSamples() >= 120 || !app.appendHistogram(s.t(), s.h())) {
                CounterResetHeader header = app.nextChunkHeader(s.h());
                chunks.add(cur);
                cur = Chunk.create(enc);
                cur.setCounterResetHeader(header);
                app = cur.appender();
                assertThat(app.appendHistogram(s.t(), s.h())).isTrue();
            }
        }
        chunks.add(cur);
        return chunks;
    }

    static void assertSameHistogram(FloatHistogram actual, FloatHistogram expected, String where) {
        if (expected.isStale()) {
            assertThat(actual.isStale()).as(where + " stale").isTrue();
            return;
        }
        assertThat(actual.schema()).as(where + " schema").isEqualTo(expected.schema());
        assertThat(Double.doubleToLongBits(actual.zeroThreshold())).as(where + " threshold")
                .isEqualTo(Double.doubleToLongBits(expected.zeroThreshold()));
        assertThat(actual.count()).as(where + " count").isEqualTo(expected.count());
        assertThat(actual.zeroCount()).as(where + " zero count").isEqualTo(expected.zeroCount());
        assertThat(Double.doubleToRawLongBits(actual.sum())).as(where + " sum")
                .isEqualTo(Double.doubleToRawLongBits(expected.sum()));
        assertThat(bucketMap(actual.positive())).as(where + " positive").isEqualTo(bucketMap(expected.positive()));
        assertThat(bucketMap(actual.negative())).as(where + " negative").isEqualTo(bucketMap(expected.negative()));
        assertThat(actual.customBoundCount()).as(where + " bounds").isEqualTo(expected.customBoundCount());
        for (int i = 0; i < expected.customBoundCount(); i++) {
            assertThat(actual.customBound(i)).isEqualTo(expected.customBound(i));
        }
    }

    /** Non-empty buckets by index: what a histogram means, whatever its span representation. */
    static Map<Integer, Double> bucketMap(FloatHistogram.Buckets b) {
        int[] idx = b.indexes(new int[0]);
        TreeMap<Integer, Double> m = new TreeMap<>();
        for (int i = 0; i < b.bucketCount(); i++) {
            if (b.count(i) != 0) {
                m.put(idx[i], b.count(i));
            }
        }
        return m;
    }

    static List<Sample> decode(List<Chunk> chunks) {
        List<Sample> out = new ArrayList<>();
        ChunkIterator it = null;
        for (Chunk c : chunks) {
            it = c.iterator(it);
            ValueType vt;
            while ((vt = it.next()) != ValueType.NONE) {
                assertThat(vt).isEqualTo(c.encoding() == Encoding.HISTOGRAM ? ValueType.HISTOGRAM : ValueType.FLOAT_HISTOGRAM);
                FloatHistogram h = new FloatHistogram();
                it.histogram(h);
                out.add(new Sample(it.timestamp(), h));
            }
        }
        return out;
    }

    static Encoding encodingOf(boolean floats) {
        return floats ? Encoding.FLOAT_HISTOGRAM : Encoding.HISTOGRAM;
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"HISTOGRAM", "FLOAT_HISTOGRAM"})
    void roundTripsCounterAndGaugeSeriesOverManySeeds(Encoding enc) {
        boolean floats = enc == Encoding.FLOAT_HISTOGRAM;
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            boolean gauge = seed % 3 == 0;
            Gen gen = new Gen(rnd, floats, gauge);
            List<Sample> in = new ArrayList<>();
            int n = 1 + rnd.nextInt(400);
            for (int i = 0; i < n; i++) {
                in.add(gen.next());
            }
            List<Chunk> chunks = store(enc, in);
            // And once more as read from disk: wrapped copies of the bytes.
            List<Chunk> wrapped = new ArrayList<>();
            for (Chunk c : chunks) {
                byte[] b = XorChunkTest.toArray(c.bytes());
                wrapped.add(seed % 2 == 0 ? Chunk.wrap(enc, b, 0, b.length)
                        : Chunk.wrap(enc, ByteBuffer.allocateDirect(b.length).put(b).flip()));
                if (gauge && !firstIsStale(c)) {
                    assertThat(c.counterResetHeader()).isEqualTo(CounterResetHeader.GAUGE);
                }
            }
            for (List<Chunk> cs : List.of(chunks, wrapped)) {
                List<Sample> out = decode(cs);
                assertThat(out).hasSameSizeAs(in);
                for (int i = 0; i < in.size(); i++) {
                    String where = "seed " + seed + " sample " + i;
                    assertThat(out.get(i).t()).as(where).isEqualTo(in.get(i).t());
                    assertSameHistogram(out.get(i).h(), in.get(i).h(), where);
                }
            }
        }
    }

    private static boolean firstIsStale(Chunk c) {
        ChunkIterator it = c.iterator(null);
        it.next();
        FloatHistogram h = new FloatHistogram();
        it.histogram(h);
        return h.isStale();
    }

    private static FloatHistogram hist(double count, double zc, double sum, int offset, double... buckets) {
        FloatHistogram h = new FloatHistogram().schema(3).zeroThreshold(0x1p-128).count(count).zeroCount(zc).sum(sum);
        h.positive().addSpan(offset, buckets.length);
        for (double b : buckets) {
            h.positive().addCount(b);
        }
        return h;
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"HISTOGRAM", "FLOAT_HISTOGRAM"})
    void cutsAndHeadersFollowTheRules(Encoding enc) {
        Chunk c = Chunk.create(enc);
        ChunkAppender a = c.appender();
        assertThat(a.nextChunkHeader(hist(1, 0, 1, 0, 1))).isEqualTo(CounterResetHeader.UNKNOWN);
        assertThat(a.appendHistogram(1000, hist(10, 1, 5, 0, 4, 5))).isTrue();
        assertThat(c.counterResetHeader()).isEqualTo(CounterResetHeader.UNKNOWN);
        // New bucket on either side: recoded, appended.
        assertThat(a.appendHistogram(2000, hist(13, 1, 6, -1, 3, 4, 5))).isTrue();
        // Bucket -1 (count 3) missing: that is a reset.
        FloatHistogram missing = hist(14, 1, 6, 0, 5, 8);
        assertThat(a.appendHistogram(3000, missing)).isFalse();
        assertThat(a.nextChunkHeader(missing)).isEqualTo(CounterResetHeader.RESET);
        // Count went down.
        assertThat(a.nextChunkHeader(hist(12, 1, 6, -1, 3, 4, 5))).isEqualTo(CounterResetHeader.RESET);
        // A bucket went down.
        assertThat(a.nextChunkHeader(hist(13, 1, 6, -1, 3, 3, 6))).isEqualTo(CounterResetHeader.RESET);
        // Zero count went down.
        assertThat(a.nextChunkHeader(hist(13, 0, 6, -1, 3, 4, 6))).isEqualTo(CounterResetHeader.RESET);
        // Schema change.
        assertThat(a.nextChunkHeader(hist(20, 1, 6, -1, 3, 4, 5).schema(2))).isEqualTo(CounterResetHeader.UNKNOWN);
        assertThat(a.nextChunkHeader(hist(20, 1, 6, -1, 3, 4, 5).zeroThreshold(0.5))).isEqualTo(CounterResetHeader.UNKNOWN);
        // Explicit hints.
        FloatHistogram explicitReset = hist(20, 1, 6, -1, 3, 4, 5).counterResetHint(CounterResetHint.RESET);
        assertThat(a.appendHistogram(3000, explicitReset)).isFalse();
        assertThat(a.nextChunkHeader(explicitReset)).isEqualTo(CounterResetHeader.RESET);
        FloatHistogram gauge = hist(20, 1, 6, -1, 3, 4, 5).counterResetHint(CounterResetHint.GAUGE);
        assertThat(a.appendHistogram(3000, gauge)).isFalse();
        assertThat(a.nextChunkHeader(gauge)).isEqualTo(CounterResetHeader.GAUGE);
        // A fitting sample (with a zero bucket left out of a span) would cut with NOT_RESET.
        FloatHistogram fits = hist(20, 1, 6, -1, 3, 4, 5, 0);
        assertThat(a.nextChunkHeader(fits)).isEqualTo(CounterResetHeader.NOT_RESET);
        assertThat(a.appendHistogram(3000, fits)).isTrue();
        assertThat(a.appendHistogram(4000, hist(20, 1, 6, -1, 3, 4, 5))).isTrue(); // bucket 2 (0) filled in
        // Stale: appended; after it only stale samples fit.
        assertThat(a.appendHistogram(5000, new FloatHistogram().setStale())).isTrue();
        assertThat(a.appendHistogram(6000, new FloatHistogram().setStale())).isTrue();
        FloatHistogram after = hist(30, 1, 6, -1, 3, 4, 5);
        assertThat(a.appendHistogram(7000, after)).isFalse();
        assertThat(a.nextChunkHeader(after)).isEqualTo(CounterResetHeader.UNKNOWN);

        List<Sample> out = decode(List.of(c));
        assertThat(out).extracting(Sample::t).containsExactly(1000L, 2000L, 3000L, 4000L, 5000L, 6000L);
        assertThat(out.get(0).h().counterResetHint()).isEqualTo(CounterResetHint.UNKNOWN);
        assertThat(out.get(1).h().counterResetHint()).isEqualTo(CounterResetHint.NOT_RESET);
        // The first sample was recoded into the wider layout: bucket -1 appears with count 0.
        assertThat(out.get(0).h().positive().bucketCount()).isEqualTo(4);
        assertThat(bucketMap(out.get(0).h().positive())).isEqualTo(Map.of(0, 4.0, 1, 5.0));
        assertThat(bucketMap(out.get(3).h().positive())).isEqualTo(Map.of(-1, 3.0, 0, 4.0, 1, 5.0));
        assertThat(Double.doubleToRawLongBits(out.get(4).h().sum())).isEqualTo(SeriesSink.STALE_NAN_BITS);
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"HISTOGRAM", "FLOAT_HISTOGRAM"})
    void gaugeChunksTakeAnyBucketChange(Encoding enc) {
        Chunk c = Chunk.create(enc);
        ChunkAppender a = c.appender();
        assertThat(a.appendHistogram(1, hist(10, 1, 5, 0, 4, 5).counterResetHint(CounterResetHint.GAUGE))).isTrue();
        assertThat(c.counterResetHeader()).isEqualTo(CounterResetHeader.GAUGE);
        assertThat(a.appendHistogram(2, hist(3, 0, 1, 5, 3).counterResetHint(CounterResetHint.GAUGE))).isTrue();
        FloatHistogram counter = hist(3, 0, 1, 5, 3);
        assertThat(a.appendHistogram(3, counter)).isFalse();
        assertThat(a.nextChunkHeader(counter)).isEqualTo(CounterResetHeader.UNKNOWN);
        FloatHistogram otherSchema = hist(3, 0, 1, 5, 3).schema(0).counterResetHint(CounterResetHint.GAUGE);
        assertThat(a.appendHistogram(3, otherSchema)).isFalse();
        assertThat(a.nextChunkHeader(otherSchema)).isEqualTo(CounterResetHeader.GAUGE);
        List<Sample> out = decode(List.of(c));
        assertThat(out).hasSize(2);
        assertThat(out.get(1).h().counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
        assertThat(bucketMap(out.get(0).h().positive())).isEqualTo(Map.of(0, 4.0, 1, 5.0));
        assertThat(bucketMap(out.get(1).h().positive())).isEqualTo(Map.of(5, 3.0));
    }

    @Test
    void customBoundsRoundTripAndTheirChangeIsAReset() {
        Chunk c = new HistogramChunk();
        ChunkAppender a = c.appender();
        FloatHistogram h = new FloatHistogram().schema(FloatHistogram.CUSTOM_BUCKETS_SCHEMA).count(6).sum(3.5)
                .setCustomBounds(0.005, 0.1, 2.5, 1e9, -3, Math.PI);
        h.positive().addSpan(0, 3).addCount(1).addCount(2).addCount(3);
        assertThat(a.appendHistogram(1, h)).isTrue();
        FloatHistogram moved = h.copy().setCustomBounds(0.005, 0.2, 2.5, 1e9, -3, Math.PI);
        assertThat(a.appendHistogram(2, moved)).isFalse();
        assertThat(a.nextChunkHeader(moved)).isEqualTo(CounterResetHeader.RESET);
        FloatHistogram out = new FloatHistogram();
        ChunkIterator it = c.iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
        it.histogram(out);
        assertThat(out).isEqualTo(h);
    }

    @Test
    void integerChunksRefuseFractionalCounts() {
        ChunkAppender a = new HistogramChunk().appender();
        assertThatThrownBy(() -> a.appendHistogram(1, hist(1.5, 0, 1, 0, 1.5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.appendHistogram(1, hist(2, 0, 1, 0, 0.5, 1.5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.appendHistogram(1, hist(2, 0, 1.5, 0, 0, 2))).isTrue();
    }

    @Test
    void malformedHistogramsAreRejected() {
        ChunkAppender a = new FloatHistogramChunk().appender();
        FloatHistogram bad = hist(1, 0, 1, 0, 1);
        bad.positive().addCount(2); // two counts, spans cover one
        assertThatThrownBy(() -> a.appendHistogram(1, bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.appendHistogram(1, hist(1, 0, 1, 0, 1).schema(9)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"HISTOGRAM", "FLOAT_HISTOGRAM"})
    void appenderContinuesAChunkReadFromDisk(Encoding enc) {
        Gen gen = new Gen(new Random(77), enc == Encoding.FLOAT_HISTOGRAM, false);
        gen.schema = 1;
        List<Sample> in = new ArrayList<>();
        for (int i = 0; i < 400 && in.size() < 60; i++) {
            Sample s = gen.next();
            if (!s.h().isStale() && s.h().schema() == 1 && s.h().counterResetHint() != CounterResetHint.RESET) {
                in.add(s);
            }
        }
        List<Chunk> whole = store(enc, in);
        Chunk first = whole.get(0);
        int n = first.numSamples();
        assertThat(n).isGreaterThan(2);
        Chunk partial = Chunk.create(enc);
        ChunkAppender pa = partial.appender();
        for (int i = 0; i < n / 2; i++) {
            assertThat(pa.appendHistogram(in.get(i).t(), in.get(i).h())).isTrue();
        }
        byte[] bytes = XorChunkTest.toArray(partial.bytes());
        Chunk wrapped = Chunk.wrap(enc, ByteBuffer.wrap(bytes));
        ChunkAppender wa = wrapped.appender();
        for (int i = n / 2; i < n; i++) {
            assertThat(wa.appendHistogram(in.get(i).t(), in.get(i).h())).isTrue();
        }
        assertThat(XorChunkTest.toArray(wrapped.bytes())).isEqualTo(XorChunkTest.toArray(first.bytes()));
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"HISTOGRAM", "FLOAT_HISTOGRAM"})
    void seekAndReuse(Encoding enc) {
        Chunk c = Chunk.create(enc);
        ChunkAppender a = c.appender();
        for (int i = 0; i < 10; i++) {
            assertThat(a.appendHistogram(100L * i, hist(i * 2, 0, i, 0, i, i))).isTrue();
        }
        ChunkIterator it = c.iterator(null);
        assertThat(it.seek(350)).isNotEqualTo(ValueType.NONE);
        assertThat(it.timestamp()).isEqualTo(400);
        FloatHistogram h = new FloatHistogram();
        it.histogram(h);
        assertThat(h.count()).isEqualTo(8);
        assertThat(it.seek(100)).isNotEqualTo(ValueType.NONE);
        assertThat(it.timestamp()).isEqualTo(400);
        assertThat(it.seek(1000)).isEqualTo(ValueType.NONE);
        assertThat(c.iterator(it)).isSameAs(it);
        assertThat(it.next()).isNotEqualTo(ValueType.NONE);
        assertThat(it.timestamp()).isZero();
        assertThatThrownBy(it::value).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.append(1, 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"HISTOGRAM", "FLOAT_HISTOGRAM"})
    void iteratingAllocatesNothingPerSample(Encoding enc) {
        assumeTrue(Allocations.supported(), "thread allocation accounting unavailable");
        Chunk c = Chunk.create(enc);
        ChunkAppender a = c.appender();
        double base = 0;
        for (int i = 0; i < 120; i++) {
            base += 3;
            assertThat(a.appendHistogram(15_000L * i, hist(base * 4, base, base * 1.5, -2, base, base, base, base))).isTrue();
        }
        ChunkIterator it = c.iterator(null);
        FloatHistogram into = new FloatHistogram();
        long sink = 0;
        for (int warm = 0; warm < 3000; warm++) {
            sink += drain(c.iterator(it), into);
        }
        long before = Allocations.current();
        for (int round = 0; round < 1000; round++) {
            sink += drain(c.iterator(it), into);
        }
        long allocated = Allocations.current() - before;
        assertThat(allocated).as("bytes allocated while iterating (sink %d)", sink).isLessThan(10_000);
    }

    private static long drain(ChunkIterator it, FloatHistogram into) {
        long acc = 0;
        while (it.next() != ValueType.NONE) {
            it.histogram(into);
            acc += it.timestamp() + (long) into.count();
        }
        return acc;
    }

    @Test
    void histogramBucketsCompress() {
        Chunk c = new HistogramChunk();
        ChunkAppender a = c.appender();
        Random rnd = new Random(4);
        double[] b = new double[20];
        for (int i = 0; i < 120; i++) {
            FloatHistogram h = new FloatHistogram().schema(3).zeroThreshold(0x1p-128);
            h.positive().addSpan(-10, 20);
            double total = 0;
            for (int k = 0; k < 20; k++) {
                b[k] += rnd.nextInt(3);
                h.positive().addCount(b[k]);
                total += b[k];
            }
            assertThat(a.appendHistogram(15_000L * i, h.count(total).sum(total * 0.25))).isTrue();
        }
        // 20 buckets + counts per sample; raw would be > 180 bytes per sample.
        assertThat(c.sizeBytes() / 120.0).isLessThan(20);
    }
}
