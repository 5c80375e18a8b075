package io.mantis.otlp.prometheus;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prometheus naming rules for OTLP data: metric names (with unit and type suffixes), unit words,
 * label names, and the float formatting used in {@code le} / {@code quantile} label values.
 *
 * <p>Only ASCII letters and digits count as valid name characters, even though the collector's
 * Go code accepts any Unicode letter: Prometheus 2.x rejects a whole remote-write request when one
 * series has a non-ASCII metric or label name, so letting them through would lose a batch.
 */
public final class PrometheusNames {

    /** The OTLP metric shapes that change how a name is suffixed. */
    public enum Kind {
        /** An OTLP Gauge: unit {@code 1} becomes {@code _ratio}. */
        GAUGE,
        /** A monotonic cumulative Sum: gets {@code _total}. */
        COUNTER,
        /** A non-monotonic Sum: exported as a gauge but, as in the collector, never {@code _ratio}. */
        NON_MONOTONIC_SUM,
        /** Histogram or exponential histogram. */
        HISTOGRAM,
        SUMMARY
    }

    // UCUM units (as OpenTelemetry semantic conventions use them) to Prometheus' plural base-unit
    // words. Units not listed here are kept as written, made name-safe.
    private static final Map<String, String> UNIT_WORDS = Map.ofEntries(
            Map.entry("d", "days"),
            Map.entry("h", "hours"),
            Map.entry("min", "minutes"),
            Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"),
            Map.entry("us", "microseconds"),
            Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"),
            Map.entry("KiBy", "kibibytes"),
            Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"),
            Map.entry("TiBy", "tibibytes"),
            Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"),
            Map.entry("GBy", "gigabytes"),
            Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"),
            Map.entry("V", "volts"),
            Map.entry("A", "amperes"),
            Map.entry("J", "joules"),
            Map.entry("W", "watts"),
            Map.entry("g", "grams"),
            Map.entry("Cel", "celsius"),
            Map.entry("Hz", "hertz"),
            Map.entry("%", "percent"),
            // Dimensionless: no word, except that a gauge gets _ratio (handled by the caller).
            Map.entry("1", ""));

    // The denominator of "X/Y" units reads in the singular: bytes_per_second.
    private static final Map<String, String> PER_UNIT_WORDS = Map.of(
            "s", "second",
            "m", "minute",
            "h", "hour",
            "d", "day",
            "w", "week",
            "mo", "month",
            "y", "year");

    private PrometheusNames() {
    }

    /**
     * The Prometheus metric name for an OTLP metric.
     *
     * <p>With {@code addSuffixes}: the name is split into words at every character other than
     * an ASCII letter, digit or colon (so runs of separators collapse and leading/trailing ones
     * vanish), the unit's words are appended unless already among the name's words, counters get
     * {@code total} and unit-{@code 1} gauges get {@code ratio} (moved to the end if already
     * present), the namespace is prepended, and the words are joined with {@code _}. Without
     * it: invalid characters become {@code _} and runs of {@code _} collapse. Either way a name
     * starting with a digit gets a leading {@code _}.
     *
     * @return the name, or an empty string if nothing valid remains
     */
    public static String metricName(String name, String unit, Kind kind, String namespace, boolean addSuffixes) {
        String ns = namespace == null || namespace.isEmpty() ? null : namespace;
        if (!addSuffixes) {
            return prefixLeadingDigit(collapse(ns == null ? name : ns + "_" + name));
        }
        List<String> words = words(name);
        String cleanUnit = stripAnnotations(unit == null ? "" : unit).trim();
        int slash = cleanUnit.indexOf('/');
        String main = (slash < 0 ? cleanUnit : cleanUnit.substring(0, slash)).trim();
        String per = slash < 0 ? "" : cleanUnit.substring(slash + 1).trim();
        String mainWord = mainUnitWord(main);
        if (!mainWord.isEmpty() && !endsWithOrContains(words, mainWord)) {
            words.addAll(words(mainWord));
        }
        String perWord = perUnitWord(per);
        if (!perWord.isEmpty() && !endsWithOrContains(words, perWord)) {
            words.add("per");
            words.addAll(words(perWord));
        }
        if (kind == Kind.COUNTER) {
            moveToEnd(words, "total");
        }
        if (kind == Kind.GAUGE && "1".equals(cleanUnit)) {
            moveToEnd(words, "ratio");
        }
        if (ns != null) {
            words.addAll(0, words(ns));
        }
        return prefixLeadingDigit(String.join("_", words));
    }

    /**
     * The Prometheus unit word for an OTLP unit, as put in metadata: {@code "s"} gives
     * {@code seconds}, {@code "By/s"} gives {@code bytes_per_second}, annotations in braces are
     * dropped, and {@code "1"} gives {@code ratio} for gauges and nothing otherwise.
     */
    public static String unitName(String unit, Kind kind) {
        String cleanUnit = stripAnnotations(unit == null ? "" : unit).trim();
        if ("1".equals(cleanUnit)) {
            return kind == Kind.GAUGE ? "ratio" : "";
        }
        int slash = cleanUnit.indexOf('/');
        String main = mainUnitWord((slash < 0 ? cleanUnit : cleanUnit.substring(0, slash)).trim());
        String per = slash < 0 ? "" : perUnitWord(cleanUnit.substring(slash + 1).trim());
        if (per.isEmpty()) {
            return main;
        }
        return main.isEmpty() ? "per_" + per : main + "_per_" + per;
    }

    /**
     * The Prometheus label name for an attribute key: characters other than ASCII letters,
     * digits and {@code _} become {@code _}; a leading digit gets a {@code key_} prefix and a
     * single leading {@code _} a {@code key} prefix, while {@code __}-prefixed names are kept
     * as they are (Prometheus reserves them).
     *
     * @return the label name, or an empty string for an empty key
     */
    public static String labelName(String key) {
        int n = key.length();
        if (n == 0) {
            return "";
        }
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '_') {
                if (out == null) {
                    out = key.toCharArray();
                }
                out[i] = '_';
            }
        }
        String s = out == null ? key : new String(out);
        char first = s.charAt(0);
        if (first >= '0' && first <= '9') {
            return "key_" + s;
        }
        if (first == '_' && (n == 1 || s.charAt(1) != '_')) {
            return "key" + s;
        }
        return s;
    }

    /**
     * Formats a float as label values {@code le} and {@code quantile} carry it: the shortest
     * decimal that reads back as the same double, never in exponent notation ({@code 0.5},
     * {@code 1}, {@code 0.00001}), and {@code +Inf}, {@code -Inf}, {@code NaN}.
     */
    public static String formatFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // Double.toString is the shortest round-tripping form (JDK 19+); BigDecimal only takes
        // away its exponent notation.
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static String mainUnitWord(String main) {
        if (main.isEmpty()) {
            return "";
        }
        String word = UNIT_WORDS.get(main);
        return word != null ? word : String.join("_", words(main));
    }

    private static String perUnitWord(String per) {
        if (per.isEmpty()) {
            return "";
        }
        String word = PER_UNIT_WORDS.get(per);
        return word != null ? word : String.join("_", words(per));
    }

    /** Drops UCUM annotations ({@code {request}}); an unclosed brace drops the rest. */
    static String stripAnnotations(String unit) {
        int open = unit.indexOf('{');
        if (open < 0) {
            return unit;
        }
        StringBuilder sb = new StringBuilder(unit.length());
        int depth = 0;
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Splits at every character that is not an ASCII letter, digit or colon. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>(8);
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean valid = isAsciiLetterOrDigit(c) || c == ':';
            if (valid && start < 0) {
                start = i;
            } else if (!valid && start >= 0) {
                out.add(s.substring(start, i));
                start = -1;
            }
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /**
     * Whether {@code word} (possibly several {@code _}-joined words) is already one of the
     * name's words or its trailing words, so {@code duration_seconds} with unit {@code s} and
     * {@code size_meters_per_second} with an unknown multi-word unit are not suffixed twice.
     */
    private static boolean endsWithOrContains(List<String> words, String word) {
        if (words.contains(word)) {
            return true;
        }
        List<String> parts = words(word);
        if (parts.size() <= 1 || parts.size() > words.size()) {
            return false;
        }
        return words.subList(words.size() - parts.size(), words.size()).equals(parts);
    }

    private static void moveToEnd(List<String> words, String word) {
        words.removeIf(word::equals);
        words.add(word);
    }

    /** Invalid characters to {@code _}, runs of {@code _} to one. */
    private static String collapse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean lastUnderscore = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean valid = isAsciiLetterOrDigit(c) || c == ':';
            if (valid) {
                sb.append(c);
                lastUnderscore = false;
            } else if (!lastUnderscore) {
                sb.append('_');
                lastUnderscore = true;
            }
        }
        return sb.toString();
    }

    private static String prefixLeadingDigit(String s) {
        return !s.isEmpty() && s.charAt(0) >= '0' && s.charAt(0) <= '9' ? "_" + s : s;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
