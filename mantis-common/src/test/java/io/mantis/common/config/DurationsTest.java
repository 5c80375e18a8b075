package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1}ns")
    @CsvSource({
            "0, 0",
            "-0, 0",
            "+0, 0",
            "0s, 0",
            "200ms, 200000000",
            "30s, 30000000000",
            "1m30s, 90000000000",
            "1h, 3600000000000",
            "1.5s, 1500000000",
            ".5s, 500000000",
            "5.s, 5000000000",
            "1h2m3s4ms5us6ns, 3723004005006",
            "10us, 10000",
            "10\u00b5s, 10000",
            "10\u03bcs, 10000",
            "7ns, 7",
            "1.5ns, 1",
            "-1.5s, -1500000000",
            "+2m, 120000000000",
            "1s1s, 2000000000",
            "2562047h47m16.854775807s, 9223372036854775807",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void bareIntegerIsRejectedWithAHintAboutTheUnit() {
        assertThatThrownBy(() -> Durations.parse("30"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a duration like 30s, got '30' (missing unit: use ns, us, ms, s, m,"
                        + " h, d, w or y)");
    }

    @Test
    void prometheusRetentionUnitsAreAccepted() {
        assertThat(Durations.parse("15d")).isEqualTo(Duration.ofDays(15));
        assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(Durations.parse("1d12h")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void unknownUnitIsNamed() {
        assertThatThrownBy(() -> Durations.parse("3days"))
                .hasMessage("expected a duration like 30s, got '3days' (unknown unit 'days': use ns, us, ms,"
                        + " s, m, h, d, w or y)");
        assertThatThrownBy(() -> Durations.parse("30S"))
                .hasMessageContaining("unknown unit 'S'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "s", "-", ".s", "1..5s", "1.2.3s", " 1s", "1s ", "1 s",
            "1e3s", "2562047h47m16.854775808s", "0x10s"})
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a duration like 30s, got '" + text + "'");
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource({
            "0, 0s",
            "7, 7ns",
            "1500, 1.5us",
            "200000000, 200ms",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "3600000000000, 1h0m0s",
            "3723500000000, 1h2m3.5s",
            "-1500000000, -1.5s",
    })
    void formatsLikeGoAndRoundTrips(long nanos, String text) {
        Duration d = Duration.ofNanos(nanos);
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(d);
    }
}
