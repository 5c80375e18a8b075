package io.mantis.common.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict test-side parser for the two text formats: every line must match the grammar, and the
 * family structure must be consistent (metadata before samples, one block per family, sample
 * names matching the declared type, histogram {@code _count} equal to its {@code +Inf} bucket).
 * Violations fail with the offending line. Stricter than Prometheus on purpose: it also rejects
 * constructs the Mantis writers never emit (blank lines, comments, trailing commas).
 */
final class ExpositionParser {

    record Sample(String name, Map<String, String> labels, double value, String timestamp) {}

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern GO_FLOAT =
            Pattern.compile("[+-]?(Inf|NaN|[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?)");
    private static final Pattern OM_NUMBER = Pattern.compile(
            "(?i)[+-]?(inf|infinity|nan)|[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern INT_TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES_004 = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Set<String> TYPES_OM =
            Set.of("counter", "gauge", "histogram", "gaugehistogram", "stateset", "info", "summary", "unknown");

    private final boolean openMetrics;
    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> finishedFamilies = new HashSet<>();
    private final Map<String, String> types = new HashMap<>();
    private String currentFamily;
    private final Set<String> currentDescriptors = new HashSet<>();
    private final Map<String, Double> infBuckets = new LinkedHashMap<>();
    private boolean samplesSeenInCurrent;
    private int lineNo;
    private String line;

    private ExpositionParser(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    static List<Sample> parse004(String text) {
        return new ExpositionParser(false).parse(text);
    }

    static List<Sample> parseOpenMetrics(String text) {
        return new ExpositionParser(true).parse(text);
    }

    private List<Sample> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("exposition does not end with a newline");
        }
        String[] lines = text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
        boolean eof = false;
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            line = lines[i];
            if (eof) {
                fail("content after # EOF");
            }
            if (openMetrics && line.equals("# EOF")) {
                eof = true;
            } else if (line.startsWith("#")) {
                descriptor();
            } else {
                sample();
            }
        }
        if (openMetrics && !eof) {
            throw new AssertionError("OpenMetrics exposition does not end with # EOF");
        }
        closeFamily();
        return samples;
    }

    private void descriptor() {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#")) {
            fail("malformed comment line");
        }
        String kind = parts[1];
        String name = parts[2];
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("bad metric name in descriptor");
        }
        // 0.0.4 metadata names the sample for counters (foo_total), so there the family is keyed by
        // that name and its samples carry it unchanged.
        String family = name;
        if (!family.equals(currentFamily)) {
            closeFamily();
            if (!finishedFamilies.add(family)) {
                fail("family " + family + " appears twice");
            }
            currentFamily = family;
        } else if (!infBuckets.isEmpty() || samplesSeenInCurrent) {
            fail("metadata after samples of " + family);
        }
        if (!currentDescriptors.add(kind)) {
            fail("duplicate " + kind + " for " + family);
        }
        switch (kind) {
            case "HELP" -> checkEscapes(parts.length == 4 ? parts[3] : "", openMetrics);
            case "TYPE" -> {
                String type = parts.length == 4 ? parts[3] : "";
                if (!(openMetrics ? TYPES_OM : TYPES_004).contains(type)) {
                    fail("unknown type " + type);
                }
                types.put(family, type);
                if (!openMetrics && type.equals("counter") && !name.endsWith("_total")) {
                    fail("0.0.4 counter metadata should name the _total sample");
                }
            }
            case "UNIT" -> {
                if (!openMetrics) {
                    fail("UNIT in 0.0.4");
                }
                String unit = parts.length == 4 ? parts[3] : "";
                if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
                    fail("family name must end with its unit");
                }
            }
            default -> fail("unexpected comment " + kind);
        }
    }

    private void closeFamily() {
        if (currentFamily != null && "histogram".equals(types.get(currentFamily))) {
            for (Sample s : samples) {
                if (s.name().equals(currentFamily + "_count")) {
                    Map<String, String> key = new TreeMap<>(s.labels());
                    Double inf = infBuckets.get(key.toString());
                    if (inf == null || inf != s.value()) {
                        throw new AssertionError("histogram " + currentFamily + " " + key
                                + ": _count " + s.value() + " != +Inf bucket " + inf);
                    }
                }
            }
        }
        currentFamily = null;
        currentDescriptors.clear();
        infBuckets.clear();
        samplesSeenInCurrent = false;
    }

    private void sample() {
        int pos = 0;
        int nameEnd = pos;
        while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
            nameEnd++;
        }
        String name = line.substring(0, nameEnd);
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("bad sample name");
        }
        pos = nameEnd;
        Map<String, String> labels = new LinkedHashMap<>();
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos++;
            while (true) {
                int eq = line.indexOf('=', pos);
                if (eq < 0) {
                    fail("label without =");
                }
                String labelName = line.substring(pos, eq);
                if (!LABEL_NAME.matcher(labelName).matches()) {
                    fail("bad label name " + labelName);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    fail("label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int i = eq + 2;
                for (; ; i++) {
                    if (i >= line.length()) {
                        fail("unterminated label value");
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char next = i + 1 < line.length() ? line.charAt(++i) : 0;
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> fail("bad escape in label value");
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(labelName, value.toString()) != null) {
                    fail("repeated label " + labelName);
                }
                pos = i + 1;
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                } else if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    break;
                } else {
                    fail("expected , or }");
                }
            }
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            fail("expected a space before the value");
        }
        String[] rest = line.substring(pos + 1).split(" ", -1);
        if (rest.length > 2) {
            fail("too many fields");
        }
        String valueText = rest[0];
        if (!(openMetrics ? OM_NUMBER : GO_FLOAT).matcher(valueText).matches()) {
            fail("bad value " + valueText);
        }
        String timestamp = rest.length == 2 ? rest[1] : null;
        if (timestamp != null && !(openMetrics ? OM_NUMBER : INT_TIMESTAMP).matcher(timestamp).matches()) {
            fail("bad timestamp " + timestamp);
        }
        checkFamilyMembership(name, labels);
        samplesSeenInCurrent = true;
        double value = parseValue(valueText);
        if (name.endsWith("_bucket") && "+Inf".equals(labels.get("le"))) {
            Map<String, String> key = new TreeMap<>(labels);
            key.remove("le");
            infBuckets.put(key.toString(), value);
        }
        samples.add(new Sample(name, labels, value, timestamp));
    }

    private void checkFamilyMembership(String name, Map<String, String> labels) {
        if (currentFamily == null) {
            // Samples without metadata: an untyped family of its own.
            if (!finishedFamilies.add(name)) {
                fail("untyped family " + name + " appears twice");
            }
            currentFamily = name;
            types.put(name, openMetrics ? "unknown" : "untyped");
        }
        String type = types.getOrDefault(currentFamily, openMetrics ? "unknown" : "untyped");
        String suffix = name.startsWith(currentFamily) ? name.substring(currentFamily.length()) : null;
        boolean ok = switch (type) {
            case "counter" -> openMetrics ? "_total".equals(suffix) || "_created".equals(suffix) : "".equals(suffix);
            case "histogram" -> ("_bucket".equals(suffix) && isFloatLabel(labels.get("le")))
                    || "_count".equals(suffix) || "_sum".equals(suffix);
            case "summary" -> ("".equals(suffix) && isFloatLabel(labels.get("quantile")))
                    || "_count".equals(suffix) || "_sum".equals(suffix);
            default -> "".equals(suffix);
        };
        if (!ok) {
            fail("sample " + name + " does not belong to " + type + " family " + currentFamily);
        }
    }

    private boolean isFloatLabel(String v) {
        if (v == null) {
            return false;
        }
        // Both formats: a float with a fraction or exponent, or +Inf/-Inf/NaN (as the clients print them).
        return v.equals("+Inf") || v.equals("-Inf") || v.equals("NaN")
                || (GO_FLOAT.matcher(v).matches() && (v.contains(".") || v.contains("E") || v.contains("e")));
    }

    private void checkEscapes(String help, boolean quoteMustBeEscaped) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                char next = i + 1 < help.length() ? help.charAt(++i) : 0;
                if (!(next == '\\' || next == 'n' || (quoteMustBeEscaped && next == '"'))) {
                    fail("bad escape in HELP");
                }
            } else if (c == '"' && quoteMustBeEscaped) {
                fail("unescaped quote in OpenMetrics HELP");
            }
        }
    }

    private static double parseValue(String text) {
        return switch (text.toLowerCase()) {
            case "+inf", "inf", "+infinity", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private void fail(String message) {
        throw new AssertionError("line " + lineNo + ": " + message + ": " + line);
    }
}
