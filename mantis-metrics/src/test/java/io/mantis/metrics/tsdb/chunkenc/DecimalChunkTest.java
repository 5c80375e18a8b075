package io.mantis.metrics.tsdb.chunkenc;

import static io.mantis.metrics.tsdb.chunkenc.XorChunkTest.assertDecodes;
import static io.mantis.metrics.tsdb.chunkenc.XorChunkTest.generate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.tsdb.chunkenc.XorChunkTest.Series;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalChunkTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);
    private static final double[] SPECIALS = {Double.NaN, STALE, Double.longBitsToDouble(0x7ff8000000000001L),
        Double.longBitsToDouble(0xfff8000000000000L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 0x1p63, 0x1p64,
        9.223372036854776e18, 1e22, 1e23, 1e-22, 1e300, 123456789012345678.0, Long.MAX_VALUE, Long.MIN_VALUE};

    private final DecimalChunk.Encoder encoder = new DecimalChunk.Encoder();

    private DecimalChunk encode(Series s) {
        return encoder.encode(s.ts(), s.vs(), s.ts().length);
    }

    private static byte[] bytes(Chunk c) {
        ByteBuffer b = c.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Decodes from the encoder's chunk, from a wrapped array at an offset and from a direct buffer. */
    private static void assertRoundTrips(Chunk c, Series s) {
        assertThat(c.encoding()).isEqualTo(Encoding.DECIMAL);
        assertDecodes(c, s);
        byte[] b = bytes(c);
        byte[] padded = new byte[b.length + 5];
        System.arraycopy(b, 0, padded, 3, b.length);
        assertDecodes(Chunk.wrap(Encoding.DECIMAL, padded, 3, b.length), s);
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length + 7).position(7);
        direct.put(b).position(7);
        assertDecodes(Chunk.wrap(Encoding.DECIMAL, direct), s);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void roundTripsEveryShapeOverManySeeds(int shape) {
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed * 31L + shape);
            Series s = generate(rnd, shape, 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 3000 : 240));
            assertRoundTrips(encode(s), s);
        }
    }

    // ---- node-exporter-like shapes, as the benchmark stream makes them ----

    /** {@code n} units of {@code step} as the nearest double to the decimal an exporter prints. */
    private static double onGrid(long n, double step) {
        return step >= 1 ? n * step : n / Math.rint(1 / step);
    }

    private static Series exporterLike(Random rnd, int model, int n) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        double[] steps = {1, 0.01, 0.001, 512, 4096, 1e-6, 1e-9, 8};
        double step = steps[rnd.nextInt(steps.length)];
        double rate = Math.pow(10, rnd.nextInt(7)) * rnd.nextDouble();
        long base = rnd.nextInt(200_000);
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * 10_000L;
            vs[i] = switch (model) {
                case 0 -> onGrid(base * 7 + (long) 3, step); // constant
                case 1 -> onGrid((long) Math.floor(rate * (base + i + rnd.nextDouble())), step); // counter
                case 2 -> { // slow gauge with noise on a grid
                    double x = 1e6 * (1 + Math.sin(i / 50.0)) + 1e4 * rnd.nextDouble();
                    yield step >= 1 ? Math.rint(x / step) * step : Math.rint(x / step) / Math.rint(1 / step);
                }
                case 3 -> 1e-5 + (5e-3 - 1e-5) * rnd.nextDouble(); // full-precision noise
                default -> ts[i] / 1000.0 + 0.002 + 0.004 * rnd.nextDouble(); // a clock
            };
        }
        return new Series(ts, vs);
    }

    private static int xorSize(Series s) {
        int total = 0;
        for (int from = 0; from < s.ts().length; from += 120) {
            int to = Math.min(s.ts().length, from + 120);
            total += XorChunkTest.encode(new Series(Arrays.copyOfRange(s.ts(), from, to),
                    Arrays.copyOfRange(s.vs(), from, to))).sizeBytes();
        }
        return total;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void exporterShapedSeriesRoundTripAndAreNoLargerThanXor(int model) {
        long decimal = 0;
        long xor = 0;
        for (int seed = 0; seed < 40; seed++) {
            Random rnd = new Random(seed * 7L + model);
            Series s = exporterLike(rnd, model, 720);
            DecimalChunk c = encode(s);
            assertRoundTrips(c, s);
            decimal += c.sizeBytes();
            xor += xorSize(s);
        }
        // Grid values, regular timestamps and clocks pack far better than XOR; noise not worse.
        double limit = switch (model) {
            case 0 -> 0.1;
            case 2 -> 0.8;
            case 3 -> 1.0;
            default -> 0.6;
        };
        assertThat((double) decimal).as("decimal %d vs xor %d bytes", decimal, xor).isLessThanOrEqualTo(limit * xor);
    }

    @Test
    void aConstantSeriesOnExactIntervalsTakesAFewBytes() {
        long[] ts = new long[720];
        double[] vs = new double[720];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = T0 + i * 15_000L;
            vs[i] = 0.07;
        }
        DecimalChunk c = encoder.encode(ts, vs, ts.length);
        assertRoundTrips(c, new Series(ts, vs));
        assertThat(c.sizeBytes()).isLessThan(24);
    }

    // ---- special values ----

    @Test
    void everySpecialBitPatternRoundTripsAloneAndAmongDecimals() {
        for (double special : SPECIALS) {
            Series alone = new Series(new long[] {T0}, new double[] {special});
            assertRoundTrips(encode(alone), alone);
            long[] ts = new long[100];
            double[] vs = new double[100];
            for (int i = 0; i < 100; i++) {
                ts[i] = T0 + i * 1000L;
                vs[i] = i % 17 == 5 ? special : i * 0.25;
            }
            assertRoundTrips(encode(new Series(ts, vs)), new Series(ts, vs));
        }
        // All of them in one chunk, and one chunk of nothing but specials, in every order.
        Random rnd = new Random(3);
        for (int round = 0; round < 50; round++) {
            double[] vs = SPECIALS.clone();
            for (int i = vs.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                double x = vs[i];
                vs[i] = vs[j];
                vs[j] = x;
            }
            long[] ts = new long[vs.length];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = T0 + i;
            }
            assertRoundTrips(encode(new Series(ts, vs)), new Series(ts, vs));
        }
    }

    @Test
    void staleMarkersInsideACounterKeepTheCounterCompact() {
        long[] ts = new long[720];
        double[] vs = new double[720];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = T0 + i * 10_000L;
            vs[i] = i % 100 == 99 ? STALE : onGrid(12_345 + 3L * i, 0.01);
        }
        DecimalChunk c = encode(new Series(ts, vs));
        assertRoundTrips(c, new Series(ts, vs));
        // 7 exceptions of ~74 bits, the rest nearly free.
        assertThat(c.sizeBytes()).isLessThan(100);
    }

    @Test
    void randomBitPatternsRoundTrip() {
        Random rnd = new Random(11);
        for (int seed = 0; seed < 100; seed++) {
            int n = 1 + rnd.nextInt(300);
            long[] ts = new long[n];
            double[] vs = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = T0 + i * 10_000L;
                vs[i] = switch (rnd.nextInt(4)) {
                    case 0 -> Double.longBitsToDouble(rnd.nextLong());
                    case 1 -> rnd.nextInt(1000) / 100.0;
                    case 2 -> Math.scalb((double) rnd.nextInt(1 << 20), rnd.nextInt(2000) - 1000);
                    default -> SPECIALS[rnd.nextInt(SPECIALS.length)];
                };
            }
            assertRoundTrips(encode(new Series(ts, vs)), new Series(ts, vs));
        }
    }

    // ---- timestamps and sizes ----

    @Test
    void extremeIrregularAndDecreasingTimestampsRoundTrip() {
        Series s = new Series(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MIN_VALUE + 1, -1, Long.MAX_VALUE, 5, 5},
                new double[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertRoundTrips(encode(s), s);
        Random rnd = new Random(5);
        long[] ts = new long[1000];
        long t = -T0;
        for (int i = 0; i < ts.length; i++) {
            t += switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(100) - 50;
                case 1 -> rnd.nextLong() >> rnd.nextInt(64);
                case 2 -> 0;
                default -> 15_000 + rnd.nextInt(21) - 10;
            };
            ts[i] = t;
        }
        double[] vs = new double[ts.length];
        Arrays.fill(vs, 1.5);
        assertRoundTrips(encode(new Series(ts, vs)), new Series(ts, vs));
    }

    @Test
    void chunksOfOneAndOfTheMostSamples() {
        Series one = new Series(new long[] {-42}, new double[] {0.1});
        DecimalChunk c = encode(one);
        assertThat(c.numSamples()).isEqualTo(1);
        assertRoundTrips(c, one);

        int n = Chunk.MAX_SAMPLES;
        long[] ts = new long[n];
        double[] vs = new double[n];
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * 1000L + rnd.nextInt(3);
            vs[i] = i % 1000 == 0 ? STALE : onGrid(i * 3L + rnd.nextInt(5), 0.001);
        }
        DecimalChunk big = encoder.encode(ts, vs, n);
        assertThat(big.numSamples()).isEqualTo(n);
        assertRoundTrips(big, new Series(ts, vs));

        assertThatThrownBy(() -> encoder.encode(new long[1], new double[1], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.encode(new long[n + 1], new double[n + 1], n + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesASliceOfLongerArrays() {
        long[] ts = {1, 2, 3, 4, 5};
        double[] vs = {0.5, 1.5, Double.NaN, 3.5, 4.5};
        DecimalChunk c = encoder.encode(ts, vs, 1, 3);
        assertRoundTrips(c, new Series(new long[] {2, 3, 4}, new double[] {1.5, Double.NaN, 3.5}));
    }

    // ---- iteration ----

    @Test
    void seekAndReuseAcrossChunksAndEncodings() {
        long[] ts = {10, 20, 30, 40};
        double[] vs = {1, 2, 3, 4};
        DecimalChunk c = encoder.encode(ts, vs, 4);
        ChunkIterator it = c.iterator(null);
        assertThat(it.seek(25)).isEqualTo(ValueType.FLOAT);
        assertThat(it.timestamp()).isEqualTo(30);
        assertThat(it.seek(5)).isEqualTo(ValueType.FLOAT);
        assertThat(it.timestamp()).as("seek never goes back").isEqualTo(30);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.value()).isEqualTo(4);
        assertThat(it.seek(41)).isEqualTo(ValueType.NONE);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThatThrownBy(() -> it.histogram(new io.mantis.metrics.model.FloatHistogram()))
                .isInstanceOf(UnsupportedOperationException.class);

        DecimalChunk other = encoder.encode(new long[] {7}, new double[] {-0.0}, 1);
        assertThat(other.iterator(it)).isSameAs(it);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        // An XOR iterator is not reused for a decimal chunk, nor the other way round.
        ChunkIterator xorIt = XorChunkTest.encode(new Series(ts, vs)).iterator(null);
        assertThat(c.iterator(xorIt)).isNotSameAs(xorIt);
    }

    @Test
    void isReadOnlyAndHasItsOwnEncodingByte() {
        DecimalChunk c = encoder.encode(new long[] {1}, new double[] {1}, 1);
        assertThatThrownBy(c::appender).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Chunk.create(Encoding.DECIMAL)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Encoding.DECIMAL.byteValue()).isEqualTo((byte) 0x4D);
        assertThat(Encoding.fromByte(0x4D)).isEqualTo(Encoding.DECIMAL);
        assertThat(Encoding.isKnown(0x4D)).isTrue();
        assertThat(Encoding.isKnown(0x4D | 0x80)).isFalse();
        assertThat(Encoding.isKnown(4)).isFalse();
        assertThat(Encoding.DECIMAL.isFloat()).isTrue();
        assertThat(Encoding.HISTOGRAM.isFloat()).isFalse();
    }

    // ---- damage ----

    private static Series mixed() {
        Random rnd = new Random(9);
        long[] ts = new long[300];
        double[] vs = new double[300];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = T0 + i * 10_000L + (i % 7 == 0 ? rnd.nextInt(100) : 0);
            vs[i] = i % 50 == 0 ? STALE : i * 0.5 + rnd.nextInt(10);
        }
        return new Series(ts, vs);
    }

    private static void decodeAll(Chunk c) {
        ChunkIterator it = c.iterator(null);
        while (it.next() != ValueType.NONE) {
            it.timestamp();
            it.value();
        }
    }

    @Test
    void everyTruncationIsReportedAsCorruption() {
        for (Series s : new Series[] {mixed(), generate(new Random(2), 4, 200), generate(new Random(3), 1, 200)}) {
            byte[] b = bytes(encode(s));
            for (int len = 0; len < b.length; len++) {
                int l = len;
                assertThatThrownBy(() -> decodeAll(Chunk.wrap(Encoding.DECIMAL, b, 0, l)))
                        .as("truncated to %d of %d bytes", l, b.length)
                        .isInstanceOf(CorruptChunkException.class);
            }
        }
    }

    @Test
    void trailingBytesAndAnEmptyChunkAreCorrupt() {
        byte[] b = bytes(encode(mixed()));
        byte[] longer = Arrays.copyOf(b, b.length + 1);
        assertThatThrownBy(() -> decodeAll(Chunk.wrap(Encoding.DECIMAL, longer, 0, longer.length)))
                .isInstanceOf(CorruptChunkException.class).hasMessageContaining("after its last sample");
        byte[] empty = {0, 0, 0, 0};
        assertThatThrownBy(() -> decodeAll(Chunk.wrap(Encoding.DECIMAL, empty, 0, empty.length)))
                .isInstanceOf(CorruptChunkException.class);
    }

    @Test
    void damagedBytesRaiseOnlyCorruptChunkException() {
        Random rnd = new Random(17);
        Series[] inputs = {mixed(), generate(new Random(4), 4, 150), generate(new Random(5), 3, 150),
            exporterLike(new Random(6), 3, 200), exporterLike(new Random(7), 4, 200)};
        int corrupt = 0;
        for (Series s : inputs) {
            byte[] good = bytes(encode(s));
            for (int round = 0; round < 400; round++) {
                byte[] b = good.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                try {
                    decodeAll(Chunk.wrap(Encoding.DECIMAL, b, 0, b.length));
                } catch (CorruptChunkException e) {
                    corrupt++;
                }
            }
        }
        // Damage that still parses reads as other values (the frame's CRC catches it on disk);
        // most damage does not parse.
        assertThat(corrupt).isGreaterThan(0);
    }

    @Test
    void aFailedDecodeLeavesTheReusedIteratorEmpty() {
        DecimalChunk good = encode(mixed());
        byte[] b = bytes(good);
        ChunkIterator it = good.iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        Chunk truncated = Chunk.wrap(Encoding.DECIMAL, b, 0, b.length - 1);
        assertThatThrownBy(() -> truncated.iterator(it)).isInstanceOf(CorruptChunkException.class);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
    }
}
