package io.mantis.metrics.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UlidTest {

    @Test
    void textFormEncodesTimeFirstAndRoundTrips() {
        // The spec's example time 1469918176385 encodes as 01ARYZ6S41.
        Ulid u = Ulid.of(1469918176385L, 0, 0);
        assertThat(u.toString()).isEqualTo("01ARYZ6S410000000000000000");
        assertThat(u.timestamp()).isEqualTo(1469918176385L);
        Ulid max = Ulid.of(Ulid.MAX_TIME, -1, -1);
        assertThat(max.toString()).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        Random rnd = new Random(1);
        for (int i = 0; i < 1000; i++) {
            Ulid r = Ulid.of(rnd.nextLong(0, Ulid.MAX_TIME + 1), rnd.nextInt(), rnd.nextLong());
            assertThat(Ulid.parse(r.toString())).isEqualTo(r);
            assertThat(Ulid.parse(r.toString().toLowerCase())).isEqualTo(r);
        }
    }

    @Test
    void orderIsTheOrderOfTheText() {
        Random rnd = new Random(2);
        List<Ulid> list = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            list.add(Ulid.of(rnd.nextInt(3) == 0 ? Ulid.MAX_TIME - rnd.nextInt(5) : rnd.nextLong(0, 1L << 47),
                    rnd.nextInt(), rnd.nextLong()));
        }
        List<Ulid> byValue = new ArrayList<>(list);
        byValue.sort(null);
        List<Ulid> byText = new ArrayList<>(list);
        byText.sort((a, b) -> a.toString().compareTo(b.toString()));
        assertThat(byValue).isEqualTo(byText);
    }

    @Test
    void generatorIsMonotonicWithinAMillisecondAndWhenTheClockGoesBack() {
        AtomicLong clock = new AtomicLong(1_000);
        Ulid.Generator g = new Ulid.Generator(clock::get, new Random(3));
        Ulid prev = g.next();
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                clock.set(500); // clock stepped back
            }
            Ulid u = g.next();
            assertThat(u).isGreaterThan(prev);
            assertThat(u.toString()).isGreaterThan(prev.toString());
            assertThat(u.timestamp()).isEqualTo(1_000);
            prev = u;
        }
        clock.set(2_000);
        assertThat(g.next().timestamp()).isEqualTo(2_000);
        assertThat(Ulid.next()).isLessThan(Ulid.next());
    }

    @Test
    void rejectsWhatIsNotAUlid() {
        for (String s : new String[] {"", "01ARYZ6S41", "01ARYZ6S410000000000000000X", "81ARYZ6S410000000000000000",
                "01ARYZ6S41000000000000000U", "01ARYZ6S41000000000000000-", "01ARYZ6S41000000000000000\u00e9"}) {
            assertThat(Ulid.isValid(s)).as(s).isFalse();
            assertThatThrownBy(() -> Ulid.parse(s)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Ulid.isValid(null)).isFalse();
    }
}
