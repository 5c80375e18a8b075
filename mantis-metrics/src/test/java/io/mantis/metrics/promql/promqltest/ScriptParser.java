package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.StringLiterals;
import io.mantis.metrics.promql.promqltest.Script.Clear;
import io.mantis.metrics.promql.promqltest.Script.Command;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import io.mantis.metrics.promql.promqltest.Script.ExpectedSeries;
import io.mantis.metrics.promql.promqltest.Script.Load;
import io.mantis.metrics.promql.promqltest.Script.LoadSeries;
import io.mantis.metrics.promql.promqltest.Script.RangeVector;
import io.mantis.metrics.promql.promqltest.Script.TextMatcher;
import io.mantis.otlp.prometheus.Labels;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a promqltest script into a {@link Script} as FORMAT.md (in the conformance folder)
 * describes it: commands separated by empty lines, comment lines counting as empty, {@code load}
 * blocks of series lines, {@code clear}, and {@code eval} headers with their expectation lines.
 * Everything the reference harness rejects is rejected here too, with the line.
 */
final class ScriptParser {

    private static final Pattern LOAD = Pattern.compile("load(?:_(with_nhcb))?\\s+(.+?)");
    private static final Pattern EVAL_INSTANT = Pattern.compile(
            "eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+at\\s+(\\S+)\\s+(.+)");
    private static final Pattern EVAL_RANGE = Pattern.compile(
            "eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)");
    private static final Pattern EXPECT = Pattern.compile(
            "expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?");
    private static final Pattern EXPECT_RANGE = Pattern.compile(
            "expect range vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)");
    private static final Pattern ST_ITEM = Pattern.compile(
            "([+-]?[0-9][0-9a-z]*?)(?:([+-])([0-9][0-9a-z]*?))?(?:x([0-9]+))?");
    private static final Pattern INT_LITERAL = Pattern.compile(
            "([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)");
    private static final Pattern FLOAT_LITERAL = Pattern.compile(
            "[+-]?(?:(?:[0-9][0-9_]*(?:\\.[0-9_]*)?|\\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?"
                    + "|0[xX](?:[0-9a-fA-F_]*\\.?[0-9a-fA-F_]*)[pP][+-]?[0-9]+"
                    + "|(?i:inf|infinity|nan))");

    private final String name;
    private final String[] lines;

    private ScriptParser(String name, String text) {
        this.name = name;
        this.lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            lines[i] = l.startsWith("#") ? "" : l;
        }
    }

    /** Parses a script; throws {@link ScriptException} naming the line of the first problem. */
    static Script parse(String name, String text) {
        return new ScriptParser(name, text).parse();
    }

    private Script parse() {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                continue;
            }
            String first = l.split("[ \t]+", 2)[0].toLowerCase(Locale.ROOT);
            if (first.equals("clear")) {
                commands.add(new Clear(i + 1));
            } else if (first.startsWith("load")) {
                i = load(i, commands);
            } else if (first.startsWith("eval")) {
                i = eval(i, commands);
            } else {
                throw new ScriptException(i + 1, "invalid command \"" + l + "\"");
            }
        }
        return new Script(name, commands);
    }

    // ------------------------------------------------------------------ load

    private int load(int i, List<Command> out) {
        Matcher m = LOAD.matcher(lines[i]);
        if (!m.matches()) {
            throw new ScriptException(i + 1, "invalid load command (load[_with_nhcb] <interval>)");
        }
        long interval;
        try {
            interval = Durations.parse(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new ScriptException(i + 1, "invalid interval \"" + m.group(2) + "\": " + e.getMessage());
        }
        int header = i;
        Map<Labels, LoadSeries> series = new LinkedHashMap<>();
        long[] pendingStart = null;
        Labels pendingLabels = null;
        int pendingLine = 0;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
            i++;
            String line = lines[i];
            if (isStartTimestampLine(line)) {
                if (pendingStart != null) {
                    throw new ScriptException(pendingLine, "@st line has no following sample line");
                }
                int space = firstSpace(line);
                String metric = line.substring(0, space);
                metric = metric.substring(0, metric.length() - "@st".length());
                try {
                    pendingLabels = metric.isEmpty() ? Labels.empty() : SeriesDescription.parseLabels(metric);
                    pendingStart = startOffsets(line.substring(space + 1).strip());
                } catch (IllegalArgumentException e) {
                    throw new ScriptException(i + 1, "invalid @st line: " + e.getMessage());
                }
                pendingLine = i + 1;
                continue;
            }
            SeriesDescription.Parsed p = series(line, i);
            if (pendingStart != null) {
                if (!p.labels().equals(pendingLabels)) {
                    throw new ScriptException(pendingLine, "@st metric does not match the following sample line metric");
                }
                if (pendingStart.length != p.values().size()) {
                    throw new ScriptException(pendingLine, "@st line has " + pendingStart.length
                            + " values but sample line has " + p.values().size());
                }
            }
            series.put(p.labels(), new LoadSeries(i + 1, p.labels(), p.values(), pendingStart));
            pendingStart = null;
        }
        if (pendingStart != null) {
            throw new ScriptException(pendingLine, "@st line has no following sample line");
        }
        out.add(new Load(header + 1, interval, "with_nhcb".equals(m.group(1)), List.copyOf(series.values())));
        return i;
    }

    private static int firstSpace(String line) {
        for (int k = 0; k < line.length(); k++) {
            if (line.charAt(k) == ' ' || line.charAt(k) == '\t') {
                return k;
            }
        }
        return -1;
    }

    private static boolean isStartTimestampLine(String line) {
        int space = firstSpace(line);
        return space > 0 && line.substring(0, space).endsWith("@st");
    }

    /** The offsets of an {@code @st} line: {@code _}, {@code _xK}, {@code D}, {@code DxK}, {@code D+ExK}, {@code D-ExK}. */
    static long[] startOffsets(String text) {
        List<Long> out = new ArrayList<>();
        for (String item : text.split("[ \t]+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.equals("_")) {
                out.add(LoadSeries.NO_START);
                continue;
            }
            if (item.startsWith("_x")) {
                int n = Integer.parseInt(item.substring(2));
                for (int k = 0; k < n; k++) {
                    out.add(LoadSeries.NO_START);
                }
                continue;
            }
            Matcher m = ST_ITEM.matcher(item);
            if (!m.matches() || (m.group(2) != null && m.group(4) == null)) {
                throw new IllegalArgumentException("invalid start-timestamp item \"" + item + "\"");
            }
            long base = Durations.parseSigned(m.group(1));
            if (m.group(4) == null) {
                out.add(base);
                continue;
            }
            int n = Integer.parseInt(m.group(4));
            long step = m.group(2) == null ? 0 : Durations.parse(m.group(3));
            if ("-".equals(m.group(2))) {
                step = -step;
            }
            for (int k = 0; k <= n; k++) {
                out.add(base + k * step);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static SeriesDescription.Parsed series(String line, int i) {
        try {
            return SeriesDescription.parse(line);
        } catch (IllegalArgumentException e) {
            throw new ScriptException(i + 1, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ eval

    private static final class EvalBuilder {
        int line;
        String query;
        boolean range;
        long time;
        long start;
        long end;
        long step;
        boolean ordered;
        boolean fail;
        TextMatcher failMatcher = TextMatcher.ANY;
        boolean warnRequired;
        final List<TextMatcher> warn = new ArrayList<>();
        boolean noWarn;
        boolean infoRequired;
        final List<TextMatcher> info = new ArrayList<>();
        boolean noInfo;
        RangeVector rangeVector;
        String string;
        Slot scalar;
        final Map<Labels, ExpectedSeries> expected = new LinkedHashMap<>();
        int failLines;

        Eval build() {
            return new Eval(line, query, range, time, start, end, step, ordered, fail, failMatcher, warnRequired, warn,
                    noWarn, infoRequired, info, noInfo, rangeVector, string, scalar, expected);
        }
    }

    private int eval(int i, List<Command> out) {
        EvalBuilder b = new EvalBuilder();
        b.line = i + 1;
        String header = lines[i];
        Matcher inst = EVAL_INSTANT.matcher(header);
        Matcher rng = EVAL_RANGE.matcher(header);
        String modifier;
        if (inst.matches()) {
            modifier = inst.group(1);
            b.query = inst.group(3);
            b.time = time(i, inst.group(2), "timestamp");
            b.start = b.time;
            b.end = b.time;
        } else if (rng.matches()) {
            modifier = rng.group(1);
            b.range = true;
            b.query = rng.group(5);
            b.start = time(i, rng.group(2), "start timestamp");
            b.end = time(i, rng.group(3), "end timestamp");
            b.step = time(i, rng.group(4), "step");
            if (b.end < b.start) {
                throw new ScriptException(i + 1, "invalid test definition, end timestamp (" + rng.group(3)
                        + ") is before start timestamp (" + rng.group(2) + ")");
            }
            if (b.step <= 0) {
                throw new ScriptException(i + 1, "step must be positive, got " + rng.group(4));
            }
        } else {
            throw new ScriptException(i + 1, "invalid evaluation command; must be 'eval[_fail|_warn|_info|_ordered] "
                    + "instant at <time> <query>' or 'eval[_fail|_warn|_info] range from <start> to <end> step <step> <query>'");
        }
        if (modifier != null) {
            switch (modifier) {
                case "fail" -> b.fail = true;
                case "warn" -> b.warnRequired = true;
                case "info" -> b.infoRequired = true;
                case "ordered" -> b.ordered = true;
                default -> throw new IllegalStateException(modifier);
            }
        }
        int position = 0;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
            i++;
            String line = lines[i];
            if (b.fail && line.startsWith("expected_fail_message")) {
                b.failMatcher = new TextMatcher(line.substring("expected_fail_message".length()).strip(), null);
                break;
            }
            if (b.fail && line.startsWith("expected_fail_regexp")) {
                b.failMatcher = new TextMatcher(null, regex(i, line.substring("expected_fail_regexp".length()).strip()));
                break;
            }
            if (line.startsWith("expect range vector")) {
                Matcher m = EXPECT_RANGE.matcher(line);
                if (!m.matches()) {
                    throw new ScriptException(i + 1, "invalid range vector definition \"" + line + "\"");
                }
                long s = time(i, m.group(1), "start timestamp");
                long e = time(i, m.group(2), "end timestamp");
                if (e < s) {
                    throw new ScriptException(i + 1, "invalid test definition, end timestamp (" + m.group(2)
                            + ") is before start timestamp (" + m.group(1) + ")");
                }
                b.rangeVector = new RangeVector(s, e, time(i, m.group(3), "step"));
                // The reference evaluates such a query at the range's end.
                b.time = e;
                continue;
            }
            if (line.startsWith("expect string")) {
                b.string = stringLiteral(i, line);
                continue;
            }
            if (line.split(" ", 2)[0].equals("expect")) {
                expect(i, line, b);
                continue;
            }
            Double number = number(line);
            if (number != null) {
                b.scalar = Slot.ofFloat(number);
                break;
            }
            SeriesDescription.Parsed p = series(line, i);
            if (p.values().size() > 1 && !b.range && b.rangeVector == null) {
                throw new ScriptException(i + 1, "expecting multiple values in instant evaluation not allowed; "
                        + "use 'expect range vector' for a range vector result of an instant query");
            }
            position++;
            b.expected.remove(p.labels());
            b.expected.put(p.labels(), new ExpectedSeries(i + 1, position, p.labels(), p.values()));
        }
        if (b.ordered && b.range) {
            throw new ScriptException(b.line, "expect ordered cannot be used with range queries");
        }
        out.add(b.build());
        return i;
    }

    private long time(int i, String text, String what) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ScriptException(i + 1, "invalid " + what + " definition \"" + text + "\": " + e.getMessage());
        }
    }

    private static Pattern regex(int i, String re) {
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new ScriptException(i + 1, "invalid regex " + re + ": " + e.getDescription());
        }
    }

    private static void expect(int i, String line, EvalBuilder b) {
        Matcher m = EXPECT.matcher(line);
        if (!m.matches()) {
            throw new ScriptException(i + 1, "invalid expect statement, must match `expect <type> <match_type>: <string>`");
        }
        TextMatcher t = TextMatcher.ANY;
        if (m.group(2) != null) {
            String text = m.group(3).strip();
            t = m.group(2).equals("msg") ? new TextMatcher(text, null) : new TextMatcher(null, regex(i, text));
        }
        switch (m.group(1)) {
            case "ordered" -> b.ordered = true;
            case "fail" -> {
                b.fail = true;
                b.failMatcher = t;
                if (++b.failLines > 1) {
                    throw new ScriptException(i + 1, "invalid expect lines, multiple expect fail lines are not allowed");
                }
            }
            case "warn" -> b.warn.add(t);
            case "no_warn" -> b.noWarn = true;
            case "info" -> b.info.add(t);
            case "no_info" -> b.noInfo = true;
            default -> throw new IllegalStateException(m.group(1));
        }
        if (!b.warn.isEmpty() && b.noWarn) {
            throw new ScriptException(i + 1, "invalid expect lines, warn and no_warn cannot be used together");
        }
        if (!b.info.isEmpty() && b.noInfo) {
            throw new ScriptException(i + 1, "invalid expect lines, info and no_info cannot be used together");
        }
    }

    /** The text of {@code expect string "..."}: a Go string literal, double-quoted or raw. */
    private static String stringLiteral(int i, String line) {
        String rest = line.length() > "expect string".length() ? line.substring("expect string".length() + 1) : "";
        if (rest.isEmpty()) {
            throw new ScriptException(i + 1, "expected string literal not valid - a quoted string literal is required");
        }
        char q = rest.charAt(0);
        if (q != '"' && q != '`') {
            throw new ScriptException(i + 1, "expected string literal not valid - check that the string is correctly quoted");
        }
        try {
            StringLiterals.Scanned s = StringLiterals.scan(rest, 0);
            if (s.end() != rest.length()) {
                throw new ScriptException(i + 1, "unexpected text after the expected string");
            }
            return s.value();
        } catch (ParseException e) {
            throw new ScriptException(i + 1, "expected string literal not valid - check that the string is correctly quoted");
        }
    }

    /**
     * A bare number line, read as the reference does: an integer in Go syntax (decimal, {@code 0x},
     * {@code 0o}, {@code 0b}, leading-zero octal), else a Go float ({@code 1e3}, {@code Inf},
     * {@code NaN}, hexadecimal with a {@code p} exponent); null when the line is not a number.
     */
    static Double number(String s) {
        Matcher im = INT_LITERAL.matcher(s);
        if (im.matches()) {
            String digits = im.group(2);
            int radix = 10;
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                char p = Character.toLowerCase(digits.charAt(1));
                if (p == 'x' || p == 'b' || p == 'o') {
                    radix = p == 'x' ? 16 : p == 'b' ? 2 : 8;
                    digits = digits.substring(2);
                } else {
                    radix = 8;
                    digits = digits.substring(1);
                }
            }
            digits = digits.replace("_", "");
            if (digits.isEmpty()) {
                digits = "0";
            }
            BigInteger v = new BigInteger(digits, radix);
            if (im.group(1).equals("-")) {
                v = v.negate();
            }
            if (v.bitLength() < 64) {
                return (double) v.longValue();
            }
            // out of int64 range: the reference falls back to reading it as a float
        }
        if (!FLOAT_LITERAL.matcher(s).matches()) {
            return null;
        }
        String t = s.replace("_", "");
        String lower = t.toLowerCase(Locale.ROOT);
        boolean neg = lower.startsWith("-");
        String body = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (body.equals("inf") || body.equals("infinity")) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (body.equals("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
