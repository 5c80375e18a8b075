package io.mantis.metrics.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {

    static final long H = 3_600_000;

    private static Retention.Candidate block(long min, long max, long size) {
        return new Retention.Candidate(BlockMeta.level1(Ulid.next(), min, max, BlockMeta.Stats.EMPTY), size);
    }

    @Test
    void timeRetentionCountsFromTheNewestBlock() {
        Retention.Candidate a = block(0, 2 * H, 10);
        Retention.Candidate b = block(2 * H, 4 * H, 10);
        Retention.Candidate c = block(4 * H, 6 * H, 10);
        Retention.Candidate d = block(6 * H, 8 * H, 10);
        Retention r = new Retention(Duration.ofHours(4), 0);
        // newest maxTime 8h: anything ending before 4h goes; b ends exactly at 4h and stays
        assertThat(r.expired(List.of(d, b, a, c), 0)).containsExactly(a.meta());
        assertThat(new Retention(Duration.ofHours(3), 0).expired(List.of(d, b, a, c), 0)).containsExactly(a.meta(), b.meta());
        assertThat(new Retention(Duration.ZERO, 0).expired(List.of(d, b, a, c), 1 << 30)).isEmpty();
        assertThat(r.expired(List.of(), 0)).isEmpty();
    }

    @Test
    void sizeRetentionDropsTheOldestWhileOver() {
        Retention.Candidate a = block(0, 2 * H, 100);
        Retention.Candidate b = block(2 * H, 4 * H, 100);
        Retention.Candidate c = block(4 * H, 6 * H, 100);
        Retention r = new Retention(Duration.ZERO, 250);
        assertThat(r.expired(List.of(a, b, c), 0)).containsExactly(a.meta());
        assertThat(r.expired(List.of(a, b, c), 50)).containsExactly(a.meta());
        assertThat(r.expired(List.of(a, b, c), 51)).containsExactly(a.meta(), b.meta());
        assertThat(r.expired(List.of(a, b, c), 300)).as("the head alone is over").containsExactly(a.meta(), b.meta(), c.meta());
        assertThat(new Retention(Duration.ZERO, 300).expired(List.of(a, b, c), 0)).isEmpty();
        // both limits: the union
        assertThat(new Retention(Duration.ofHours(3), 250).expired(List.of(a, b, c), 0)).containsExactly(a.meta());
        assertThat(new Retention(Duration.ofHours(1), 1000).expired(List.of(a, b, c), 0)).containsExactly(a.meta(), b.meta());
    }
}
