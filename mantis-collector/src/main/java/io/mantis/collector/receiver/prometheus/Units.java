package io.mantis.collector.receiver.prometheus;

import java.util.Map;

/**
 * OpenMetrics {@code # UNIT} words to the UCUM units OTLP uses, as the OpenTelemetry
 * compatibility specification asks: full words to abbreviations, {@code ratio} to {@code 1},
 * {@code a_per_b} to {@code a/b}. Words with no known abbreviation pass through unchanged.
 */
final class Units {
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("days", "d"),
            Map.entry("hours", "h"),
            Map.entry("minutes", "min"),
            Map.entry("seconds", "s"),
            Map.entry("milliseconds", "ms"),
            Map.entry("microseconds", "us"),
            Map.entry("nanoseconds", "ns"),
            Map.entry("bytes", "By"),
            Map.entry("kibibytes", "KiBy"),
            Map.entry("mebibytes", "MiBy"),
            Map.entry("gibibytes", "GiBy"),
            Map.entry("tibibytes", "TiBy"),
            Map.entry("kilobytes", "KBy"),
            Map.entry("megabytes", "MBy"),
            Map.entry("gigabytes", "GBy"),
            Map.entry("terabytes", "TBy"),
            Map.entry("meters", "m"),
            Map.entry("volts", "V"),
            Map.entry("amperes", "A"),
            Map.entry("joules", "J"),
            Map.entry("watts", "W"),
            Map.entry("grams", "g"),
            Map.entry("celsius", "Cel"),
            Map.entry("hertz", "Hz"),
            Map.entry("percent", "%"),
            Map.entry("ratio", "1"));

    private Units() {
    }

    static String toOtlp(String unit) {
        if (unit == null || unit.isEmpty()) {
            return "";
        }
        int per = unit.indexOf("_per_");
        if (per > 0 && per + 5 < unit.length()) {
            return word(unit.substring(0, per)) + "/" + word(unit.substring(per + 5));
        }
        return word(unit);
    }

    private static String word(String w) {
        return switch (w) {
            // "per second" units name the denominator in the singular.
            case "second" -> "s";
            case "minute" -> "min";
            case "hour" -> "h";
            case "day" -> "d";
            default -> WORDS.getOrDefault(w, w);
        };
    }
}
