package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromFormatTest {

    @Test
    void valuesUseGoShortestDigitsWithExponentsOnlyForTinyAndHugeMagnitudes() {
        assertThat(PromFormat.value(0)).isEqualTo("0");
        assertThat(PromFormat.value(-0.0)).isEqualTo("-0");
        assertThat(PromFormat.value(1)).isEqualTo("1");
        assertThat(PromFormat.value(0.1)).isEqualTo("0.1");
        assertThat(PromFormat.value(8_123_456_789.0)).isEqualTo("8123456789");
        assertThat(PromFormat.value(1e20)).isEqualTo("100000000000000000000");
        // below 1e-6 and from 1e21 up, Go's 'e' form: at least two exponent digits, explicit sign
        assertThat(PromFormat.value(1e-6)).isEqualTo("0.000001");
        assertThat(PromFormat.value(1.1e-6)).isEqualTo("0.0000011");
        assertThat(PromFormat.value(1e-7)).isEqualTo("1e-07");
        assertThat(PromFormat.value(-2.5e-9)).isEqualTo("-2.5e-09");
        assertThat(PromFormat.value(1e21)).isEqualTo("1e+21");
        assertThat(PromFormat.value(1.5e300)).isEqualTo("1.5e+300");
        assertThat(PromFormat.value(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PromFormat.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PromFormat.value(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void timesAreWrittenAsGoWritesTimeValues() {
        assertThat(PromFormat.rfc3339(java.time.Instant.parse("2026-11-24T06:09:01Z"))).isEqualTo("2026-11-24T06:09:01Z");
        assertThat(PromFormat.rfc3339(java.time.Instant.parse("2026-11-24T06:09:01.814800Z")))
                .isEqualTo("2026-11-24T06:09:01.8148Z");
        assertThat(PromFormat.rfc3339(java.time.Instant.parse("2026-11-24T06:09:01.824184853Z")))
                .isEqualTo("2026-11-24T06:09:01.824184853Z");
    }

    @Test
    void timestampsKeepAllThreeFractionDigits() {
        assertThat(PromFormat.seconds(4000)).isEqualTo("4");
        assertThat(PromFormat.seconds(1_600_096_945_479L)).isEqualTo("1600096945.479");
        assertThat(PromFormat.seconds(1500)).isEqualTo("1.500");
        assertThat(PromFormat.seconds(1_000_120)).isEqualTo("1000.120");
        assertThat(PromFormat.seconds(5)).isEqualTo("0.005");
        assertThat(PromFormat.seconds(-1500)).isEqualTo("-1.500");
        assertThat(PromFormat.seconds(-1000)).isEqualTo("-1");
    }
}
