package io.mantis.metrics.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.NativeHistogram.BucketSpan;
import io.mantis.otlp.prometheus.NativeHistogram.ResetHint;
import io.mantis.otlp.prometheus.SeriesSink;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Round trips of every record type on seeded random input, plus the layout pinned by hand. */
class RecordCodecTest {

    private static final long SEED = 0x5EEDL;
    private static final int ROUNDS = 300;
    private static final double STALE = SeriesSink.STALE_NAN;

    private final RecordCodec codec = new RecordCodec();
    private final RecordBuffer buffer = new RecordBuffer(16); // tiny, so growing is exercised

    @Test
    void seriesRoundTrip() {
        Random r = new Random(SEED);
        SeriesBatch in = new SeriesBatch();
        SeriesBatch out = new SeriesBatch();
        for (int round = 0; round < ROUNDS; round++) {
            in.clear();
            int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                in.add(ref(r), labels(r));
            }
            ByteBuffer rec = codec.encode(in, buffer);
            assertThat(RecordType.of(rec)).isEqualTo(RecordType.SERIES);
            codec.decode(copy(rec), out);
            assertThat(out.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.labels(i)).isEqualTo(in.labels(i));
            }
        }
    }

    @Test
    void samplesRoundTripBitForBit() {
        Random r = new Random(SEED);
        SampleBatch in = new SampleBatch();
        SampleBatch out = new SampleBatch();
        for (int round = 0; round < ROUNDS; round++) {
            in.clear();
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                in.add(ref(r), timestamp(r), value(r));
            }
            codec.decode(copy(codec.encode(in, buffer)), out);
            assertThat(out.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.timestamp(i)).isEqualTo(in.timestamp(i));
                assertThat(Double.doubleToRawLongBits(out.value(i)))
                        .as("bits of value %d", i).isEqualTo(Double.doubleToRawLongBits(in.value(i)));
            }
        }
    }

    @Test
    void staleMarkersKeepTheirExactBits() {
        SampleBatch in = new SampleBatch().add(1, 1000, STALE).add(2, 1000, Double.NaN)
                .add(3, 1000, Double.longBitsToDouble(0xfff8000000000001L));
        SampleBatch out = codec.decode(copy(codec.encode(in, buffer)), new SampleBatch());
        assertThat(SeriesSink.isStaleMarker(out.value(0))).isTrue();
        assertThat(SeriesSink.isStaleMarker(out.value(1))).isFalse();
        assertThat(Double.doubleToRawLongBits(out.value(2))).isEqualTo(0xfff8000000000001L);
    }

    @Test
    void samplesLayoutIsPinned() {
        SampleBatch in = new SampleBatch().add(5, 1000, 1.0).add(6, 1000, STALE);
        String hex = HexFormat.of().formatHex(bytes(codec.encode(in, buffer)));
        // type 2, n 2; ref +5 (zigzag 0a), t 1000 (zigzag 2000 = d0 0f), 1.0; ref +1 (02), t +0 (00), stale NaN
        assertThat(hex).isEqualTo("02" + "02" + "0a" + "d00f" + "3ff0000000000000" + "02" + "00" + "7ff0000000000002");
    }

    @Test
    void aScrapeLikeBatchCostsTenBytesPerSample() {
        SampleBatch in = new SampleBatch();
        for (int i = 0; i < 1000; i++) {
            in.add(100_000 + i, 1_700_000_000_000L, i);
        }
        codec.encode(in, buffer);
        assertThat(buffer.size()).isLessThan(1 + 2 + 10 * 1000 + 10);
    }

    @Test
    void exemplarsRoundTrip() {
        Random r = new Random(SEED);
        ExemplarBatch in = new ExemplarBatch();
        ExemplarBatch out = new ExemplarBatch();
        for (int round = 0; round < ROUNDS; round++) {
            in.clear();
            int n = r.nextInt(20);
            for (int i = 0; i < n; i++) {
                in.add(ref(r), timestamp(r), value(r), r.nextBoolean() ? Labels.of("trace_id", hexId(r)) : labels(r));
            }
            codec.decode(copy(codec.encode(in, buffer)), out);
            assertThat(out.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.timestamp(i)).isEqualTo(in.timestamp(i));
                assertThat(Double.doubleToRawLongBits(out.value(i))).isEqualTo(Double.doubleToRawLongBits(in.value(i)));
                assertThat(out.labels(i)).isEqualTo(in.labels(i));
            }
        }
    }

    @Test
    void metadataRoundTrip() {
        Random r = new Random(SEED);
        MetadataBatch in = new MetadataBatch();
        MetadataBatch out = new MetadataBatch();
        MetricType[] types = MetricType.values();
        for (int round = 0; round < ROUNDS; round++) {
            in.clear();
            int n = r.nextInt(20);
            for (int i = 0; i < n; i++) {
                in.add(ref(r), types[r.nextInt(types.length)], r.nextBoolean() ? "" : string(r, 8),
                        r.nextInt(4) == 0 ? "" : string(r, 200));
            }
            codec.decode(copy(codec.encode(in, buffer)), out);
            assertThat(out.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.type(i)).isEqualTo(in.type(i));
                assertThat(out.unit(i)).isEqualTo(in.unit(i));
                assertThat(out.help(i)).isEqualTo(in.help(i));
            }
        }
    }

    @Test
    void tombstonesRoundTrip() {
        Random r = new Random(SEED);
        TombstoneBatch in = new TombstoneBatch();
        TombstoneBatch out = new TombstoneBatch();
        for (int round = 0; round < ROUNDS; round++) {
            in.clear();
            int n = r.nextInt(20);
            for (int i = 0; i < n; i++) {
                long mint = r.nextInt(5) == 0 ? Long.MIN_VALUE : timestamp(r);
                long maxt = r.nextInt(5) == 0 ? Long.MAX_VALUE : mint + r.nextInt(1_000_000);
                in.add(ref(r), mint, maxt);
            }
            codec.decode(copy(codec.encode(in, buffer)), out);
            assertThat(out.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.mint(i)).isEqualTo(in.mint(i));
                assertThat(out.maxt(i)).isEqualTo(in.maxt(i));
            }
        }
    }

    @Test
    void integerAndFloatHistogramsRoundTrip() {
        histogramsRoundTrip(RecordCodecTest::histogram, RecordType.HISTOGRAM_SAMPLES, RecordType.FLOAT_HISTOGRAM_SAMPLES);
    }

    @Test
    void customBucketHistogramsRoundTripInTheirOwnRecordTypesWithTheirBounds() {
        histogramsRoundTrip(RecordCodecTest::customBuckets, RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES);
    }

    /** Random batches of integer or float histograms from {@code gen} through the codec, in the record type expected. */
    private void histogramsRoundTrip(java.util.function.BiFunction<Random, Boolean, NativeHistogram> gen,
                                     RecordType integers, RecordType floats) {
        Random r = new Random(SEED);
        HistogramBatch in = new HistogramBatch();
        HistogramBatch out = new HistogramBatch();
        for (int round = 0; round < ROUNDS; round++) {
            boolean isFloat = r.nextBoolean();
            in.clear();
            int n = 1 + r.nextInt(10);
            for (int i = 0; i < n; i++) {
                in.add(ref(r), gen.apply(r, isFloat));
            }
            ByteBuffer rec = codec.encode(in, buffer);
            assertThat(RecordType.of(rec)).isEqualTo(isFloat ? floats : integers);
            codec.decode(copy(rec), out);
            assertThat(out.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.histogram(i)).isEqualTo(in.histogram(i)); // equals compares the sum's raw bits
                assertThat(out.histogram(i).customValues()).containsExactly(in.histogram(i).customValues());
            }
        }
    }

    /** docs/format/wal.md: type 9, the entry as in type 7, then uvarint n and n big-endian f64 bounds. */
    @Test
    void customBucketsLayoutIsPinned() {
        NativeHistogram h = NativeHistogram.ofIntegers(0, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 3, 0,
                List.of(new BucketSpan(0, 2)), new long[] {1, 1}, List.of(), new long[0], ResetHint.UNKNOWN,
                new double[] {0.5});
        String hex = HexFormat.of().formatHex(bytes(codec.encode(new HistogramBatch().add(1, h), buffer)));
        assertThat(hex).isEqualTo("09" + "01" + "02" + "00" // type, n, zigzag(ref 1), t
                + "00" + "69" // hint, zigzag(-53)
                + "0000000000000000" + "00" + "03" + "0000000000000000" // zero threshold, zero count, count, sum
                + "010002" + "020202" // positive spans and deltas
                + "00" + "00" // negative spans and deltas
                + "01" + "3fe0000000000000"); // one bound: 0.5
    }

    /**
     * Before bounds were stored, a remote-written NHCB went into a type-7 record with schema -53 and
     * nothing after its negative buckets; such a record reads as it did, without bounds.
     */
    @Test
    void olderType7RecordsWithSchemaMinus53ReadWithoutBounds() {
        byte[] legacy = HexFormat.of().parseHex("07" + "01" + "02" + "00" + "00" + "69"
                + "0000000000000000" + "00" + "03" + "0000000000000000" + "010002" + "020202" + "00" + "00");
        HistogramBatch out = codec.decode(ByteBuffer.wrap(legacy), new HistogramBatch());
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.histogram(0).schema()).isEqualTo(NativeHistogram.CUSTOM_BUCKETS_SCHEMA);
        assertThat(out.histogram(0).customValues()).isEmpty();
        assertThat(out.histogram(0).positiveBuckets()).containsExactly(
                new NativeHistogram.Bucket(0, 1), new NativeHistogram.Bucket(1, 2));
        // Rewritten (a checkpoint keeps it), it moves to type 9 with no bounds and means the same.
        ByteBuffer again = codec.encode(out, buffer);
        assertThat(RecordType.of(again)).isEqualTo(RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES);
        assertThat(codec.decode(copy(again), new HistogramBatch()).histogram(0)).isEqualTo(out.histogram(0));
    }

    @Test
    void customBucketAndExponentialHistogramsDoNotShareARecord() {
        Random r = new Random(SEED);
        HistogramBatch mixed = new HistogramBatch().add(1, histogram(r, false)).add(2, customBuckets(r, false));
        assertThatThrownBy(() -> codec.encode(mixed, buffer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("custom-bucket or exponential");
    }

    @Test
    void everyTruncationOfACustomBucketsRecordIsMalformed() {
        Random r = new Random(SEED);
        for (boolean floats : new boolean[] {false, true}) {
            HistogramBatch in = new HistogramBatch();
            for (int i = 0; i < 3; i++) {
                in.add(ref(r), customBuckets(r, floats));
            }
            byte[] whole = bytes(codec.encode(in, buffer));
            for (int len = 0; len < whole.length; len++) {
                ByteBuffer cut = ByteBuffer.wrap(whole, 0, len);
                assertThatThrownBy(() -> codec.decode(cut, new HistogramBatch())).as("cut to %d bytes", len)
                        .isInstanceOf(MalformedRecordException.class);
            }
            byte[] longer = Arrays.copyOf(whole, whole.length + 1);
            assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(longer), new HistogramBatch()))
                    .isInstanceOf(MalformedRecordException.class).hasMessageContaining("left over");
        }
    }

    @Test
    void histogramStaleMarkerRoundTrips() {
        NativeHistogram stale = NativeHistogram.ofIntegers(1000, 0, 0, 0, 0, STALE, List.of(), new long[0], List.of(),
                new long[0], ResetHint.UNKNOWN);
        HistogramBatch out = codec.decode(copy(codec.encode(new HistogramBatch().add(7, stale), buffer)),
                new HistogramBatch());
        assertThat(out.histogram(0).isStaleMarker()).isTrue();
    }

    @Test
    void mixedOrEmptyHistogramBatchesAreRefused() {
        Random r = new Random(SEED);
        HistogramBatch mixed = new HistogramBatch().add(1, histogram(r, false)).add(2, histogram(r, true));
        assertThatThrownBy(() -> codec.encode(mixed, buffer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(new HistogramBatch(), buffer))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTruncationAndTrailingGarbageIsMalformed() {
        Random r = new Random(SEED);
        List<Consumer<ByteBuffer>> decoders = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        SeriesBatch series = new SeriesBatch();
        SampleBatch samples = new SampleBatch();
        ExemplarBatch exemplars = new ExemplarBatch();
        MetadataBatch metadata = new MetadataBatch();
        TombstoneBatch tombstones = new TombstoneBatch();
        HistogramBatch histograms = new HistogramBatch();
        HistogramBatch floatHistograms = new HistogramBatch();
        for (int i = 0; i < 3; i++) {
            series.add(ref(r), labels(r));
            samples.add(ref(r), timestamp(r), value(r));
            exemplars.add(ref(r), timestamp(r), value(r), labels(r));
            metadata.add(ref(r), MetricType.COUNTER, "seconds", "help");
            tombstones.add(ref(r), 0, 10);
            histograms.add(ref(r), histogram(r, false));
            floatHistograms.add(ref(r), histogram(r, true));
        }
        records.add(bytes(codec.encode(series, buffer)));
        decoders.add(b -> codec.decode(b, new SeriesBatch()));
        records.add(bytes(codec.encode(samples, buffer)));
        decoders.add(b -> codec.decode(b, new SampleBatch()));
        records.add(bytes(codec.encode(exemplars, buffer)));
        decoders.add(b -> codec.decode(b, new ExemplarBatch()));
        records.add(bytes(codec.encode(metadata, buffer)));
        decoders.add(b -> codec.decode(b, new MetadataBatch()));
        records.add(bytes(codec.encode(tombstones, buffer)));
        decoders.add(b -> codec.decode(b, new TombstoneBatch()));
        records.add(bytes(codec.encode(histograms, buffer)));
        decoders.add(b -> codec.decode(b, new HistogramBatch()));
        records.add(bytes(codec.encode(floatHistograms, buffer)));
        decoders.add(b -> codec.decode(b, new HistogramBatch()));

        for (int k = 0; k < records.size(); k++) {
            byte[] whole = records.get(k);
            Consumer<ByteBuffer> decode = decoders.get(k);
            decode.accept(ByteBuffer.wrap(whole));
            for (int len = 0; len < whole.length; len++) {
                ByteBuffer cut = ByteBuffer.wrap(whole, 0, len);
                assertThatThrownBy(() -> decode.accept(cut)).as("record %d cut to %d bytes", k, len)
                        .isInstanceOf(MalformedRecordException.class);
            }
            byte[] longer = Arrays.copyOf(whole, whole.length + 1);
            assertThatThrownBy(() -> decode.accept(ByteBuffer.wrap(longer)))
                    .isInstanceOf(MalformedRecordException.class).hasMessageContaining("left over");
        }
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(records.get(1)), new SeriesBatch()))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("expected a SERIES record");
        assertThatThrownBy(() -> RecordType.of(ByteBuffer.wrap(new byte[] {5})))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("unknown record type 5");
    }

    @Test
    void decodingADirectBufferWorksToo() {
        SeriesBatch in = new SeriesBatch().add(42, Labels.of("__name__", "up", "job", "ünïcödé 🚀"));
        ByteBuffer rec = codec.encode(in, buffer);
        ByteBuffer direct = ByteBuffer.allocateDirect(rec.remaining()).put(rec).flip();
        SeriesBatch out = codec.decode(direct, new SeriesBatch());
        assertThat(out.labels(0)).isEqualTo(in.labels(0));
    }

    @Test
    void samplesEncodeAndDecodeWithoutAllocating() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        SampleBatch in = new SampleBatch();
        for (int i = 0; i < 500; i++) {
            in.add(i * 3L, 1_700_000_000_000L + i, i * 0.5);
        }
        SampleBatch out = new SampleBatch();
        RecordBuffer buf = new RecordBuffer();
        for (int i = 0; i < 3_000; i++) { // warm up: buffers grow, the loop compiles
            codec.decode(codec.encode(in, buf), out);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 2_000; i++) {
            codec.decode(codec.encode(in, buf), out);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(out.size()).isEqualTo(500);
        // One boxed sample per round would already be 32 KB.
        assertThat(allocated).as("bytes allocated by 2,000 encode/decode rounds of 500 samples").isLessThan(16 * 1024);
    }

    // ---- generators ----

    private static byte[] bytes(ByteBuffer rec) {
        byte[] b = new byte[rec.remaining()];
        rec.duplicate().get(b);
        return b;
    }

    private static ByteBuffer copy(ByteBuffer rec) {
        ByteBuffer b = ByteBuffer.allocate(rec.remaining());
        b.put(rec.duplicate()).flip();
        return b;
    }

    private static long ref(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextLong();
            case 1 -> Long.MIN_VALUE + r.nextInt(3);
            case 2 -> Long.MAX_VALUE - r.nextInt(3);
            default -> r.nextInt(1_000_000);
        };
    }

    private static long timestamp(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextLong();
            case 1 -> -r.nextInt(1_000_000);
            default -> 1_700_000_000_000L + r.nextInt(100_000);
        };
    }

    private static double value(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> STALE;
            case 1 -> Double.longBitsToDouble(r.nextLong()); // any bits, NaN payloads included
            case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> r.nextInt(1000);
            default -> r.nextGaussian() * 1e6;
        };
    }

    private static Labels labels(Random r) {
        int n = r.nextInt(12);
        String[] pairs = new String[2 * n];
        for (int i = 0; i < n; i++) {
            pairs[2 * i] = i == 0 && r.nextBoolean() ? Labels.METRIC_NAME : "l" + string(r, 10);
            pairs[2 * i + 1] = "v" + string(r, 30); // never empty: Labels drops empty values
        }
        return Labels.of(pairs);
    }

    private static String string(Random r, int maxLen) {
        int len = r.nextInt(maxLen + 1);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            switch (r.nextInt(8)) {
                case 0 -> sb.append((char) (0x80 + r.nextInt(0x780)));         // 2-byte UTF-8
                case 1 -> sb.append((char) (0x800 + r.nextInt(0xD000)));       // 3-byte, below surrogates
                case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x10000));    // 4-byte: a surrogate pair
                default -> sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static String hexId(Random r) {
        return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
    }

    private static NativeHistogram histogram(Random r, boolean floats) {
        List<BucketSpan> pos = spans(r);
        List<BucketSpan> neg = spans(r);
        int posN = pos.stream().mapToInt(BucketSpan::length).sum();
        int negN = neg.stream().mapToInt(BucketSpan::length).sum();
        long t = timestamp(r);
        int schema = r.nextInt(13) - 4;
        double zt = r.nextBoolean() ? 0 : 1e-128;
        ResetHint hint = ResetHint.values()[r.nextInt(4)];
        double sum = r.nextInt(10) == 0 ? STALE : r.nextDouble() * 1000;
        if (floats) {
            return NativeHistogram.ofFloats(t, schema, zt, r.nextDouble() * 5, r.nextDouble() * 1e4, sum, pos,
                    doubles(r, posN), neg, doubles(r, negN), hint);
        }
        return NativeHistogram.ofIntegers(t, schema, zt, r.nextInt(10), r.nextInt(100_000), sum, pos, deltas(r, posN),
                neg, deltas(r, negN), hint);
    }

    /** A valid NHCB: non-negative offsets, enough bounds for its spans, no zero or negative buckets. */
    private static NativeHistogram customBuckets(Random r, boolean floats) {
        List<BucketSpan> pos = new ArrayList<>();
        int k = r.nextInt(4);
        int reach = 0;
        for (int i = 0; i < k; i++) {
            BucketSpan s = new BucketSpan(r.nextInt(4), r.nextInt(6));
            pos.add(s);
            reach += s.offset() + s.length();
        }
        double[] bounds = new double[Math.max(0, reach - 1) + r.nextInt(3)];
        double b = r.nextBoolean() ? -r.nextDouble() * 100 : 0.001;
        for (int i = 0; i < bounds.length; i++) {
            b += 0.001 + r.nextDouble() * 10;
            bounds[i] = b;
        }
        int posN = pos.stream().mapToInt(BucketSpan::length).sum();
        long t = timestamp(r);
        ResetHint hint = ResetHint.values()[r.nextInt(4)];
        double sum = r.nextInt(10) == 0 ? STALE : r.nextDouble() * 1000;
        int schema = NativeHistogram.CUSTOM_BUCKETS_SCHEMA;
        if (floats) {
            return NativeHistogram.ofFloats(t, schema, 0, 0, r.nextDouble() * 1e4, sum, pos, doubles(r, posN),
                    List.of(), new double[0], hint, bounds);
        }
        return NativeHistogram.ofIntegers(t, schema, 0, 0, r.nextInt(100_000), sum, pos, deltas(r, posN),
                List.of(), new long[0], hint, bounds);
    }

    private static List<BucketSpan> spans(Random r) {
        List<BucketSpan> out = new ArrayList<>();
        int k = r.nextInt(4);
        for (int i = 0; i < k; i++) {
            out.add(new BucketSpan(i == 0 ? r.nextInt(41) - 20 : r.nextInt(5), r.nextInt(6)));
        }
        return out;
    }

    private static long[] deltas(Random r, int n) {
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextInt(201) - 100;
        }
        return d;
    }

    private static double[] doubles(Random r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 100;
        }
        return d;
    }

    @Test
    void largeRecordsAreCompressedAndRecordsWrittenUncompressedStillRead() {
        SampleBatch in = new SampleBatch();
        for (int i = 0; i < 2000; i++) {
            in.add(1000 + i, 1_700_000_000_000L, i % 3 == 0 ? 0 : i % 7); // remote-write-like: one t, few values
        }
        byte[] plain = bytes(new RecordCodec(false).encode(in, new RecordBuffer()));
        byte[] packed = bytes(codec.encode(in, buffer));
        assertThat(plain[0] & 0xFF).isEqualTo(RecordType.SAMPLES.code());
        assertThat(packed[0] & 0xFF).isEqualTo(RecordType.SAMPLES.code() | RecordType.COMPRESSED);
        assertThat(RecordType.of(ByteBuffer.wrap(packed))).isEqualTo(RecordType.SAMPLES);
        assertThat(packed.length).isLessThan(plain.length / 3);
        for (byte[] rec : List.of(plain, packed)) {
            SampleBatch out = codec.decode(ByteBuffer.wrap(rec), new SampleBatch());
            assertThat(out.size()).isEqualTo(2000);
            for (int i = 0; i < 2000; i++) {
                assertThat(out.ref(i)).isEqualTo(in.ref(i));
                assertThat(out.timestamp(i)).isEqualTo(in.timestamp(i));
                assertThat(out.value(i)).isEqualTo(in.value(i));
            }
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(packed.length).put(packed).flip();
        assertThat(codec.decode(direct, new SampleBatch()).size()).isEqualTo(2000);
        assertThat(direct.hasRemaining()).isFalse();
    }

    @Test
    void smallOrIncompressibleRecordsStayAsTheyAre() {
        byte[] small = bytes(codec.encode(new SampleBatch().add(1, 2, 3), buffer));
        assertThat(small[0] & 0xFF).isEqualTo(RecordType.SAMPLES.code());
        Random r = new Random(SEED);
        SampleBatch noise = new SampleBatch();
        for (int i = 0; i < 500; i++) {
            noise.add(r.nextLong(), r.nextLong(), Double.longBitsToDouble(r.nextLong()));
        }
        byte[] rec = bytes(codec.encode(noise, buffer));
        assertThat(rec[0] & 0xFF).isEqualTo(RecordType.SAMPLES.code());
        assertThat(codec.decode(ByteBuffer.wrap(rec), new SampleBatch()).size()).isEqualTo(500);
    }

    @Test
    void aCompressedRecordWhoseStatedSizeIsWrongIsMalformed() {
        SampleBatch in = new SampleBatch();
        for (int i = 0; i < 1000; i++) {
            in.add(i, 5, 1);
        }
        byte[] packed = bytes(codec.encode(in, buffer));
        assertThat(packed[0] & RecordType.COMPRESSED).isNotZero();
        byte[] wrong = packed.clone();
        wrong[1] ^= 1; // the uvarint size right after the type byte
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(wrong), new SampleBatch()))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("compressed record");
    }
}
