package io.mantis.collector.processor.filter;

import com.google.protobuf.ByteString;
import io.mantis.collector.model.AnyValues;
import io.mantis.collector.processor.shared.GoRegex;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A subset of OTTL, the OpenTelemetry Transformation Language, enough for the filter processor's
 * boolean conditions:
 *
 * <ul>
 *   <li>paths: per context (see {@link #paths}), e.g. {@code name}, {@code kind},
 *       {@code status.code}, {@code attributes["k"]}, {@code resource.attributes["k"]},
 *       {@code instrumentation_scope.name}, {@code severity_number}, {@code body},
 *       {@code metric.name}; a path may start with its own context's name ({@code span.name} in
 *       the span context) and maps may be indexed more than once ({@code attributes["a"]["b"]});</li>
 *   <li>literals: double-quoted strings (Go escapes), ints, floats, {@code true}, {@code false},
 *       {@code nil}, and the context's enums ({@code SPAN_KIND_SERVER}, {@code STATUS_CODE_ERROR},
 *       {@code SEVERITY_NUMBER_WARN}, {@code METRIC_DATA_TYPE_SUM}, ...);</li>
 *   <li>{@code == != < <= > >=} with OTTL's comparison rules, {@code and}, {@code or},
 *       {@code not}, parentheses;</li>
 *   <li>converters {@code IsMatch(target, "regex")} (unanchored, Go syntax), {@code IsString},
 *       {@code IsInt}, {@code IsDouble}, {@code IsBool}, {@code IsMap}, {@code IsList}.</li>
 * </ul>
 *
 * <p>Anything else is a {@link ParseException} naming the position: a condition this subset would
 * read differently from the collector must never be accepted.
 */
final class Ottl {
    private Ottl() {
    }

    /** Where a condition is evaluated, as OTTL's contexts. */
    enum Context {
        SPAN("span"), SPANEVENT("spanevent"), METRIC("metric"), DATAPOINT("datapoint"), LOG("log");

        final String prefix;

        Context(String prefix) {
            this.prefix = prefix;
        }
    }

    /** The telemetry a condition looks at; the fields its context does not have are null. */
    static final class Item {
        Resource resource;
        InstrumentationScope scope;
        Span span;
        Span.Event event;
        Metric metric;
        List<KeyValue> pointAttributes;
        LogRecord log;
    }

    @FunctionalInterface
    interface Condition {
        boolean test(Item item);
    }

    @FunctionalInterface
    private interface Getter {
        Object get(Item item);
    }

    /** A map value (attributes, a kvlist body) as conditions see it. */
    record MapValue(List<KeyValue> entries) {
    }

    /** A list value as conditions see it. */
    record ListValue(List<AnyValue> values) {
    }

    /** A condition that cannot be read; {@link #position()} is 1-based in the condition's text. */
    static final class ParseException extends Exception {
        private final int position;
        private final String reason;

        ParseException(int index, String reason) {
            super("at position " + (index + 1) + ": " + reason, null, false, false);
            this.position = index + 1;
            this.reason = reason;
        }

        int position() {
            return position;
        }

        String reason() {
            return reason;
        }
    }

    /** A condition that failed on a particular item (indexing a value that is not a map). */
    static final class EvaluationException extends RuntimeException {
        EvaluationException(String message) {
            super(message, null, false, false);
        }
    }

    static Condition parse(String text, Context context) throws ParseException {
        Parser p = new Parser(text, context);
        Condition c = p.parseOr();
        if (p.peek().type != T.EOF) {
            throw p.unexpected(p.peek(), "expected 'and', 'or' or the end of the condition");
        }
        return c;
    }

    // ---- paths and enums ----

    private static Map<String, Getter> common() {
        Map<String, Getter> m = new LinkedHashMap<>();
        m.put("resource.attributes", it -> new MapValue(it.resource.getAttributesList()));
        m.put("instrumentation_scope.name", it -> it.scope.getName());
        m.put("instrumentation_scope.version", it -> it.scope.getVersion());
        m.put("instrumentation_scope.attributes", it -> new MapValue(it.scope.getAttributesList()));
        return m;
    }

    private static void spanPaths(Map<String, Getter> m, String prefix, Function<Item, Span> span) {
        m.put(prefix + "name", it -> span.apply(it).getName());
        m.put(prefix + "kind", it -> (long) span.apply(it).getKindValue());
        m.put(prefix + "status.code", it -> (long) span.apply(it).getStatus().getCodeValue());
        m.put(prefix + "status.message", it -> span.apply(it).getStatus().getMessage());
        m.put(prefix + "attributes", it -> new MapValue(span.apply(it).getAttributesList()));
    }

    private static void metricPaths(Map<String, Getter> m, String prefix) {
        m.put(prefix + "name", it -> it.metric.getName());
        m.put(prefix + "description", it -> it.metric.getDescription());
        m.put(prefix + "unit", it -> it.metric.getUnit());
        m.put(prefix + "type", it -> metricType(it.metric));
        m.put(prefix + "aggregation_temporality", it -> temporality(it.metric));
        m.put(prefix + "is_monotonic", it -> it.metric.hasSum() ? it.metric.getSum().getIsMonotonic() : null);
    }

    /** The paths of each context, for lookup and for "available paths" messages. */
    static Map<String, Getter> paths(Context c) {
        Map<String, Getter> m = common();
        switch (c) {
            case SPAN -> spanPaths(m, "", it -> it.span);
            case SPANEVENT -> {
                m.put("name", it -> it.event.getName());
                m.put("attributes", it -> new MapValue(it.event.getAttributesList()));
                spanPaths(m, "span.", it -> it.span);
            }
            case METRIC -> metricPaths(m, "");
            case DATAPOINT -> {
                m.put("attributes", it -> new MapValue(it.pointAttributes));
                metricPaths(m, "metric.");
            }
            case LOG -> {
                m.put("body", it -> raw(it.log.getBody()));
                m.put("severity_number", it -> (long) it.log.getSeverityNumberValue());
                m.put("severity_text", it -> it.log.getSeverityText());
                m.put("attributes", it -> new MapValue(it.log.getAttributesList()));
            }
        }
        return m;
    }

    private static final Map<Context, Map<String, Getter>> PATHS = new java.util.EnumMap<>(Context.class);
    private static final Map<Context, Map<String, Long>> ENUMS = new java.util.EnumMap<>(Context.class);

    static {
        for (Context c : Context.values()) {
            PATHS.put(c, paths(c));
            Map<String, Long> e = new TreeMap<>();
            switch (c) {
                case SPAN, SPANEVENT -> {
                    for (Span.SpanKind k : Span.SpanKind.values()) {
                        if (k != Span.SpanKind.UNRECOGNIZED) {
                            e.put(k.name(), (long) k.getNumber());
                        }
                    }
                    for (Status.StatusCode s : Status.StatusCode.values()) {
                        if (s != Status.StatusCode.UNRECOGNIZED) {
                            e.put(s.name(), (long) s.getNumber());
                        }
                    }
                }
                case LOG -> {
                    for (SeverityNumber s : SeverityNumber.values()) {
                        if (s != SeverityNumber.UNRECOGNIZED) {
                            e.put(s.name(), (long) s.getNumber());
                        }
                    }
                }
                case METRIC, DATAPOINT -> {
                    e.put("METRIC_DATA_TYPE_NONE", 0L);
                    e.put("METRIC_DATA_TYPE_GAUGE", 1L);
                    e.put("METRIC_DATA_TYPE_SUM", 2L);
                    e.put("METRIC_DATA_TYPE_HISTOGRAM", 3L);
                    e.put("METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM", 4L);
                    e.put("METRIC_DATA_TYPE_SUMMARY", 5L);
                    for (AggregationTemporality a : AggregationTemporality.values()) {
                        if (a != AggregationTemporality.UNRECOGNIZED) {
                            e.put(a.name(), (long) a.getNumber());
                        }
                    }
                }
            }
            ENUMS.put(c, e);
        }
    }

    /** pmetric's MetricType numbering, which OTTL's {@code type} path returns. */
    static long metricType(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> 1;
            case SUM -> 2;
            case HISTOGRAM -> 3;
            case EXPONENTIAL_HISTOGRAM -> 4;
            case SUMMARY -> 5;
            case DATA_NOT_SET -> 0;
        };
    }

    private static Object temporality(Metric m) {
        return switch (m.getDataCase()) {
            case SUM -> (long) m.getSum().getAggregationTemporalityValue();
            case HISTOGRAM -> (long) m.getHistogram().getAggregationTemporalityValue();
            case EXPONENTIAL_HISTOGRAM -> (long) m.getExponentialHistogram().getAggregationTemporalityValue();
            default -> null;
        };
    }

    /** An attribute value as conditions compare it. */
    static Object raw(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case BYTES_VALUE -> v.getBytesValue();
            case KVLIST_VALUE -> new MapValue(v.getKvlistValue().getValuesList());
            case ARRAY_VALUE -> new ListValue(v.getArrayValue().getValuesList());
            case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> null;
        };
    }

    private static Object index(Object v, List<String> keys) {
        for (String k : keys) {
            if (v == null) {
                return null;
            }
            if (!(v instanceof MapValue m)) {
                throw new EvaluationException("cannot index a " + typeName(v) + " with [\"" + k + "\"]");
            }
            AnyValue a = AnyValues.get(m.entries(), k);
            v = a == null ? null : raw(a);
        }
        return v;
    }

    private static String typeName(Object v) {
        return switch (v) {
            case null -> "nil";
            case String s -> "string";
            case Long l -> "int";
            case Double d -> "double";
            case Boolean b -> "bool";
            case ByteString b -> "bytes";
            case MapValue m -> "map";
            case ListValue l -> "list";
            default -> v.getClass().getSimpleName();
        };
    }

    // ---- comparison, as OTTL's rules ----

    enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String text;

        Op(String text) {
            this.text = text;
        }

        static Op of(String text) {
            for (Op o : values()) {
                if (o.text.equals(text)) {
                    return o;
                }
            }
            throw new IllegalArgumentException(text);
        }
    }

    /**
     * OTTL's comparison: nil equals only nil; ints and doubles compare as numbers; strings, bools
     * (false before true) and bytes compare within their type; maps and lists only for equality;
     * any other pair is unequal, and every ordering between them is false.
     */
    static boolean compare(Object a, Object b, Op op) {
        if (a == null && b == null) {
            return op == Op.EQ || op == Op.LE || op == Op.GE;
        }
        if (a == null || b == null) {
            return op == Op.NE;
        }
        return switch (a) {
            case Boolean x when b instanceof Boolean y -> ordered(Boolean.compare(x, y), op);
            case Long x when b instanceof Long y -> ordered(Long.compare(x, y), op);
            case Long x when b instanceof Double y -> doubles(x, y, op);
            case Double x when b instanceof Long y -> doubles(x, y, op);
            case Double x when b instanceof Double y -> doubles(x, y, op);
            case String x when b instanceof String y -> ordered(AnyValues.compareCodePoints(x, y), op);
            case ByteString x when b instanceof ByteString y ->
                    ordered(ByteString.unsignedLexicographicalComparator().compare(x, y), op);
            case MapValue x when b instanceof MapValue y -> equality(AnyValues.equalMaps(x.entries(), y.entries()), op);
            case ListValue x when b instanceof ListValue y -> equality(AnyValues.equal(list(x), list(y)), op);
            default -> op == Op.NE;
        };
    }

    private static AnyValue list(ListValue l) {
        return AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(l.values())).build();
    }

    private static boolean equality(boolean equal, Op op) {
        return switch (op) {
            case EQ -> equal;
            case NE -> !equal;
            default -> false;
        };
    }

    private static boolean ordered(int c, Op op) {
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
        };
    }

    /** IEEE comparison, so NaN is unequal to everything, itself included, as in Go. */
    private static boolean doubles(double x, double y, Op op) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
        };
    }

    /** The text IsMatch matches a non-string against, as OTTL's string-like getter makes it. */
    static String stringLike(Object v) {
        return switch (v) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Double d -> AnyValues.formatDoublePlain(d);
            case Boolean b -> Boolean.toString(b);
            case ByteString b -> HexFormat.of().formatHex(b.toByteArray());
            case MapValue m -> AnyValues.asString(AnyValue.newBuilder()
                    .setKvlistValue(KeyValueList.newBuilder().addAllValues(m.entries())).build());
            case ListValue l -> AnyValues.asString(list(l));
            default -> String.valueOf(v);
        };
    }

    // ---- lexer ----

    private enum T { IDENT, STRING, INT, FLOAT, OP, LPAREN, RPAREN, LBRACK, RBRACK, COMMA, DOT, SIGN, EOF }

    private record Token(T type, String text, Object value, int pos) {
    }

    private static final Pattern UPPER_IDENT = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final List<String> CONVERTERS = List.of("IsMatch", "IsString", "IsInt", "IsDouble", "IsBool",
            "IsMap", "IsList");

    private static List<Token> lex(String s) throws ParseException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(T.IDENT, s.substring(start, i), null, start));
            } else if (c >= '0' && c <= '9') {
                i = number(s, i, out);
            } else if (c == '"') {
                i = string(s, i, out);
            } else if (c == '\'') {
                throw new ParseException(i, "strings are written in double quotes in OTTL");
            } else if (s.startsWith("==", i) || s.startsWith("!=", i) || s.startsWith("<=", i)
                    || s.startsWith(">=", i)) {
                out.add(new Token(T.OP, s.substring(i, i + 2), null, i));
                i += 2;
            } else if (c == '<' || c == '>') {
                out.add(new Token(T.OP, String.valueOf(c), null, i));
                i++;
            } else if (c == '=') {
                throw new ParseException(i, "'=' is not an operator; use '==' to compare");
            } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == '.') {
                T t = switch (c) {
                    case '(' -> T.LPAREN;
                    case ')' -> T.RPAREN;
                    case '[' -> T.LBRACK;
                    case ']' -> T.RBRACK;
                    case ',' -> T.COMMA;
                    default -> T.DOT;
                };
                out.add(new Token(t, String.valueOf(c), null, i));
                i++;
            } else if (c == '+' || c == '-') {
                out.add(new Token(T.SIGN, String.valueOf(c), null, i));
                i++;
            } else if (c == '*' || c == '/') {
                throw new ParseException(i, "math expressions are not supported in this version of Mantis");
            } else if (c == '{') {
                throw new ParseException(i, "map literals are not supported in this version of Mantis");
            } else {
                throw new ParseException(i, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(T.EOF, "", null, s.length()));
        return out;
    }

    private static int number(String s, int start, List<Token> out) throws ParseException {
        int i = start;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            throw new ParseException(start, "byte literals (0x...) are not supported in this version of Mantis");
        }
        boolean isFloat = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            isFloat = true;
            i++;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < s.length() && isDigit(s.charAt(j))) {
                isFloat = true;
                i = j;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        if (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
            throw new ParseException(i, "unexpected '" + s.charAt(i) + "' in a number");
        }
        String text = s.substring(start, i);
        Object value;
        if (isFloat) {
            value = Double.parseDouble(text);
        } else {
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ParseException(start, "integer " + text + " does not fit in 64 bits");
            }
        }
        out.add(new Token(isFloat ? T.FLOAT : T.INT, text, value, start));
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A double-quoted string with Go's escapes (octal excepted). */
    private static int string(String s, int start, List<Token> out) throws ParseException {
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= s.length()) {
                throw new ParseException(start, "string is not closed");
            }
            char c = s.charAt(i);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new ParseException(i, "string is not closed");
            }
            char e = s.charAt(i + 1);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + 2 + len > s.length()) {
                        throw new ParseException(i, "incomplete escape \\" + e);
                    }
                    String hex = s.substring(i + 2, i + 2 + len);
                    int cp;
                    try {
                        cp = Integer.parseUnsignedInt(hex, 16);
                    } catch (NumberFormatException ex) {
                        throw new ParseException(i, "invalid escape \\" + e + hex);
                    }
                    if (!Character.isValidCodePoint(cp)) {
                        throw new ParseException(i, "invalid escape \\" + e + hex);
                    }
                    sb.appendCodePoint(cp);
                    i += len;
                }
                default -> throw new ParseException(i, "unknown escape \\" + e
                        + " (to write a backslash, for example in a regular expression, use \\\\)");
            }
            i += 2;
        }
        out.add(new Token(T.STRING, s.substring(start, i + 1), sb.toString(), start));
        return i + 1;
    }

    // ---- parser ----

    private enum Kind { LITERAL, BOOL_LITERAL, PATH, CONVERTER }

    private record Operand(Getter getter, Kind kind, Token start) {
    }

    private static final class Parser {
        private final String text;
        private final Context context;
        private final List<Token> tokens;
        private int at;

        Parser(String text, Context context) throws ParseException {
            this.text = text;
            this.context = context;
            this.tokens = lex(text);
        }

        Token peek() {
            return tokens.get(at);
        }

        Token peek(int ahead) {
            return tokens.get(Math.min(at + ahead, tokens.size() - 1));
        }

        Token next() {
            return tokens.get(at++);
        }

        boolean isWord(Token t, String word) {
            return t.type == T.IDENT && t.text.equals(word);
        }

        ParseException unexpected(Token t, String expected) {
            String got = t.type == T.EOF ? "the end of the condition" : "'" + t.text + "'";
            return new ParseException(t.pos, expected + ", got " + got);
        }

        Condition parseOr() throws ParseException {
            Condition left = parseAnd();
            while (isWord(peek(), "or")) {
                next();
                Condition l = left;
                Condition r = parseAnd();
                left = it -> l.test(it) || r.test(it);
            }
            return left;
        }

        Condition parseAnd() throws ParseException {
            Condition left = parseFactor();
            while (isWord(peek(), "and")) {
                next();
                Condition l = left;
                Condition r = parseFactor();
                left = it -> l.test(it) && r.test(it);
            }
            return left;
        }

        Condition parseFactor() throws ParseException {
            if (isWord(peek(), "not")) {
                next();
                if (isWord(peek(), "not")) {
                    throw new ParseException(peek().pos, "'not' cannot follow 'not'");
                }
                Condition c = parsePrimary();
                return it -> !c.test(it);
            }
            return parsePrimary();
        }

        Condition parsePrimary() throws ParseException {
            if (peek().type == T.LPAREN) {
                next();
                Condition c = parseOr();
                if (peek().type != T.RPAREN) {
                    throw unexpected(peek(), "expected ')'");
                }
                next();
                if (peek().type == T.OP) {
                    throw new ParseException(peek().pos, "a parenthesized condition cannot be compared");
                }
                return c;
            }
            Operand left = parseValue();
            int leftEnd = peek().pos;
            if (peek().type == T.SIGN) {
                throw new ParseException(peek().pos, "math expressions are not supported in this version of Mantis");
            }
            if (peek().type == T.OP) {
                Op op = Op.of(next().text);
                Operand right = parseValue();
                if (peek().type == T.SIGN) {
                    throw new ParseException(peek().pos, "math expressions are not supported in this version of"
                            + " Mantis");
                }
                if (peek().type == T.OP) {
                    throw new ParseException(peek().pos, "comparisons cannot be chained; join them with 'and'");
                }
                Getter l = left.getter();
                Getter r = right.getter();
                return it -> compare(l.get(it), r.get(it), op);
            }
            return switch (left.kind()) {
                case BOOL_LITERAL, CONVERTER -> {
                    Getter g = left.getter();
                    yield it -> Boolean.TRUE.equals(g.get(it));
                }
                case PATH -> throw new ParseException(left.start().pos, "a path is not a condition by itself;"
                        + " compare it, e.g. " + text.substring(left.start().pos, leftEnd).strip() + " == true");
                case LITERAL -> throw new ParseException(left.start().pos, "a literal is not a condition by itself");
            };
        }

        Operand parseValue() throws ParseException {
            Token t = peek();
            switch (t.type) {
                case STRING, INT, FLOAT -> {
                    next();
                    Object v = t.value;
                    return new Operand(it -> v, Kind.LITERAL, t);
                }
                case SIGN -> {
                    next();
                    Token n = peek();
                    if (n.type != T.INT && n.type != T.FLOAT) {
                        throw new ParseException(t.pos, "math expressions are not supported in this version of"
                                + " Mantis; '" + t.text + "' may only sign a number");
                    }
                    next();
                    Object v = t.text.equals("+") ? n.value : n.value instanceof Long l ? (Object) (-l)
                            : (Object) (-(Double) n.value);
                    return new Operand(it -> v, Kind.LITERAL, t);
                }
                case IDENT -> {
                    return identifier();
                }
                default -> throw unexpected(t, "expected a value (a path, a literal or a converter)");
            }
        }

        private Operand identifier() throws ParseException {
            Token t = next();
            switch (t.text) {
                case "true", "false" -> {
                    Boolean b = Boolean.valueOf(t.text);
                    return new Operand(it -> b, Kind.BOOL_LITERAL, t);
                }
                case "nil" -> {
                    return new Operand(it -> null, Kind.LITERAL, t);
                }
                case "and", "or", "not" -> throw new ParseException(t.pos, "expected a value, got '" + t.text + "'");
                default -> {
                }
            }
            if (peek().type == T.LPAREN) {
                return converter(t);
            }
            if (UPPER_IDENT.matcher(t.text).matches() && peek().type != T.DOT && peek().type != T.LBRACK) {
                Long v = ENUMS.get(context).get(t.text);
                if (v == null) {
                    throw new ParseException(t.pos, "unknown enum " + t.text + " in the " + context.prefix
                            + " context (available: " + String.join(", ", ENUMS.get(context).keySet()) + ")");
                }
                return new Operand(it -> v, Kind.LITERAL, t);
            }
            return path(t);
        }

        private Operand path(Token first) throws ParseException {
            List<String> parts = new ArrayList<>();
            parts.add(first.text);
            while (peek().type == T.DOT) {
                next();
                Token part = next();
                if (part.type != T.IDENT) {
                    throw unexpected(part, "expected a path segment after '.'");
                }
                parts.add(part.text);
            }
            List<String> keys = new ArrayList<>();
            while (peek().type == T.LBRACK) {
                Token open = next();
                Token key = next();
                if (key.type == T.INT) {
                    throw new ParseException(key.pos, "list indexes are not supported in this version of Mantis");
                }
                if (key.type != T.STRING) {
                    throw unexpected(key, "expected a string key in [\"...\"]");
                }
                if (next().type != T.RBRACK) {
                    throw new ParseException(open.pos, "'[' is not closed");
                }
                keys.add((String) key.value);
            }
            if (parts.size() > 1 && parts.getFirst().equals(context.prefix)) {
                parts.removeFirst();
            }
            String name = String.join(".", parts);
            Getter base = PATHS.get(context).get(name);
            if (base == null) {
                throw new ParseException(first.pos, "unknown path '" + name + "' in the " + context.prefix
                        + " context (available: " + String.join(", ", PATHS.get(context).keySet()) + ")");
            }
            if (!keys.isEmpty() && !name.endsWith("attributes") && !name.equals("body")) {
                throw new ParseException(first.pos, "'" + name + "' is not a map and cannot be indexed");
            }
            Getter g = keys.isEmpty() ? base : it -> index(base.get(it), keys);
            return new Operand(g, Kind.PATH, first);
        }

        private Operand converter(Token name) throws ParseException {
            if (!CONVERTERS.contains(name.text)) {
                String why = Character.isLowerCase(name.text.charAt(0))
                        ? "'" + name.text + "' is an editor or unknown; conditions only read data"
                        : "converter '" + name.text + "' is not supported in this version of Mantis";
                throw new ParseException(name.pos, why + " (available: " + String.join(", ", CONVERTERS) + ")");
            }
            next(); // (
            List<Operand> args = new ArrayList<>();
            if (peek().type != T.RPAREN) {
                while (true) {
                    args.add(parseValue());
                    if (peek().type == T.COMMA) {
                        next();
                        continue;
                    }
                    break;
                }
            }
            if (peek().type != T.RPAREN) {
                throw unexpected(peek(), "expected ',' or ')' in " + name.text + "(...)");
            }
            next();
            int want = name.text.equals("IsMatch") ? 2 : 1;
            if (args.size() != want) {
                throw new ParseException(name.pos, name.text + " takes " + want + " argument" + (want > 1 ? "s" : "")
                        + ", got " + args.size());
            }
            Getter target = args.getFirst().getter();
            Getter g = switch (name.text) {
                case "IsMatch" -> {
                    Operand pattern = args.get(1);
                    if (pattern.kind() != Kind.LITERAL || !(pattern.getter().get(null) instanceof String p)) {
                        throw new ParseException(pattern.start().pos, "IsMatch's pattern must be a string literal");
                    }
                    GoRegex re;
                    try {
                        re = GoRegex.compile(p);
                    } catch (IllegalArgumentException e) {
                        throw new ParseException(pattern.start().pos, e.getMessage());
                    }
                    yield it -> {
                        Object v = target.get(it);
                        return v != null && re.find(stringLike(v));
                    };
                }
                case "IsString" -> it -> target.get(it) instanceof String;
                case "IsInt" -> it -> target.get(it) instanceof Long;
                case "IsDouble" -> it -> target.get(it) instanceof Double;
                case "IsBool" -> it -> target.get(it) instanceof Boolean;
                case "IsMap" -> it -> target.get(it) instanceof MapValue;
                case "IsList" -> it -> target.get(it) instanceof ListValue;
                default -> throw new IllegalStateException(name.text);
            };
            return new Operand(g, Kind.CONVERTER, name);
        }
    }
}
