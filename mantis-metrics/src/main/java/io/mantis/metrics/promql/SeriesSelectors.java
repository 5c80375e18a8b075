package io.mantis.metrics.promql;

import io.mantis.metrics.model.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a series selector ({@code metric{label="v", other=~"re"}}, {@code {"utf8.name", a!="b"}})
 * as the {@code match[]} parameters of the Prometheus API take it. The full PromQL grammar builds on
 * the same literal and identifier rules; this entry point accepts exactly one vector selector and
 * nothing else, as Prometheus' {@code ParseMetricSelector} does.
 */
public final class SeriesSelectors {

    private SeriesSelectors() {
    }

    public static List<Matcher> parse(String in) throws ParseException {
        List<Matcher> matchers = parseMatchers(in);
        boolean nonEmpty = false;
        for (Matcher m : matchers) {
            nonEmpty |= !m.matchesEmpty();
        }
        if (!nonEmpty) {
            throw new ParseException(in, 0, "vector selector must contain at least one non-empty matcher");
        }
        return matchers;
    }

    /**
     * Like {@link #parse} but without the check that some matcher needs a non-empty value: the
     * API's {@code match[]} makes that check itself, with its own message.
     */
    public static List<Matcher> parseMatchers(String in) throws ParseException {
        Scanner s = new Scanner(in);
        s.skipSpace();
        List<Matcher> matchers = new ArrayList<>();
        String metricName = null;
        int nameAt = s.pos;
        if (s.pos < in.length() && isMetricStart(in.charAt(s.pos))) {
            metricName = s.metricIdentifier();
            s.skipSpace();
        }
        if (s.pos < in.length() && in.charAt(s.pos) == '{') {
            s.pos++;
            s.skipSpace();
            while (s.pos < in.length() && in.charAt(s.pos) != '}') {
                int at = s.pos;
                String name;
                boolean quotedName = false;
                char c = in.charAt(s.pos);
                if (c == '"' || c == '\'' || c == '`') {
                    name = s.string();
                    quotedName = true;
                } else if (isLabelStart(c)) {
                    name = s.labelIdentifier();
                } else {
                    throw new ParseException(in, s.pos, "unexpected " + s.describe() + " in label matching, expected label");
                }
                s.skipSpace();
                if (s.pos >= in.length()) {
                    throw new ParseException(in, s.pos, "unexpected end of input inside braces");
                }
                if (quotedName && s.pos < in.length() && (in.charAt(s.pos) == ',' || in.charAt(s.pos) == '}')) {
                    // {"metric.name"}: a lone quoted string inside braces is the metric name.
                    if (metricName != null) {
                        throw new ParseException(in, at, "metric name must not be set twice: " + StringLiterals.quote(metricName)
                                + " or " + StringLiterals.quote(name));
                    }
                    metricName = name;
                    nameAt = at;
                } else {
                    Matcher.Type type = s.matchOp();
                    s.skipSpace();
                    if (s.pos >= in.length()) {
                        throw new ParseException(in, s.pos, "unexpected end of input inside braces");
                    }
                    if ("\"'`".indexOf(in.charAt(s.pos)) < 0) {
                        throw new ParseException(in, s.pos, "unexpected " + s.describe() + " in label matching, expected string");
                    }
                    String value = s.string();
                    try {
                        matchers.add(Matcher.of(type, name, value));
                    } catch (IllegalArgumentException e) {
                        throw new ParseException(in, at, e.getMessage());
                    }
                }
                s.skipSpace();
                if (s.pos >= in.length()) {
                    // Prometheus' lexer reports the end of input before the grammar's expectation.
                    throw new ParseException(in, s.pos, "unexpected end of input inside braces");
                }
                if (in.charAt(s.pos) == ',') {
                    s.pos++;
                    s.skipSpace();
                } else if (in.charAt(s.pos) != '}') {
                    throw new ParseException(in, s.pos, "unexpected " + s.describe() + " in label matching, expected \",\" or \"}\"");
                }
            }
            if (s.pos >= in.length()) {
                throw new ParseException(in, s.pos, "unexpected end of input inside braces");
            }
            s.pos++;
            s.skipSpace();
        } else if (metricName == null) {
            throw new ParseException(in, s.pos, s.pos >= in.length() ? "unexpected end of input"
                    : "unexpected " + s.describe() + ", expected a series selector");
        }
        if (s.pos < in.length()) {
            throw new ParseException(in, s.pos, "unexpected " + s.describe() + " after the series selector");
        }
        if (metricName != null) {
            for (Matcher m : matchers) {
                if (m.name().equals("__name__")) {
                    throw new ParseException(in, nameAt, "metric name must not be set twice: "
                            + StringLiterals.quote(metricName) + " or " + StringLiterals.quote(m.value()));
                }
            }
            matchers.add(0, Matcher.of(Matcher.Type.EQUAL, "__name__", metricName));
        }
        return matchers;
    }

    static boolean isMetricStart(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isLabelStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isLabelPart(char c) {
        return isLabelStart(c) || (c >= '0' && c <= '9');
    }

    private static final class Scanner {
        final String in;
        int pos;

        Scanner(String in) {
            this.in = in;
        }

        void skipSpace() {
            while (pos < in.length()) {
                char c = in.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else if (c == '#') {
                    while (pos < in.length() && in.charAt(pos) != '\n') {
                        pos++;
                    }
                } else {
                    return;
                }
            }
        }

        String metricIdentifier() {
            int start = pos;
            while (pos < in.length() && (isLabelPart(in.charAt(pos)) || in.charAt(pos) == ':')) {
                pos++;
            }
            return in.substring(start, pos);
        }

        String labelIdentifier() {
            int start = pos;
            while (pos < in.length() && isLabelPart(in.charAt(pos))) {
                pos++;
            }
            return in.substring(start, pos);
        }

        String string() throws ParseException {
            StringLiterals.Scanned sc = StringLiterals.scan(in, pos);
            pos = sc.end();
            return sc.value();
        }

        Matcher.Type matchOp() throws ParseException {
            if (in.startsWith("=~", pos)) {
                pos += 2;
                return Matcher.Type.REGEX;
            }
            if (in.startsWith("!~", pos)) {
                pos += 2;
                return Matcher.Type.NOT_REGEX;
            }
            if (in.startsWith("!=", pos)) {
                pos += 2;
                return Matcher.Type.NOT_EQUAL;
            }
            if (in.startsWith("==", pos)) {
                throw new ParseException(in, pos, "unexpected \"==\" in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
            }
            if (pos < in.length() && in.charAt(pos) == '=') {
                pos++;
                return Matcher.Type.EQUAL;
            }
            throw new ParseException(in, pos, "unexpected " + describe() + " in label matching, expected label matching operator");
        }

        String describe() {
            if (pos >= in.length()) {
                return "end of input";
            }
            char c = in.charAt(pos);
            if (c == '}') {
                return "\"}\"";
            }
            if (c == '{') {
                return "\"{\"";
            }
            if (c == ',') {
                return "\",\"";
            }
            if (isLabelPart(c)) {
                int end = pos;
                while (end < in.length() && isLabelPart(in.charAt(end))) {
                    end++;
                }
                return "identifier \"" + in.substring(pos, end) + "\"";
            }
            return "character " + StringLiterals.quote(String.valueOf(c));
        }
    }
}
