package io.mantis.metrics.promql.parser;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.AggregationOp;
import io.mantis.metrics.promql.ast.AtModifier;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.BinaryOp;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.DurationExpr;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.Function;
import io.mantis.metrics.promql.ast.Functions;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.PosRange;
import io.mantis.metrics.promql.ast.StringLiteral;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.UnaryExpr;
import io.mantis.metrics.promql.ast.VectorMatching;
import io.mantis.metrics.promql.ast.VectorSelector;
import io.mantis.metrics.promql.parser.Token.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hand-written parser for PromQL as Prometheus 3 reads it: recursive descent for the constructs,
 * precedence climbing for the binary operators, then the same semantic checks as Prometheus
 * (operand types, function signatures, vector matching, modifiers). Errors carry Prometheus'
 * messages and positions ({@code 1:14: parse error: unexpected <by> in aggregation}). Like
 * Prometheus, it reports the first error: syntax errors anywhere before any type error.
 *
 * <p>Instances are single-use; the static methods are thread-safe.
 */
public final class Parser {

    private static final double MAX_DURATION_SECONDS = 9223372036.854775807;

    private final String in;
    private final List<Token> tokens;
    private final ParserOptions options;
    private int p;
    // The construct whose error recovery Prometheus' grammar would land in: "" or "aggregation".
    private String context = "";
    // End of the last closing token consumed, where a construct that ends with it ends.
    private int lastClosing;

    private Parser(String in, ParserOptions options) {
        this.in = in;
        this.options = options;
        List<Token> all = Lexer.lex(in);
        List<Token> kept = new ArrayList<>(all.size());
        for (Token t : all) {
            if (t.kind() != Kind.COMMENT) {
                kept.add(t);
            }
        }
        this.tokens = kept;
    }

    /** Parses a query with Prometheus' default features ({@link ParserOptions#DEFAULT}). */
    public static Expr parse(String query) throws ParseException {
        return parse(query, ParserOptions.DEFAULT);
    }

    /** Parses and type-checks a query. */
    public static Expr parse(String query, ParserOptions options) throws ParseException {
        Parser ps = new Parser(query, options);
        Expr e = ps.parseTop();
        return new Checker(query).check(e);
    }

    /**
     * Parses one series selector ({@code foo{a="b"}}, {@code {"my.metric"}}) and nothing else, as the
     * {@code match[]} parameters of the HTTP API take it.
     *
     * @param requireNonEmptyMatcher whether to refuse selectors whose matchers all match the empty
     *     string, as in queries
     */
    public static VectorSelector parseSeriesSelector(String selector, boolean requireNonEmptyMatcher)
            throws ParseException {
        Parser ps = new Parser(selector, ParserOptions.DEFAULT);
        Token t = ps.peek();
        VectorSelector vs;
        if (t.kind() == Kind.LEFT_BRACE) {
            vs = ps.vectorSelector(null);
        } else if (isMetricIdentifier(t.kind())) {
            vs = ps.vectorSelector(t);
        } else {
            throw ps.unexpected(t, "", "");
        }
        Token end = ps.peek();
        if (end.kind() != Kind.EOF) {
            throw ps.unexpected(end, "", "");
        }
        new Checker(selector).checkSelector(vs, requireNonEmptyMatcher);
        return vs;
    }

    // ---- Tokens.

    private Token peek() throws ParseException {
        Token t = tokens.get(p);
        if (t.kind() == Kind.ERROR) {
            throw new ParseException(in, t.pos(), in.length(), t.text());
        }
        return t;
    }

    /** The token {@code k} ahead, without failing on a lexical error there. */
    private Token peekAt(int k) {
        return tokens.get(Math.min(p + k, tokens.size() - 1));
    }

    private Token next() throws ParseException {
        Token t = peek();
        if (t.kind() != Kind.EOF) {
            p++;
        }
        switch (t.kind()) {
            case RIGHT_BRACE, RIGHT_PAREN, RIGHT_BRACKET, DURATION, NUMBER -> lastClosing = t.end();
            default -> {
            }
        }
        return t;
    }

    private Token expect(Kind kind, String ctx, String expected) throws ParseException {
        Token t = peek();
        if (t.kind() != kind) {
            throw unexpected(t, ctx, expected);
        }
        return next();
    }

    private ParseException unexpected(Token t, String ctx, String expected) {
        StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
        if (!ctx.isEmpty()) {
            sb.append(" in ").append(ctx);
        }
        if (!expected.isEmpty()) {
            sb.append(", expected ").append(expected);
        }
        return error(t.pos(), t.end(), sb.toString());
    }

    private ParseException error(int start, int end, String message) {
        return new ParseException(in, start, end, message);
    }

    private ParseException error(PosRange pos, String message) {
        return new ParseException(in, pos.start(), pos.end(), message);
    }

    // ---- Expressions.

    private Expr parseTop() throws ParseException {
        if (peek().kind() == Kind.EOF) {
            throw error(0, 0, "no expression found in input");
        }
        Expr e = expr(0);
        Token t = peek();
        if (t.kind() != Kind.EOF) {
            throw unexpected(t, context, "");
        }
        return e;
    }

    private Expr expr(int minPrecedence) throws ParseException {
        Expr lhs = unary();
        while (true) {
            Token t = peek();
            BinaryOp op = binaryOp(t.kind());
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            next();
            BinModifiers mods = binModifiers();
            Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
            PosRange pos = lhs.pos().union(rhs.pos());
            BinaryExpr b = new BinaryExpr(op, lhs, rhs, mods.returnBool, mods.matching, pos);
            if (mods.matching.hasFill() && !options.binopFillModifiers()) {
                throw error(pos, "binop fill modifiers are experimental and not enabled");
            }
            lhs = b;
        }
    }

    private static BinaryOp binaryOp(Kind k) {
        return switch (k) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case POW -> BinaryOp.POW;
            case ATAN2 -> BinaryOp.ATAN2;
            case TRIM_UPPER -> BinaryOp.TRIM_UPPER;
            case TRIM_LOWER -> BinaryOp.TRIM_LOWER;
            case EQLC -> BinaryOp.EQL;
            case NEQ -> BinaryOp.NEQ;
            case GTR -> BinaryOp.GTR;
            case LSS -> BinaryOp.LSS;
            case GTE -> BinaryOp.GTE;
            case LTE -> BinaryOp.LTE;
            case LAND -> BinaryOp.AND;
            case LOR -> BinaryOp.OR;
            case LUNLESS -> BinaryOp.UNLESS;
            default -> null;
        };
    }

    private record BinModifiers(boolean returnBool, VectorMatching matching) {
    }

    private BinModifiers binModifiers() throws ParseException {
        boolean returnBool = false;
        if (peek().kind() == Kind.BOOL) {
            next();
            returnBool = true;
        }
        boolean on = false;
        List<String> labels = List.of();
        List<String> include = List.of();
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        Kind k = peek().kind();
        if (k == Kind.ON || k == Kind.IGNORING) {
            next();
            on = k == Kind.ON;
            labels = groupingLabels();
            Kind g = peek().kind();
            if (g == Kind.GROUP_LEFT || g == Kind.GROUP_RIGHT) {
                next();
                card = g == Kind.GROUP_LEFT ? VectorMatching.Cardinality.MANY_TO_ONE
                        : VectorMatching.Cardinality.ONE_TO_MANY;
                if (peek().kind() == Kind.LEFT_PAREN) {
                    include = groupingLabels();
                }
            }
        }
        Double fillLeft = null;
        Double fillRight = null;
        while (true) {
            Token t = peek();
            String word = t.kind() == Kind.IDENTIFIER ? t.text().toLowerCase(Locale.ROOT) : "";
            if (!(word.equals("fill") || word.equals("fill_left") || word.equals("fill_right"))
                    || peekAt(1).kind() != Kind.LEFT_PAREN) {
                break;
            }
            next();
            next();
            double v = signedNumber("fill modifier");
            expect(Kind.RIGHT_PAREN, "fill modifier", "\")\"");
            boolean left = !word.equals("fill_right");
            boolean right = !word.equals("fill_left");
            if ((left && fillLeft != null) || (right && fillRight != null)) {
                throw error(t.pos(), lastClosing, "fill modifier may not be set multiple times");
            }
            if (left) {
                fillLeft = v;
            }
            if (right) {
                fillRight = v;
            }
        }
        return new BinModifiers(returnBool, new VectorMatching(card, labels, on, include, fillLeft, fillRight));
    }

    private double signedNumber(String ctx) throws ParseException {
        boolean negative = false;
        Kind k = peek().kind();
        if (k == Kind.ADD || k == Kind.SUB) {
            next();
            negative = k == Kind.SUB;
        }
        Token n = expect(Kind.NUMBER, ctx, "number");
        double v = number(n);
        return negative ? -v : v;
    }

    private Expr unary() throws ParseException {
        Token t = peek();
        if (t.kind() == Kind.ADD || t.kind() == Kind.SUB) {
            next();
            boolean negate = t.kind() == Kind.SUB;
            // Unary operators bind like '*': only '^' (and the postfix modifiers) bind tighter.
            Expr operand = expr(BinaryOp.UNARY_PRECEDENCE + 1);
            PosRange pos = new PosRange(t.pos(), operand.pos().end());
            if (operand instanceof NumberLiteral n) {
                return new NumberLiteral(negate ? -n.value() : n.value(), n.durationLiteral(), pos);
            }
            return new UnaryExpr(negate, operand, pos);
        }
        return postfix(primary());
    }

    private static boolean isMetricIdentifier(Kind k) {
        return switch (k) {
            case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS, START, END, STEP,
                    ANCHORED, SMOOTHED -> true;
            default -> false;
        };
    }

    private Expr primary() throws ParseException {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                next();
                return new NumberLiteral(number(t), pos(t));
            }
            case DURATION -> {
                next();
                return new NumberLiteral(durationMillis(t) / 1000.0, true, pos(t));
            }
            case STRING -> {
                next();
                return new StringLiteral(t.value(), pos(t));
            }
            case LEFT_PAREN -> {
                next();
                Expr e = expr(0);
                Token close = peek();
                if (close.kind() != Kind.RIGHT_PAREN) {
                    throw unexpected(close, context, "");
                }
                next();
                return new ParenExpr(e, new PosRange(t.pos(), close.end()));
            }
            case LEFT_BRACE -> {
                return vectorSelector(null);
            }
            case IDENTIFIER -> {
                if (peekAt(1).kind() == Kind.LEFT_PAREN) {
                    return call(t, t.text());
                }
                return vectorSelector(t);
            }
            case AGGREGATOR -> {
                Kind k = peekAt(1).kind();
                if (k == Kind.LEFT_PAREN || k == Kind.BY || k == Kind.WITHOUT) {
                    return aggregate(t);
                }
                if (k == Kind.IDENTIFIER || k == Kind.METRIC_IDENTIFIER || k == Kind.NUMBER || k == Kind.STRING
                        || k == Kind.DURATION || k == Kind.AGGREGATOR) {
                    next();
                    throw unexpected(peek(), "aggregation", "");
                }
                return vectorSelector(t);
            }
            case START, END, STEP -> {
                if (peekAt(1).kind() == Kind.LEFT_PAREN) {
                    return call(t, t.text().toLowerCase(Locale.ROOT));
                }
                return vectorSelector(t);
            }
            default -> {
                if (isMetricIdentifier(t.kind())) {
                    return vectorSelector(t);
                }
                throw unexpected(t, context, "");
            }
        }
    }

    private static PosRange pos(Token t) {
        return new PosRange(t.pos(), t.end());
    }

    private double number(Token t) throws ParseException {
        try {
            return Literals.number(t.text());
        } catch (Literals.BadLiteral e) {
            throw error(t.pos(), t.end(), "error parsing number: " + e.getMessage());
        }
    }

    private long durationMillis(Token t) throws ParseException {
        try {
            return Literals.durationMillis(t.text());
        } catch (Literals.BadLiteral e) {
            throw error(t.pos(), t.end(), e.getMessage());
        }
    }

    // ---- Selectors.

    private VectorSelector vectorSelector(Token nameToken) throws ParseException {
        String name = null;
        List<Matcher> matchers = new ArrayList<>();
        int start;
        int end;
        if (nameToken != null) {
            next();
            name = nameToken.text();
            start = nameToken.pos();
            end = nameToken.end();
            matchers.add(Matcher.equal("__name__", name));
        } else {
            start = peek().pos();
            end = start;
        }
        if (peek().kind() == Kind.LEFT_BRACE) {
            next();
            labelMatchers(matchers);
            end = lastClosing;
        }
        return new VectorSelector(name, matchers, new PosRange(start, end));
    }

    /** The matchers up to and including the closing brace; the opening one is consumed. */
    private void labelMatchers(List<Matcher> matchers) throws ParseException {
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.RIGHT_BRACE) {
                next();
                return;
            }
            if (t.kind() != Kind.IDENTIFIER && t.kind() != Kind.STRING) {
                throw unexpected(t, "label matching", "label");
            }
            next();
            String label = t.kind() == Kind.STRING ? t.value() : t.text();
            Token op = peek();
            if (t.kind() == Kind.STRING && (op.kind() == Kind.COMMA || op.kind() == Kind.RIGHT_BRACE)) {
                // {"my.metric"}: a lone quoted name is the metric name.
                matchers.add(Matcher.equal("__name__", label));
            } else {
                Matcher.Type type = switch (op.kind()) {
                    case EQL -> Matcher.Type.EQUAL;
                    case NEQ -> Matcher.Type.NOT_EQUAL;
                    case EQL_REGEX -> Matcher.Type.REGEX;
                    case NEQ_REGEX -> Matcher.Type.NOT_REGEX;
                    default -> throw unexpected(op, "label matching", "label matching operator");
                };
                next();
                Token v = peek();
                if (v.kind() != Kind.STRING) {
                    throw unexpected(v, "label matching", "string");
                }
                next();
                try {
                    matchers.add(Matcher.of(type, label, v.value()));
                } catch (IllegalArgumentException e) {
                    throw error(t.pos(), v.end(), e.getMessage());
                }
            }
            Token sep = peek();
            if (sep.kind() == Kind.COMMA) {
                next();
            } else if (sep.kind() != Kind.RIGHT_BRACE) {
                throw unexpected(sep, "label matching", "\",\" or \"}\"");
            }
        }
    }

    // ---- Modifiers after a selector or subquery: offset, @, [range], [range:step], anchored, smoothed.

    private Expr postfix(Expr e) throws ParseException {
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case OFFSET -> {
                    next();
                    e = addOffset(e, offsetDuration());
                }
                case AT -> {
                    next();
                    e = at(e);
                }
                case LEFT_BRACKET -> {
                    next();
                    e = bracket(e, t);
                }
                case ANCHORED, SMOOTHED -> {
                    next();
                    e = extendedModifier(e, t.kind() == Kind.ANCHORED);
                }
                default -> {
                    return e;
                }
            }
        }
    }

    private Expr addOffset(Expr e, DurationExpr offset) throws ParseException {
        // Like Prometheus, a zero offset counts as none (and may be set again).
        DurationExpr kept = offset instanceof DurationExpr.Literal l && l.value() == 0 ? null : offset;
        return modify(e, "offset", "offset", v -> v.offset() != null, q -> q.offset() != null,
                (v, pos) -> v.withOffset(kept, pos), (q, pos) -> q.withOffset(kept, pos));
    }

    private DurationExpr offsetDuration() throws ParseException {
        DurationExpr d = offsetTerm();
        requireDurationExpressions(d);
        return d;
    }

    private DurationExpr offsetTerm() throws ParseException {
        Token t = peek();
        if (t.kind() == Kind.ADD || t.kind() == Kind.SUB) {
            next();
            return sign(t, offsetTerm());
        }
        return durationAtom("offset", "number, duration, or step()");
    }

    private static DurationExpr sign(Token op, DurationExpr operand) {
        boolean negate = op.kind() == Kind.SUB;
        PosRange pos = new PosRange(op.pos(), operand.pos().end());
        if (operand instanceof DurationExpr.Literal l) {
            return new DurationExpr.Literal(negate ? -l.value() : l.value(), l.durationUnit(), pos);
        }
        return new DurationExpr.Unary(negate, operand, pos);
    }

    private void requireDurationExpressions(DurationExpr d) throws ParseException {
        if (!(d instanceof DurationExpr.Literal) && !options.durationExpressions()) {
            throw error(d.pos(), "experimental duration expression is not enabled");
        }
    }

    private Expr at(Expr e) throws ParseException {
        Token t = peek();
        AtModifier at;
        if (t.kind() == Kind.START || t.kind() == Kind.END) {
            next();
            expect(Kind.LEFT_PAREN, "@", "timestamp");
            expect(Kind.RIGHT_PAREN, "@", "timestamp");
            at = t.kind() == Kind.START ? AtModifier.START : AtModifier.END;
        } else {
            boolean negative = false;
            Token n = t;
            if (t.kind() == Kind.ADD || t.kind() == Kind.SUB) {
                next();
                negative = t.kind() == Kind.SUB;
                n = peek();
            }
            double seconds;
            if (n.kind() == Kind.NUMBER) {
                next();
                seconds = number(n);
            } else if (n.kind() == Kind.DURATION) {
                next();
                seconds = durationMillis(n) / 1000.0;
            } else {
                throw unexpected(n, "@", "timestamp");
            }
            if (negative) {
                seconds = -seconds;
            }
            if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 9.223372036854775807E18
                    || seconds <= -9.223372036854775808E18) {
                throw error(e.pos(), "timestamp out of bounds for @ modifier: " + goFixed(seconds));
            }
            at = AtModifier.at(Math.round(seconds * 1000.0));
        }
        AtModifier modifier = at;
        return modify(e, "@ <timestamp>", "@", v -> v.at() != null, q -> q.at() != null,
                (v, pos) -> v.withAt(modifier, pos), (q, pos) -> q.withAt(modifier, pos));
    }

    /**
     * Attaches an {@code offset} or {@code @} modifier to the selector or subquery before it,
     * refusing a second one of the kind ({@code isSet}) and any other expression, with
     * Prometheus' messages.
     */
    private Expr modify(Expr e, String once, String kind, java.util.function.Predicate<VectorSelector> isSet,
            java.util.function.Predicate<SubqueryExpr> subqueryIsSet,
            java.util.function.BiFunction<VectorSelector, PosRange, VectorSelector> set,
            java.util.function.BiFunction<SubqueryExpr, PosRange, SubqueryExpr> setSubquery) throws ParseException {
        switch (e) {
            case VectorSelector v -> {
                if (isSet.test(v)) {
                    throw error(v.pos(), once + " may not be set multiple times");
                }
                return set.apply(v, new PosRange(v.pos().start(), lastClosing));
            }
            case MatrixSelector m -> {
                if (isSet.test(m.selector())) {
                    throw error(m.pos(), once + " may not be set multiple times");
                }
                return new MatrixSelector(set.apply(m.selector(), m.selector().pos()), m.range(),
                        new PosRange(m.pos().start(), lastClosing));
            }
            case SubqueryExpr q -> {
                if (subqueryIsSet.test(q)) {
                    throw error(q.pos(), once + " may not be set multiple times");
                }
                return setSubquery.apply(q, new PosRange(q.pos().start(), lastClosing));
            }
            default -> throw error(e.pos(), kind
                    + " modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    /** Go's {@code %f}. */
    private static String goFixed(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    private Expr extendedModifier(Expr e, boolean anchored) throws ParseException {
        String name = anchored ? "anchored" : "smoothed";
        if (!options.extendedRangeSelectors()) {
            throw error(e.pos(), name + " modifier is experimental and not enabled");
        }
        switch (e) {
            case VectorSelector v -> {
                if (anchored ? v.smoothed() : v.anchored()) {
                    throw error(v.pos(), "anchored and smoothed modifiers cannot be used together");
                }
                return v.withAnchored(anchored || v.anchored(), !anchored || v.smoothed(), v.pos());
            }
            case MatrixSelector m -> {
                VectorSelector v = m.selector();
                if (anchored ? v.smoothed() : v.anchored()) {
                    throw error(m.pos(), "anchored and smoothed modifiers cannot be used together");
                }
                return new MatrixSelector(v.withAnchored(anchored || v.anchored(), !anchored || v.smoothed(), v.pos()),
                        m.range(), m.pos());
            }
            case SubqueryExpr s -> throw error(s.pos(), name + " modifier is not supported for subqueries");
            default -> throw error(e.pos(), name + " modifier not implemented");
        }
    }

    /** After {@code [}: a range selector or a subquery. */
    private Expr bracket(Expr e, Token leftBracket) throws ParseException {
        Token first = peek();
        if (first.kind() == Kind.RIGHT_BRACKET) {
            throw unexpected(first, "subquery selector", "duration");
        }
        DurationExpr range = durationExpr(0, "subquery selector", "duration");
        requireDurationExpressions(range);
        checkPositive(range);
        Token t = peek();
        if (t.kind() == Kind.COLON) {
            next();
            DurationExpr step = null;
            if (peek().kind() != Kind.RIGHT_BRACKET) {
                step = durationExpr(0, "subquery selector", "duration or \"]\"");
                requireDurationExpressions(step);
                checkPositive(step);
            }
            Token close = expect(Kind.RIGHT_BRACKET, "subquery selector", "\"]\"");
            return new SubqueryExpr(e, range, step, null, null, new PosRange(e.pos().start(), close.end()));
        }
        if (t.kind() != Kind.RIGHT_BRACKET) {
            throw unexpected(t, "subquery or range", "\":\" or \"]\"");
        }
        Token close = next();
        String problem = null;
        if (!(e instanceof VectorSelector vs)) {
            problem = "ranges only allowed for vector selectors";
        } else if (vs.offset() != null) {
            problem = "no offset modifiers allowed before range";
        } else if (vs.at() != null) {
            problem = "no @ modifiers allowed before range";
        }
        if (problem != null) {
            throw error(leftBracket.pos(), close.end(), problem);
        }
        VectorSelector vs = (VectorSelector) e;
        return new MatrixSelector(vs, range, new PosRange(vs.pos().start(), close.end()));
    }

    private void checkPositive(DurationExpr range) throws ParseException {
        if (range instanceof DurationExpr.Literal l && l.value() <= 0) {
            throw error(l.pos(), "duration must be greater than 0");
        }
    }

    private DurationExpr durationExpr(int minPrecedence, String ctx, String expected) throws ParseException {
        DurationExpr lhs = durationUnary(ctx, expected);
        while (true) {
            Token t = peek();
            BinaryOp op = switch (t.kind()) {
                case ADD -> BinaryOp.ADD;
                case SUB -> BinaryOp.SUB;
                case MUL -> BinaryOp.MUL;
                case DIV -> BinaryOp.DIV;
                case MOD -> BinaryOp.MOD;
                case POW -> BinaryOp.POW;
                default -> null;
            };
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            next();
            DurationExpr rhs = durationExpr(op.rightAssociative() ? op.precedence() : op.precedence() + 1, ctx, expected);
            lhs = new DurationExpr.Binary(op, lhs, rhs, lhs.pos().union(rhs.pos()));
        }
    }

    private DurationExpr durationUnary(String ctx, String expected) throws ParseException {
        Token t = peek();
        if (t.kind() == Kind.ADD || t.kind() == Kind.SUB) {
            next();
            return sign(t, durationExpr(BinaryOp.UNARY_PRECEDENCE + 1, ctx, expected));
        }
        return durationAtom(ctx, expected);
    }

    private DurationExpr durationAtom(String ctx, String expected) throws ParseException {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                next();
                return checkedLiteral(number(t), false, t);
            }
            case DURATION -> {
                next();
                return checkedLiteral(durationMillis(t) / 1000.0, true, t);
            }
            case LEFT_PAREN -> {
                next();
                DurationExpr inner = durationExpr(0, ctx, expected);
                Token close = expect(Kind.RIGHT_PAREN, ctx, "\")\"");
                return new DurationExpr.Paren(inner, new PosRange(t.pos(), close.end()));
            }
            case STEP, IDENTIFIER, DURATION_FUNCTION -> {
                String word = t.text().toLowerCase(Locale.ROOT);
                if (peekAt(1).kind() == Kind.LEFT_PAREN) {
                    switch (word) {
                        case "step", "range" -> {
                            next();
                            next();
                            Token close = expect(Kind.RIGHT_PAREN, ctx, "\")\"");
                            return new DurationExpr.QueryParam(word.equals("step") ? DurationExpr.QueryParam.Kind.STEP
                                    : DurationExpr.QueryParam.Kind.RANGE, new PosRange(t.pos(), close.end()));
                        }
                        case "min_of", "max_of" -> {
                            next();
                            next();
                            DurationExpr a = durationExpr(0, ctx, expected);
                            expect(Kind.COMMA, ctx, "\",\"");
                            DurationExpr b = durationExpr(0, ctx, expected);
                            Token close = expect(Kind.RIGHT_PAREN, ctx, "\")\"");
                            return new DurationExpr.MinMax(word.equals("max_of"), a, b, new PosRange(t.pos(), close.end()));
                        }
                        default -> {
                        }
                    }
                }
                throw unexpected(t, ctx, expected);
            }
            default -> throw unexpected(t, ctx, expected);
        }
    }

    private DurationExpr.Literal checkedLiteral(double seconds, boolean unit, Token t) throws ParseException {
        if (Double.isNaN(seconds) || seconds > MAX_DURATION_SECONDS || seconds < -MAX_DURATION_SECONDS) {
            throw error(t.pos(), t.end(), "duration out of range");
        }
        return new DurationExpr.Literal(seconds, unit, pos(t));
    }

    // ---- Calls and aggregations.

    private Expr call(Token nameToken, String name) throws ParseException {
        next();
        next();
        List<Expr> args = callArgs();
        Function fn = Functions.get(name);
        if (fn == null) {
            throw error(pos(nameToken), "unknown function with name " + Token.goQuote(nameToken.text()));
        }
        if (fn.experimental() && !options.experimentalFunctions()) {
            throw error(pos(nameToken), "function " + Token.goQuote(nameToken.text()) + " is not enabled");
        }
        return new Call(fn, args, new PosRange(nameToken.pos(), lastClosing));
    }

    /** Arguments up to and including the closing parenthesis; the opening one is consumed. */
    private List<Expr> callArgs() throws ParseException {
        List<Expr> args = new ArrayList<>();
        if (peek().kind() == Kind.RIGHT_PAREN) {
            next();
            return args;
        }
        while (true) {
            args.add(expr(0));
            Token t = peek();
            if (t.kind() == Kind.COMMA) {
                next();
                if (peek().kind() == Kind.RIGHT_PAREN) {
                    throw error(pos(t), "trailing commas not allowed in function call args");
                }
            } else if (t.kind() == Kind.RIGHT_PAREN) {
                next();
                return args;
            } else {
                throw unexpected(t, context, "");
            }
        }
    }

    private Expr aggregate(Token opToken) throws ParseException {
        next();
        AggregationOp op = AggregationOp.fromKeyword(opToken.text());
        List<String> grouping = List.of();
        boolean without = false;
        boolean modifierFirst = false;
        Kind k = peek().kind();
        if (k == Kind.BY || k == Kind.WITHOUT) {
            next();
            without = k == Kind.WITHOUT;
            grouping = groupingLabels();
            modifierFirst = true;
        }
        Token lp = peek();
        if (lp.kind() != Kind.LEFT_PAREN) {
            throw unexpected(lp, "aggregation", "");
        }
        next();
        String saved = context;
        context = "aggregation";
        List<Expr> args = callArgs();
        context = saved;
        if (!modifierFirst) {
            k = peek().kind();
            if (k == Kind.BY || k == Kind.WITHOUT) {
                next();
                without = k == Kind.WITHOUT;
                grouping = groupingLabels();
            }
        }
        PosRange pos = new PosRange(opToken.pos(), lastClosing);
        if (args.isEmpty()) {
            throw error(pos, "no arguments for aggregate expression provided");
        }
        int desired = 1;
        Expr param = null;
        if (op.hasParam()) {
            if (op.experimental() && !options.experimentalFunctions()) {
                throw error(pos, op.keyword()
                        + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
            }
            desired = 2;
            param = args.get(0);
        }
        if (args.size() != desired) {
            throw error(pos, "wrong number of arguments for aggregate expression provided, expected " + desired
                    + ", got " + args.size());
        }
        return new AggregateExpr(op, args.get(desired - 1), param, grouping, without, pos);
    }

    private List<String> groupingLabels() throws ParseException {
        Token lp = peek();
        if (lp.kind() != Kind.LEFT_PAREN) {
            throw unexpected(lp, "grouping opts", "\"(\"");
        }
        next();
        List<String> labels = new ArrayList<>();
        if (peek().kind() == Kind.RIGHT_PAREN) {
            next();
            return labels;
        }
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.STRING) {
                labels.add(t.value());
            } else if (isLabelWord(t.kind())) {
                labels.add(t.text());
            } else {
                throw unexpected(t, "grouping opts", "label");
            }
            next();
            Token sep = peek();
            if (sep.kind() == Kind.COMMA) {
                next();
                if (peek().kind() == Kind.RIGHT_PAREN) {
                    next();
                    return labels;
                }
            } else if (sep.kind() == Kind.RIGHT_PAREN) {
                next();
                return labels;
            } else {
                throw unexpected(sep, "grouping opts", "\",\" or \")\"");
            }
        }
    }

    /** Words that may name a label in {@code by (...)}: identifiers and every keyword. */
    private static boolean isLabelWord(Kind k) {
        return switch (k) {
            case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR, BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IGNORING, OFFSET, ON,
                    WITHOUT, ANCHORED, SMOOTHED, LAND, LOR, LUNLESS, ATAN2, START, END, STEP -> true;
            default -> false;
        };
    }
}
