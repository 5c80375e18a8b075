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

    @org.junit.jupiter.api.Test
    void thePlainFormMatchesTheExactDecimalForEveryMagnitude() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 21));
                case 2 -> Math.round(r.nextDouble() * 1e6) / Math.pow(10, r.nextInt(0, 9));
                default -> r.nextInt(1, 1000) * Math.pow(10, r.nextInt(-6, 21)) + 0.5;
            };
            double abs = Math.abs(v);
            if (Double.isNaN(v) || Double.isInfinite(v) || abs < 1e-6 || abs >= 1e21 || v == Math.rint(v)) {
                continue;
            }
            String fast = PromFormat.plain(v);
            if (fast == null) {
                continue;
            }
            String exact = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            org.assertj.core.api.Assertions.assertThat(fast).as("%s", v).isEqualTo(exact);
            org.assertj.core.api.Assertions.assertThat(Double.parseDouble(fast)).isEqualTo(v);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 3) {
                case 0 -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-5, 9));
                case 1 -> Math.round(r.nextDouble() * 1e6) / Math.pow(10, r.nextInt(0, 9));
                default -> Double.longBitsToDouble(r.nextLong());
            };
            sb.setLength(0);
            sb.append("x");
            if (PromFormat.appendPlain(v, sb)) {
                org.assertj.core.api.Assertions.assertThat(sb.substring(1)).as("%s", v).isEqualTo(PromFormat.value(v));
            } else {
                org.assertj.core.api.Assertions.assertThat(sb.toString()).isEqualTo("x");
            }
        }
        org.assertj.core.api.Assertions.assertThat(PromFormat.value(0.1)).isEqualTo("0.1");
        org.assertj.core.api.Assertions.assertThat(PromFormat.value(-123.456)).isEqualTo("-123.456");
        org.assertj.core.api.Assertions.assertThat(PromFormat.value(1.5e-6)).isEqualTo("0.0000015");
        org.assertj.core.api.Assertions.assertThat(PromFormat.value(1.2345678901234567e20)).isEqualTo("123456789012345670000");
    }
}
