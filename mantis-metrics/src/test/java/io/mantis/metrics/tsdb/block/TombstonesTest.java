package io.mantis.metrics.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeakedFiles.class)
class TombstonesTest {

    @TempDir
    Path dir;

    @Test
    void intervalsMergeLikeASetOfTimestamps() {
        Random rnd = new Random(4);
        for (int round = 0; round < 300; round++) {
            Intervals iv = Intervals.EMPTY;
            BitSet want = new BitSet();
            int n = rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
                int a = rnd.nextInt(100);
                int b = a + rnd.nextInt(15);
                iv = iv.add(a, b);
                want.set(a, b + 1);
            }
            for (int k = 0; k < iv.size(); k++) {
                assertThat(iv.mint(k)).isLessThanOrEqualTo(iv.maxt(k));
                if (k > 0) {
                    assertThat(iv.mint(k)).as("merged, not touching: %s", iv).isGreaterThan(iv.maxt(k - 1) + 1);
                }
            }
            for (int t = -2; t < 120; t++) {
                assertThat(iv.contains(t)).as("%s contains %d", iv, t).isEqualTo(want.get(Math.max(t, 0)) && t >= 0);
            }
            int a = rnd.nextInt(110);
            int b = a + rnd.nextInt(10);
            boolean all = want.nextClearBit(a) > b;
            assertThat(iv.covers(a, b)).isEqualTo(all);
            int next = want.nextSetBit(a);
            assertThat(iv.intersects(a, b)).isEqualTo(next >= 0 && next <= b);
        }
    }

    @Test
    void intervalsAtTheEndsOfTimeDoNotOverflow() {
        Intervals iv = Intervals.of(Long.MIN_VALUE, -5).add(10, Long.MAX_VALUE).add(-4, 9);
        assertThat(iv.size()).isEqualTo(1);
        assertThat(iv.covers(Long.MIN_VALUE, Long.MAX_VALUE)).isTrue();
        Intervals two = Intervals.of(Long.MAX_VALUE, Long.MAX_VALUE).add(Long.MIN_VALUE, Long.MIN_VALUE);
        assertThat(two.size()).isEqualTo(2);
        assertThat(two.contains(0)).isFalse();
        assertThatThrownBy(() -> Intervals.of(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fileRoundTripsAndIsReplacedAtomically() throws IOException {
        Random rnd = new Random(5);
        Tombstones.Builder b = new Tombstones.Builder();
        for (int i = 0; i < 500; i++) {
            long a = rnd.nextLong(-1_000_000, 1_000_000);
            b.add(rnd.nextInt(100), a, a + rnd.nextInt(10_000));
        }
        b.add(7, Long.MIN_VALUE, Long.MIN_VALUE + 1).add(8, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        Tombstones t = b.build();
        assertThat(Tombstones.read(dir, 100)).isSameAs(Tombstones.EMPTY);
        t.write(dir);
        assertThat(Tombstones.read(dir, 100)).isEqualTo(t);
        assertThat(Tombstones.read(dir, -1).numIntervals()).isEqualTo(t.numIntervals());
        assertThat(t.isDeleted(7, Long.MIN_VALUE)).isTrue();
        assertThat(t.isDeleted(1000, 0)).isFalse();
        Tombstones more = t.toBuilder().add(99, 0, 0).build();
        more.write(dir);
        assertThat(Tombstones.read(dir, 100)).isEqualTo(more);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(Tombstones.FILE_NAME);
        }
        assertThatThrownBy(() -> Tombstones.read(dir, 50)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("not in the block");
    }

    @Test
    void theFileLayoutIsTheDocumentedOne() {
        byte[] b = new Tombstones.Builder().add(3, 10, 20).add(3, -5, -1).build().encode();
        // magic, version, series 3, two intervals: [-5,-1] [10,20] zig-zag, CRC
        assertThat(java.util.Arrays.copyOf(b, b.length - 4)).containsExactly(
                0x01, 0x30, 0xBA - 256, 0x30, 1, 3, 2, 9, 1, 20, 40);
        assertThat(Tombstones.decode(b, 4).get(3)).isEqualTo(Intervals.of(-5, -1).add(10, 20));
    }

    @Test
    void damageIsReportedNamingTheFile() throws IOException {
        new Tombstones.Builder().add(1, 10, 20).build().write(dir);
        Path f = dir.resolve(Tombstones.FILE_NAME);
        byte[] good = Files.readAllBytes(f);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x04;
            Files.write(f, bad);
            assertThatThrownBy(() -> Tombstones.read(dir, 10)).as("byte %d", i).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining(f.toString());
        }
        Files.write(f, java.util.Arrays.copyOf(good, 6));
        assertThatThrownBy(() -> Tombstones.read(dir, 10)).hasMessageContaining("too short");
    }
}
