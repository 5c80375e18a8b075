package io.mantis.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RawSeriesRefsTest {

    @Test
    void remembersEveryReferenceThroughGrowth() {
        RawSeriesRefs refs = new RawSeriesRefs();
        SplittableRandom r = new SplittableRandom(7);
        Map<Long, Long> expected = new HashMap<>();
        for (int i = 1; i <= 300_000; i++) {
            long hash = r.nextLong();
            refs.put(hash, i);
            expected.put(hash, (long) i);
        }
        assertThat(refs.size()).isEqualTo(expected.size());
        expected.forEach((hash, ref) -> assertThat(refs.get(hash)).isEqualTo(ref));
        assertThat(refs.get(r.nextLong())).as("an unknown hash (32-bit tag clash aside)").isZero();
    }

    @Test
    void aHashSharingTheTagReplacesTheEntryAndVerificationSortsItOut() {
        RawSeriesRefs refs = new RawSeriesRefs();
        long a = 0x0123_4567_89AB_CDEFL;
        long b = 0x0000_0001_89AB_CDEFL; // same segment (top bits), same low 32 bits
        refs.put(a, 5);
        assertThat(refs.get(b)).isEqualTo(5); // the caller's label check rejects this
        refs.put(b, 6);
        assertThat(refs.get(a)).isEqualTo(6);
        assertThat(refs.size()).isEqualTo(1);
    }

    @Test
    void referencesThatDoNotFitAreNotRemembered() {
        RawSeriesRefs refs = new RawSeriesRefs();
        refs.put(42, 0x1_0000_0000L);
        refs.put(43, 0);
        assertThat(refs.get(42)).isZero();
        assertThat(refs.get(43)).isZero();
        refs.put(44, 9);
        refs.clear();
        assertThat(refs.get(44)).isZero();
        assertThat(refs.size()).isZero();
    }
}
