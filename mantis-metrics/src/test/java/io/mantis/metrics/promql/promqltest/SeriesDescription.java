package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.StringLiterals;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the series notation of load and expectation lines: a label set (PromQL selector syntax
 * with {@code =} only) followed by a value sequence ({@code 1 _ 0+10x5 stale {{schema:0 sum:1}}x2}).
 * FORMAT.md §3 describes the notation; the expansion rules are:
 * {@code N} one value; {@code NxK} K+1 copies; {@code N+DxK} / {@code N-DxK} K+1 values stepping by
 * D (by repeated float addition, as the reference does); {@code _} one gap, {@code _xK} K gaps;
 * {@code stale} one staleness marker, {@code stalexK} K+1; histograms likewise, with
 * {@code {{a}}+{{b}}xK} adding {@code b} K times.
 */
final class SeriesDescription {

    private static final String NUM = "(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[iI][nN][fF]|[nN][aA][nN])";
    private static final Pattern FLOAT_ITEM = Pattern.compile(
            "([+-]?" + NUM + ")(?:([+-])(" + NUM + "))?(?:x([0-9]+))?");
    private static final Pattern GAP_ITEM = Pattern.compile("_(?:x([0-9]+))?");
    private static final Pattern STALE_ITEM = Pattern.compile("stale(?:x([0-9]+))?");
    private static final Pattern SIGNED_NUMBER = Pattern.compile("[+-]?" + NUM);
    private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");

    /** A parsed line: the labels and the expanded values. */
    record Parsed(Labels labels, List<Slot> values) {
    }

    private final String in;
    private int pos;

    private SeriesDescription(String in) {
        this.in = in;
    }

    /** Parses a whole line; throws {@link IllegalArgumentException} saying what is wrong. */
    static Parsed parse(String line) {
        SeriesDescription p = new SeriesDescription(line.strip());
        Labels labels = p.labels();
        if (p.pos < p.in.length() && !isSpace(p.in.charAt(p.pos))) {
            throw p.error("expected a space between the series and its values");
        }
        return new Parsed(labels, p.values());
    }

    /** Parses a label set alone ({@code metric{a="b"}}), all of the text. */
    static Labels parseLabels(String text) {
        SeriesDescription p = new SeriesDescription(text.strip());
        Labels l = p.labels();
        if (p.pos != p.in.length()) {
            throw p.error("unexpected text after the series");
        }
        return l;
    }

    /** Parses a value sequence alone. */
    static List<Slot> parseValues(String text) {
        return new SeriesDescription(text).values();
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + (pos + 1) + " of \"" + in + "\"");
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private void skipSpace() {
        while (pos < in.length() && isSpace(in.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isMetricStart(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLabelStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ------------------------------------------------------------------ labels

    private Labels labels() {
        List<String> pairs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String metric = null;
        if (pos < in.length() && isMetricStart(in.charAt(pos))) {
            int start = pos;
            while (pos < in.length() && (isMetricStart(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
                pos++;
            }
            metric = in.substring(start, pos);
        }
        if (pos < in.length() && in.charAt(pos) == '{' && !in.startsWith("{{", pos)) {
            pos++;
            skipSpace();
            while (true) {
                if (pos >= in.length()) {
                    throw error("unexpected end of line inside braces");
                }
                char c = in.charAt(pos);
                if (c == '}') {
                    pos++;
                    break;
                }
                String name;
                boolean quoted = false;
                if (c == '"' || c == '\'' || c == '`') {
                    name = string();
                    quoted = true;
                } else if (isLabelStart(c)) {
                    int start = pos;
                    while (pos < in.length() && (isLabelStart(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
                        pos++;
                    }
                    name = in.substring(start, pos);
                } else {
                    throw error("expected a label name");
                }
                skipSpace();
                if (quoted && pos < in.length() && (in.charAt(pos) == ',' || in.charAt(pos) == '}')) {
                    if (metric != null) {
                        throw error("metric name set twice");
                    }
                    metric = name;
                } else {
                    if (pos >= in.length() || in.charAt(pos) != '=' || in.startsWith("=~", pos)) {
                        throw error("series descriptions take only '=' matchers");
                    }
                    pos++;
                    skipSpace();
                    if (pos >= in.length() || "\"'`".indexOf(in.charAt(pos)) < 0) {
                        throw error("expected a quoted label value");
                    }
                    String value = string();
                    if (name.equals(Labels.METRIC_NAME)) {
                        if (metric != null) {
                            throw error("metric name set twice");
                        }
                        metric = value;
                    } else {
                        if (!names.add(name)) {
                            throw error("label " + name + " set twice");
                        }
                        pairs.add(name);
                        pairs.add(value);
                    }
                }
                skipSpace();
                if (pos < in.length() && in.charAt(pos) == ',') {
                    pos++;
                    skipSpace();
                } else if (pos >= in.length() || in.charAt(pos) != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        } else if (metric == null) {
            throw error("expected a metric name or '{'");
        }
        if (metric != null) {
            pairs.add(Labels.METRIC_NAME);
            pairs.add(metric);
        }
        // Labels.of drops empty values: Prometheus never keeps a label whose value is empty.
        return Labels.of(pairs.toArray(String[]::new));
    }

    private String string() {
        try {
            StringLiterals.Scanned s = StringLiterals.scan(in, pos);
            pos = s.end();
            return s.value();
        } catch (ParseException e) {
            throw error("bad string literal (" + e.detail() + ")");
        }
    }

    // ------------------------------------------------------------------ values

    private List<Slot> values() {
        List<Slot> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= in.length()) {
                return out;
            }
            if (in.startsWith("{{", pos)) {
                histogramItem(out);
            } else {
                int start = pos;
                while (pos < in.length() && !isSpace(in.charAt(pos))) {
                    pos++;
                }
                floatItem(in.substring(start, pos), start, out);
            }
        }
    }

    private void floatItem(String item, int at, List<Slot> out) {
        Matcher m;
        if ((m = GAP_ITEM.matcher(item)).matches()) {
            int n = m.group(1) == null ? 1 : times(m.group(1));
            for (int i = 0; i < n; i++) {
                out.add(Slot.GAP);
            }
            return;
        }
        if ((m = STALE_ITEM.matcher(item)).matches()) {
            int n = m.group(1) == null ? 1 : times(m.group(1)) + 1;
            for (int i = 0; i < n; i++) {
                out.add(Slot.stale());
            }
            return;
        }
        m = FLOAT_ITEM.matcher(item);
        if (!m.matches() || (m.group(2) != null && m.group(4) == null)) {
            pos = at;
            throw error("unexpected series value \"" + item + "\"");
        }
        double v = number(m.group(1));
        if (m.group(4) == null) {
            out.add(Slot.ofFloat(v));
            return;
        }
        int n = times(m.group(4));
        double step = m.group(2) == null ? 0 : number(m.group(3));
        if ("-".equals(m.group(2))) {
            step = -step;
        }
        for (int i = 0; i <= n; i++) {
            out.add(Slot.ofFloat(v));
            v += step;
        }
    }

    private int times(String digits) {
        try {
            int n = Integer.parseInt(digits);
            if (n > 10_000_000) {
                throw error("repetition count " + digits + " is unreasonably large");
            }
            return n;
        } catch (NumberFormatException e) {
            throw error("bad repetition count " + digits);
        }
    }

    /** A PromQL number literal with optional sign; Inf and NaN in any case. */
    static double number(String s) {
        String t = s;
        boolean negative = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.charAt(0) == '-';
            t = t.substring(1);
        }
        double v = switch (t.toLowerCase(Locale.ROOT)) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(t);
        };
        return negative ? -v : v;
    }

    private void histogramItem(List<Slot> out) {
        HistogramLiteral first = histogramLiteral();
        if (pos < in.length() && in.charAt(pos) == 'x') {
            pos++;
            int n = times(digits());
            for (int i = 0; i <= n; i++) {
                out.add(Slot.ofHistogram(first.histogram().copy(), first.hintSet()));
            }
        } else if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')
                && in.startsWith("{{", pos + 1)) {
            boolean subtract = in.charAt(pos) == '-';
            pos++;
            HistogramLiteral inc = histogramLiteral();
            if (pos >= in.length() || in.charAt(pos) != 'x') {
                throw error("expected x<count> after a histogram step");
            }
            pos++;
            int n = times(digits());
            FloatHistogram cur = first.histogram();
            out.add(Slot.ofHistogram(cur, inc.hintSet()));
            for (int i = 1; i <= n; i++) {
                if (cur.schema() > inc.histogram().schema()) {
                    throw error("error combining histograms: cannot merge from schema " + inc.histogram().schema()
                            + " to " + cur.schema());
                }
                try {
                    cur = Histograms.combine(cur, inc.histogram(), subtract);
                } catch (IllegalArgumentException e) {
                    throw error("error combining histograms: " + e.getMessage());
                }
                out.add(Slot.ofHistogram(cur, inc.hintSet()));
            }
        } else {
            out.add(Slot.ofHistogram(first.histogram(), first.hintSet()));
        }
        if (pos < in.length() && !isSpace(in.charAt(pos))) {
            throw error("expected a space after a histogram value");
        }
    }

    private String digits() {
        int start = pos;
        while (pos < in.length() && isDigit(in.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a repetition count");
        }
        return in.substring(start, pos);
    }

    // ------------------------------------------------------------------ histogram literals

    /** A {@code {{...}}} literal: the histogram and whether it wrote its counter-reset hint. */
    record HistogramLiteral(FloatHistogram histogram, boolean hintSet) {
    }

    private HistogramLiteral histogramLiteral() {
        int end = in.indexOf("}}", pos + 2);
        if (end < 0) {
            throw error("unterminated histogram");
        }
        String body = in.substring(pos + 2, end);
        int at = pos;
        pos = end + 2;
        try {
            return parseHistogram(body);
        } catch (IllegalArgumentException e) {
            pos = at;
            throw error("bad histogram (" + e.getMessage() + ")");
        }
    }

    /** The inside of {@code {{ }}}: space-separated {@code key:value} pairs, each key at most once. */
    static HistogramLiteral parseHistogram(String body) {
        FloatHistogram h = new FloatHistogram();
        Set<String> seen = new HashSet<>();
        double[] buckets = null;
        double[] nBuckets = null;
        int offset = 0;
        int nOffset = 0;
        boolean hintSet = false;
        int i = 0;
        while (true) {
            while (i < body.length() && isSpace(body.charAt(i))) {
                i++;
            }
            if (i >= body.length()) {
                break;
            }
            int colon = body.indexOf(':', i);
            if (colon < 0) {
                throw new IllegalArgumentException("expected key:value at \"" + body.substring(i) + "\"");
            }
            String key = body.substring(i, colon).strip();
            if (!seen.add(key)) {
                throw new IllegalArgumentException("duplicate key \"" + key + "\" in histogram");
            }
            i = colon + 1;
            while (i < body.length() && isSpace(body.charAt(i))) {
                i++;
            }
            String value;
            if (i < body.length() && body.charAt(i) == '[') {
                int close = body.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated list for " + key);
                }
                value = body.substring(i, close + 1);
                i = close + 1;
            } else {
                int start = i;
                while (i < body.length() && !isSpace(body.charAt(i))) {
                    i++;
                }
                value = body.substring(start, i);
            }
            switch (key) {
                case "schema" -> h.schema(integer(key, value));
                case "sum" -> h.sum(scalar(key, value));
                case "count" -> h.count(scalar(key, value));
                case "z_bucket" -> h.zeroCount(scalar(key, value));
                case "z_bucket_w" -> h.zeroThreshold(scalar(key, value));
                case "buckets" -> buckets = list(key, value);
                case "n_buckets" -> nBuckets = list(key, value);
                case "offset" -> offset = integer(key, value);
                case "n_offset" -> nOffset = integer(key, value);
                case "custom_values" -> h.setCustomBounds(list(key, value));
                case "counter_reset_hint" -> {
                    hintSet = true;
                    h.counterResetHint(switch (value) {
                        case "unknown" -> CounterResetHint.UNKNOWN;
                        case "reset" -> CounterResetHint.RESET;
                        case "not_reset" -> CounterResetHint.NOT_RESET;
                        case "gauge" -> CounterResetHint.GAUGE;
                        default -> throw new IllegalArgumentException("unknown counter_reset_hint " + value);
                    });
                }
                default -> throw new IllegalArgumentException("unknown histogram key \"" + key + "\"");
            }
        }
        if (buckets != null && buckets.length > 0) {
            h.positive().addSpan(offset, buckets.length);
            for (double c : buckets) {
                h.positive().addCount(c);
            }
        }
        if (nBuckets != null && nBuckets.length > 0) {
            h.negative().addSpan(nOffset, nBuckets.length);
            for (double c : nBuckets) {
                h.negative().addCount(c);
            }
        }
        return new HistogramLiteral(h, hintSet);
    }

    private static int integer(String key, String v) {
        if (!INT.matcher(v).matches()) {
            throw new IllegalArgumentException(key + " needs an integer, got \"" + v + "\"");
        }
        return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
    }

    private static double scalar(String key, String v) {
        if (!SIGNED_NUMBER.matcher(v).matches()) {
            throw new IllegalArgumentException(key + " needs a number, got \"" + v + "\"");
        }
        return number(v);
    }

    private static double[] list(String key, String v) {
        if (!v.startsWith("[") || !v.endsWith("]")) {
            throw new IllegalArgumentException(key + " needs a [list], got \"" + v + "\"");
        }
        String inner = v.substring(1, v.length() - 1).strip();
        if (inner.isEmpty()) {
            return new double[0];
        }
        String[] items = inner.split("[ \t]+");
        double[] out = new double[items.length];
        for (int k = 0; k < items.length; k++) {
            out[k] = scalar(key, items[k]);
        }
        return out;
    }
}
