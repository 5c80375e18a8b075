package io.mantis.collector.receiver.prometheus;

import io.mantis.collector.receiver.prometheus.Exposition.Exemplar;
import io.mantis.collector.receiver.prometheus.Exposition.Family;
import io.mantis.collector.receiver.prometheus.Exposition.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the Prometheus text format 0.0.4 and OpenMetrics 1.0 text, straight from the response
 * bytes: one pass, no regular expressions, no intermediate line strings.
 *
 * <p>The two grammars differ and each is held to its own rules:
 * <ul>
 *   <li>0.0.4: blank lines and free comments are allowed, tokens are separated by any run of
 *       spaces or tabs (also inside label sets), timestamps are integer milliseconds, and an
 *       unknown escape in a label value is kept as written, as Prometheus does.</li>
 *   <li>OpenMetrics: single spaces, no blank lines, only {@code HELP}, {@code TYPE}, {@code UNIT}
 *       and {@code EOF} comments, {@code # EOF} last, timestamps in (fractional) seconds,
 *       exemplars on counter totals and histogram buckets, and units that end the family
 *       name.</li>
 * </ul>
 *
 * <p>Errors name the 1-based line. Names are ASCII by both grammars; label values and help texts
 * are UTF-8.
 */
public final class ExpositionParser {
    /** OpenMetrics caps the characters of an exemplar's label names and values together. */
    static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

    private static final String[] NO_LABELS = {};

    private final byte[] buf;
    private final int limit;
    private final boolean om;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Set<String> typed = new HashSet<>();
    private final Set<String> helped = new HashSet<>();
    private final Set<String> united = new HashSet<>();
    private final List<Sample> samples = new ArrayList<>();
    // Sample and label names repeat on every line of a family; sharing one String per distinct
    // name keeps a large scrape's memory down.
    private final Map<String, String> names = new HashMap<>();

    private int lineNo;
    private int p;   // cursor in the current line
    private int eol; // end of the current line, exclusive
    private boolean sawEof;

    private String[] labelNames = new String[8];
    private String[] labelValues = new String[8];
    private int labelCount;

    private ExpositionParser(byte[] buf, int limit, boolean om) {
        this.buf = buf;
        this.limit = limit;
        this.om = om;
    }

    public static Exposition parse(byte[] body, ExpositionFormat format) throws ExpositionParseException {
        return parse(body, body.length, format);
    }

    /** Parses the first {@code length} bytes of {@code body}. */
    public static Exposition parse(byte[] body, int length, ExpositionFormat format)
            throws ExpositionParseException {
        ExpositionParser parser = new ExpositionParser(body, length, format == ExpositionFormat.OPENMETRICS);
        parser.run();
        return new Exposition(format, parser.families, parser.samples);
    }

    private void run() throws ExpositionParseException {
        int start = 0;
        while (start < limit) {
            lineNo++;
            int nl = indexOfNewline(start);
            int end = nl < 0 ? limit : nl;
            if (sawEof) {
                throw error("unexpected content after '# EOF'");
            }
            p = start;
            eol = end;
            if (om) {
                omLine();
            } else {
                if (eol > p && buf[eol - 1] == '\r') {
                    eol--;
                }
                textLine();
            }
            start = end + 1;
        }
        if (om && !sawEof) {
            throw new ExpositionParseException(Math.max(1, lineNo),
                    "missing '# EOF' at the end of the OpenMetrics exposition (truncated response?)");
        }
    }

    private int indexOfNewline(int from) {
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- 0.0.4

    private void textLine() throws ExpositionParseException {
        skipBlanks();
        if (p == eol) {
            return;
        }
        if (buf[p] == '#') {
            p++;
            textComment();
            return;
        }
        sample();
    }

    private void textComment() throws ExpositionParseException {
        skipBlanks();
        int tokenStart = p;
        while (p < eol && !isBlank(buf[p])) {
            p++;
        }
        boolean help = isToken(tokenStart, p, "HELP");
        boolean type = !help && isToken(tokenStart, p, "TYPE");
        if (!help && !type) {
            return; // a free comment
        }
        skipBlanks();
        String name = metricName();
        if (name == null || (p < eol && !isBlank(buf[p]))) {
            throw error("invalid metric name in " + (help ? "HELP" : "TYPE") + " line: '" + restOfLine(p) + "'");
        }
        skipBlanks();
        if (help) {
            setHelp(name, unescapeHelp(p, eol));
        } else {
            int end = eol;
            while (end > p && isBlank(buf[end - 1])) {
                end--;
            }
            String word = new String(buf, p, end - p, StandardCharsets.UTF_8);
            MetricKind kind = MetricKind.parse(word, false);
            if (kind == null) {
                throw error("invalid metric type '" + word + "' for " + name
                        + " (expected counter, gauge, histogram, summary or untyped)");
            }
            setType(name, kind);
        }
    }

    // ---------------------------------------------------------------- OpenMetrics

    private void omLine() throws ExpositionParseException {
        if (p == eol) {
            throw error("empty line (OpenMetrics allows none)");
        }
        if (buf[p] != '#') {
            sample();
            return;
        }
        if (eol - p == 5 && isToken(p, eol, "# EOF")) {
            sawEof = true;
            return;
        }
        String kind = eol - p >= 7 && buf[p + 1] == ' ' && buf[p + 6] == ' ' ? new String(buf, p + 2, 4,
                StandardCharsets.ISO_8859_1) : "";
        if (!kind.equals("HELP") && !kind.equals("TYPE") && !kind.equals("UNIT")) {
            throw error("expected '# HELP', '# TYPE', '# UNIT' or '# EOF', got '" + restOfLine(p) + "'");
        }
        p += 7;
        String name = metricName();
        if (name == null || (p < eol && buf[p] != ' ')) {
            throw error("invalid metric family name in " + kind + " line: '" + restOfLine(p) + "'");
        }
        boolean hasRest = p < eol;
        if (hasRest) {
            p++; // the single space
        }
        switch (kind) {
            case "HELP" -> setHelp(name, hasRest ? unescapeHelp(p, eol) : "");
            case "TYPE" -> {
                String word = new String(buf, p, eol - p, StandardCharsets.UTF_8);
                MetricKind k = hasRest ? MetricKind.parse(word, true) : null;
                if (k == null) {
                    throw error("invalid metric type '" + word + "' for " + name + " (expected counter, gauge,"
                            + " histogram, gaugehistogram, summary, info, stateset or unknown)");
                }
                setType(name, k);
            }
            default -> {
                String unit = hasRest ? new String(buf, p, eol - p, StandardCharsets.UTF_8) : "";
                for (int i = 0; i < unit.length(); i++) {
                    if (!isNameChar(unit.charAt(i), true)) {
                        throw error("invalid unit '" + unit + "' for " + name);
                    }
                }
                if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
                    throw error("unit '" + unit + "' is not a suffix of the metric family name " + name);
                }
                if (!united.add(name)) {
                    throw error("second UNIT line for metric family " + name);
                }
                families.compute(name, (n, f) -> (f == null ? new Family(n, MetricKind.UNKNOWN, null, null) : f)
                        .withUnit(unit));
            }
        }
    }

    // ---------------------------------------------------------------- metadata

    private void setHelp(String name, String text) throws ExpositionParseException {
        if (!helped.add(name)) {
            throw error("second HELP line for metric " + (om ? "family " : "name ") + name);
        }
        families.compute(name, (n, f) -> (f == null ? new Family(n, MetricKind.UNKNOWN, null, null) : f)
                .withHelp(text));
    }

    private void setType(String name, MetricKind kind) throws ExpositionParseException {
        if (!typed.add(name)) {
            throw error("second TYPE line for metric " + (om ? "family " : "name ") + name);
        }
        families.compute(name, (n, f) -> (f == null ? new Family(n, kind, null, null) : f).withKind(kind));
    }

    // ---------------------------------------------------------------- samples

    private void sample() throws ExpositionParseException {
        String name = metricName();
        if (name == null) {
            throw error("expected a metric name, got '" + restOfLine(p) + "'");
        }
        labelCount = 0;
        int afterName = p;
        if (!om) {
            skipBlanks(); // 0.0.4 allows "name {labels}"
        }
        if (p < eol && buf[p] == '{') {
            labels(name);
        } else {
            p = afterName;
        }
        String[] names = labelCount == 0 ? NO_LABELS : Arrays.copyOf(labelNames, labelCount);
        String[] values = labelCount == 0 ? NO_LABELS : Arrays.copyOf(labelValues, labelCount);

        separator("the value of " + name);
        int valueStart = p;
        skipToken();
        if (p == valueStart) {
            throw error("missing value for " + name);
        }
        double value = value(valueStart, p, "value");

        long timestamp = Exposition.NO_TIMESTAMP;
        Exemplar exemplar = null;
        if (om) {
            if (p < eol) {
                expect(' ', "expected a space after the value of " + name);
                if (p < eol && buf[p] != '#') {
                    int tsStart = p;
                    skipToken();
                    timestamp = omTimestamp(tsStart, p);
                    if (p < eol) {
                        expect(' ', "expected a space after the timestamp of " + name);
                    }
                }
                if (p < eol) {
                    exemplar = exemplar(name, timestamp);
                }
            }
        } else {
            skipBlanks();
            if (p < eol) {
                int tsStart = p;
                skipToken();
                timestamp = textTimestamp(tsStart, p);
                skipBlanks();
                if (p < eol) {
                    throw error("unexpected text after the timestamp of " + name + ": '" + restOfLine(p) + "'");
                }
            }
        }
        samples.add(new Sample(name, names, values, value, timestamp, exemplar, lineNo));
    }

    private Exemplar exemplar(String sampleName, long sampleTimestamp) throws ExpositionParseException {
        if (!(p + 1 < eol && buf[p] == '#' && buf[p + 1] == ' ')) {
            throw error("expected '# {' to start an exemplar, got '" + restOfLine(p) + "'");
        }
        p += 2;
        FamilyResolver.Resolved r = FamilyResolver.resolve(sampleName, families);
        boolean allowed = (r.family().kind() == MetricKind.COUNTER && r.role() == FamilyResolver.Role.TOTAL)
                || ((r.family().kind() == MetricKind.HISTOGRAM || r.family().kind() == MetricKind.GAUGE_HISTOGRAM)
                        && r.role() == FamilyResolver.Role.BUCKET);
        if (!allowed) {
            throw error("exemplar on " + sampleName + ": OpenMetrics allows exemplars only on counter _total and"
                    + " histogram _bucket samples");
        }
        if (p >= eol || buf[p] != '{') {
            throw error("expected '{' to start the exemplar's label set");
        }
        // The sample's own labels are already copied out, so the buffers can be reused.
        labelCount = 0;
        labels(sampleName + " exemplar");
        int chars = 0;
        for (int i = 0; i < labelCount; i++) {
            chars += labelNames[i].codePointCount(0, labelNames[i].length())
                    + labelValues[i].codePointCount(0, labelValues[i].length());
        }
        if (chars > MAX_EXEMPLAR_LABEL_CHARS) {
            throw error("exemplar labels of " + sampleName + " have " + chars + " characters; OpenMetrics allows "
                    + MAX_EXEMPLAR_LABEL_CHARS);
        }
        String[] names = labelCount == 0 ? NO_LABELS : Arrays.copyOf(labelNames, labelCount);
        String[] values = labelCount == 0 ? NO_LABELS : Arrays.copyOf(labelValues, labelCount);
        expect(' ', "expected a space before the exemplar value of " + sampleName);
        int valueStart = p;
        skipToken();
        if (p == valueStart) {
            throw error("missing exemplar value for " + sampleName);
        }
        double value = value(valueStart, p, "exemplar value");
        long ts = Exposition.NO_TIMESTAMP;
        if (p < eol) {
            expect(' ', "expected a space before the exemplar timestamp of " + sampleName);
            int tsStart = p;
            skipToken();
            ts = omTimestamp(tsStart, p);
            if (p < eol) {
                throw error("unexpected text after the exemplar of " + sampleName + ": '" + restOfLine(p) + "'");
            }
        }
        return new Exemplar(names, values, value, ts);
    }

    /** Parses {@code {name="value",...}} into the label buffers; the cursor is on the brace. */
    private void labels(String owner) throws ExpositionParseException {
        p++;
        while (true) {
            if (!om) {
                skipBlanks();
            }
            if (p >= eol) {
                throw error("unterminated label set of " + owner);
            }
            if (buf[p] == '}') {
                p++;
                return;
            }
            String name = labelName();
            if (name == null) {
                throw error("invalid label name in " + owner + " at '" + restOfLine(p) + "'");
            }
            if (!om) {
                skipBlanks();
            }
            expect('=', "expected '=' after label name '" + name + "' of " + owner);
            if (!om) {
                skipBlanks();
            }
            expect('"', "expected '\"' to start the value of label '" + name + "' of " + owner);
            String value = labelValue(name, owner);
            for (int i = 0; i < labelCount; i++) {
                if (labelNames[i].equals(name)) {
                    throw error("duplicate label name '" + name + "' in " + owner);
                }
            }
            if (labelCount == labelNames.length) {
                labelNames = Arrays.copyOf(labelNames, labelCount * 2);
                labelValues = Arrays.copyOf(labelValues, labelCount * 2);
            }
            labelNames[labelCount] = name;
            labelValues[labelCount] = value;
            labelCount++;
            if (!om) {
                skipBlanks();
            }
            if (p < eol && buf[p] == ',') {
                p++;
                continue;
            }
            if (p < eol && buf[p] == '}') {
                p++;
                return;
            }
            throw error("expected ',' or '}' after the value of label '" + name + "' of " + owner);
        }
    }

    /** A quoted label value; the cursor is past the opening quote and ends past the closing one. */
    private String labelValue(String name, String owner) throws ExpositionParseException {
        int start = p;
        boolean escaped = false;
        while (p < eol && buf[p] != '"') {
            if (buf[p] == '\\') {
                escaped = true;
                p++;
            }
            p++;
        }
        if (p >= eol) {
            throw error("unterminated value of label '" + name + "' of " + owner);
        }
        int end = p;
        p++;
        if (!escaped) {
            return new String(buf, start, end - start, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            byte c = buf[i];
            if (c != '\\') {
                out[n++] = c;
                continue;
            }
            byte next = buf[++i];
            switch (next) {
                case 'n' -> out[n++] = '\n';
                case '\\' -> out[n++] = '\\';
                case '"' -> out[n++] = '"';
                default -> {
                    if (om) {
                        throw error("invalid escape sequence '\\" + (char) next + "' in the value of label '" + name
                                + "' of " + owner + " (OpenMetrics allows \\\\, \\\" and \\n)");
                    }
                    out[n++] = '\\';
                    out[n++] = next;
                }
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** HELP text: {@code \\} and {@code \n}, and in OpenMetrics {@code \"}, are escapes. */
    private String unescapeHelp(int start, int end) throws ExpositionParseException {
        int i = start;
        while (i < end && buf[i] != '\\') {
            i++;
        }
        if (i == end) {
            return new String(buf, start, end - start, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (i = start; i < end; i++) {
            byte c = buf[i];
            if (c != '\\' || i + 1 == end) {
                if (c == '\\' && om) {
                    throw error("HELP text ends with a lone backslash");
                }
                out[n++] = c;
                continue;
            }
            byte next = buf[++i];
            if (next == 'n') {
                out[n++] = '\n';
            } else if (next == '\\') {
                out[n++] = '\\';
            } else if (next == '"' && om) {
                out[n++] = '"';
            } else if (om) {
                throw error("invalid escape sequence '\\" + (char) next + "' in HELP text"
                        + " (OpenMetrics allows \\\\, \\\" and \\n)");
            } else {
                out[n++] = '\\';
                out[n++] = next;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- tokens

    /** A metric name {@code [a-zA-Z_:][a-zA-Z0-9_:]*} at the cursor, or null. */
    private String metricName() {
        return name(true);
    }

    /** A label name {@code [a-zA-Z_][a-zA-Z0-9_]*} at the cursor, or null. */
    private String labelName() {
        return name(false);
    }

    private String name(boolean colon) {
        int start = p;
        if (p >= eol || !isNameStart(buf[p], colon)) {
            return null;
        }
        p++;
        while (p < eol && isNameChar(buf[p], colon)) {
            p++;
        }
        String s = new String(buf, start, p - start, StandardCharsets.ISO_8859_1);
        String shared = names.putIfAbsent(s, s);
        return shared != null ? shared : s;
    }

    private static boolean isNameStart(int c, boolean colon) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
    }

    private static boolean isNameChar(int c, boolean colon) {
        return isNameStart(c, colon) || (c >= '0' && c <= '9');
    }

    /** Between the name or label set and the value: one space in OpenMetrics, any blanks in 0.0.4. */
    private void separator(String what) throws ExpositionParseException {
        if (om) {
            expect(' ', "expected a single space before " + what + ", got '" + restOfLine(p) + "'");
            return;
        }
        if (p < eol && !isBlank(buf[p])) {
            throw error("unexpected character '" + restOfLine(p).charAt(0) + "' before " + what);
        }
        skipBlanks();
    }

    private void skipToken() {
        while (p < eol && !(om ? buf[p] == ' ' : isBlank(buf[p]))) {
            p++;
        }
    }

    private void skipBlanks() {
        while (p < eol && isBlank(buf[p])) {
            p++;
        }
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private void expect(char c, String message) throws ExpositionParseException {
        if (p >= eol || buf[p] != c) {
            throw error(message);
        }
        p++;
    }

    private boolean isToken(int start, int end, String token) {
        if (end - start != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (buf[start + i] != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private double value(int start, int end, String what) throws ExpositionParseException {
        double v = parseFloat(buf, start, end);
        if (v != v && !isNaNToken(start, end)) {
            throw error("invalid " + what + " '" + new String(buf, start, end - start, StandardCharsets.UTF_8) + "'");
        }
        return v;
    }

    private boolean isNaNToken(int start, int end) {
        return end - start == 3 && (buf[start] | 0x20) == 'n' && (buf[start + 1] | 0x20) == 'a'
                && (buf[start + 2] | 0x20) == 'n';
    }

    /**
     * A float as Go's ParseFloat reads it for these formats: decimal with optional exponent, and
     * case-insensitive {@code NaN}, {@code Inf}, {@code +Inf}, {@code -Inf}, {@code Infinity}.
     * Returns NaN for anything else (callers tell a real NaN apart by its spelling).
     */
    static double parseFloat(byte[] b, int start, int end) {
        int len = end - start;
        if (len == 0) {
            return Double.NaN;
        }
        int i = start;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        // Integers, by far the commonest values, need no String.
        if (end - i > 0 && end - i <= 15) {
            long n = 0;
            int j = i;
            while (j < end && b[j] >= '0' && b[j] <= '9') {
                n = n * 10 + (b[j] - '0');
                j++;
            }
            if (j == end) {
                return negative ? -(double) n : (double) n;
            }
        }
        String rest = new String(b, i, end - i, StandardCharsets.ISO_8859_1);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        boolean digit = false;
        for (int j = 0; j < rest.length(); j++) {
            char c = rest.charAt(j);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return Double.NaN;
            }
        }
        if (!digit) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(rest);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private long textTimestamp(int start, int end) throws ExpositionParseException {
        int i = start;
        boolean negative = false;
        if (i < end && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        if (i == end || end - i > 18) {
            throw badTimestamp(start, end, "integer milliseconds");
        }
        long n = 0;
        for (; i < end; i++) {
            byte c = buf[i];
            if (c < '0' || c > '9') {
                throw badTimestamp(start, end, "integer milliseconds");
            }
            n = n * 10 + (c - '0');
        }
        return negative ? -n : n;
    }

    /** Seconds with an optional fraction, to whole milliseconds without going through a double. */
    private long omTimestamp(int start, int end) throws ExpositionParseException {
        int i = start;
        boolean negative = false;
        if (i < end && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        long seconds = 0;
        int digits = 0;
        while (i < end && buf[i] >= '0' && buf[i] <= '9' && digits < 15) {
            seconds = seconds * 10 + (buf[i] - '0');
            i++;
            digits++;
        }
        long millis = 0;
        int fractionDigits = 0;
        if (i < end && buf[i] == '.') {
            i++;
            while (i < end && buf[i] >= '0' && buf[i] <= '9') {
                if (fractionDigits < 3) {
                    millis = millis * 10 + (buf[i] - '0');
                }
                fractionDigits++;
                i++;
            }
        }
        if (i == end && (digits > 0 || fractionDigits > 0)) {
            for (int k = Math.min(fractionDigits, 3); k < 3; k++) {
                millis *= 10;
            }
            long total = seconds * 1000 + millis;
            return negative ? -total : total;
        }
        // Exponent notation and other float spellings.
        double v = parseFloat(buf, start, end);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw badTimestamp(start, end, "seconds");
        }
        return (long) (v * 1000);
    }

    private ExpositionParseException badTimestamp(int start, int end, String expected) {
        return error("invalid timestamp '" + new String(buf, start, end - start, StandardCharsets.UTF_8)
                + "' (expected " + expected + ")");
    }

    /** The rest of the line from {@code from}, shortened for messages. */
    private String restOfLine(int from) {
        int end = Math.min(eol, from + 40);
        String s = from >= end ? "" : new String(buf, from, end - from, StandardCharsets.UTF_8);
        return end < eol ? s + "..." : s;
    }

    private ExpositionParseException error(String message) {
        return new ExpositionParseException(lineNo, message);
    }
}
