package io.mantis.demo.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestMixTest {

    @Test
    void theStandardMixDrawsEachKindAboutAsOftenAsItsWeightSays() {
        assertThat(Arrays.stream(RequestMix.Kind.values()).mapToInt(RequestMix.Kind::weight).sum()).isEqualTo(100);
        RequestMix mix = RequestMix.standard();
        SplittableRandom random = new SplittableRandom(42);
        Map<RequestMix.Kind, Integer> counts = new EnumMap<>(RequestMix.Kind.class);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(mix.next(random).kind(), 1, Integer::sum);
        }
        for (RequestMix.Kind k : RequestMix.Kind.values()) {
            double share = 100.0 * counts.getOrDefault(k, 0) / n;
            assertThat(share).as(k.name()).isCloseTo(k.weight(), org.assertj.core.data.Offset.offset(1.5));
        }
    }

    @Test
    void eachKindAsksForWhatItsNameSays() {
        SplittableRandom random = new SplittableRandom(7);
        RequestMix.Planned invalid = RequestMix.of(Map.of(RequestMix.Kind.CREATE_INVALID_USER, 1)).next(random);
        assertThat(invalid.method()).isEqualTo("POST");
        assertThat(invalid.path()).isEqualTo("/api/users");
        assertThat(invalid.body()).isNotNull();
        RequestMix.Planned valid = RequestMix.of(Map.of(RequestMix.Kind.CREATE_USER, 1)).next(random);
        assertThat(valid.body()).matches("\\{\"name\":\"[A-Za-z]+ \\d+\",\"email\":\"[a-z]+\\d+@example\\.com\"}");
        for (int i = 0; i < 100; i++) {
            String known = RequestMix.of(Map.of(RequestMix.Kind.GET_USER, 1)).next(random).path();
            assertThat(Integer.parseInt(known.substring("/api/users/".length()))).isBetween(1, 10);
            String unknown = RequestMix.of(Map.of(RequestMix.Kind.GET_UNKNOWN_USER, 1)).next(random).path();
            assertThat(Integer.parseInt(unknown.substring("/api/users/".length()))).isGreaterThan(10_000);
        }
        assertThat(RequestMix.of(Map.of(RequestMix.Kind.ORDER, 1)).next(random).path()).isEqualTo("/api/orders");
        assertThat(RequestMix.of(Map.of(RequestMix.Kind.ERROR, 1)).next(random).path()).isEqualTo("/api/error");
        assertThat(RequestMix.of(Map.of(RequestMix.Kind.SLOW, 1)).next(random).path()).isEqualTo("/api/slow");
    }
}
