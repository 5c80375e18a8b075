package io.mantis.metrics.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class DeltaPackingTest {

    private final DeltaPacking packer = new DeltaPacking();

    /** Writes and reads back {@code x}; returns the form (order) the writer chose. */
    private int roundTrip(long[] x) {
        BitWriter w = new BitWriter(16, 0);
        packer.write(w, x, x.length, new long[x.length]);
        BitReader r = new BitReader();
        r.reset(Arrays.copyOf(w.array(), w.byteLength()), 0, w.byteLength());
        long[] out = new long[x.length];
        DeltaPacking.read(r, out, x.length);
        assertThat(out).as("sequence of %d", x.length).containsExactly(x);
        assertThat(r.bitsRemaining()).isLessThan(8);
        return (w.array()[0] & 0xff) >>> 6;
    }

    private static long[] seq(int n, IntToLongFunction f) {
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = f.applyAsLong(i);
        }
        return x;
    }

    @Test
    void eachFormIsChosenWhereItIsSmallestAndRoundTrips() {
        Random rnd = new Random(1);
        assertThat(roundTrip(seq(500, i -> rnd.nextInt(1 << 20)))).as("noise: plain values").isZero();
        long[] walk = new long[500];
        for (int i = 1; i < walk.length; i++) {
            walk[i] = walk[i - 1] + rnd.nextInt(1 << 12);
        }
        assertThat(roundTrip(walk)).as("random walk: differences").isEqualTo(1);
        assertThat(roundTrip(seq(500, i -> (long) i * i * 3 + 7))).as("quadratic: second differences").isEqualTo(2);
        assertThat(roundTrip(seq(720, i -> (long) Math.floor(7.3 * (1000 + i + rnd.nextDouble())))))
                .as("steady counter: per-group trend").isEqualTo(DeltaPacking.LINEAR);
    }

    @Test
    void anySequenceRoundTripsWhateverItsRange() {
        Random rnd = new Random(2);
        long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
        for (int round = 0; round < 300; round++) {
            int n = rnd.nextInt(10) == 0 ? rnd.nextInt(5000) : rnd.nextInt(300);
            int kind = rnd.nextInt(4);
            long[] x = seq(n, i -> switch (kind) {
                case 0 -> rnd.nextLong();
                case 1 -> edges[rnd.nextInt(edges.length)];
                case 2 -> (rnd.nextLong() >> rnd.nextInt(64)) + i * 1000L;
                default -> i * 0x1234_5678_9abcL + rnd.nextInt(3);
            });
            roundTrip(x);
        }
        roundTrip(new long[0]);
        roundTrip(new long[] {Long.MIN_VALUE});
        roundTrip(new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
    }

    @Test
    void aWidthAbove64IsCorrupt() {
        BitWriter w = new BitWriter(16, 0);
        w.writeBits(0, 2); // order 0
        w.writeBits(3, 4); // groups of 8
        w.writeBits(65, 7); // width
        BitReader r = new BitReader();
        r.reset(w.array(), 0, w.byteLength());
        assertThatThrownBy(() -> DeltaPacking.read(r, new long[4], 4)).isInstanceOf(CorruptChunkException.class);
    }
}
