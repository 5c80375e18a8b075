package io.mantis.metrics.promql.parser;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.AggregationOp;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.Function;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.PosRange;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.StringLiteral;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.UnaryExpr;
import io.mantis.metrics.promql.ast.ValueType;
import io.mantis.metrics.promql.ast.VectorMatching;
import io.mantis.metrics.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The type checks Prometheus makes once a query has parsed, in Prometheus' order (so the first
 * error reported is the same): operand types of operators, aggregations and function arguments,
 * vector matching, selectors that would select everything. Returns the tree with what the checks
 * settle filled in: set operators many-to-many, no vector matching where a side is a scalar, the
 * {@code info()} selector allowed to match the empty string.
 */
final class Checker {

    private final String in;

    Checker(String in) {
        this.in = in;
    }

    private ParseException error(PosRange pos, String message) {
        return new ParseException(in, pos.start(), pos.end(), message);
    }

    Expr check(Expr node) throws ParseException {
        return switch (node) {
            case AggregateExpr a -> aggregate(a);
            case BinaryExpr b -> binary(b);
            case Call c -> call(c);
            case ParenExpr p -> new ParenExpr(check(p.expr()), p.pos());
            case UnaryExpr u -> {
                Expr inner = check(u.expr());
                ValueType t = inner.type();
                if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                    throw error(u.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got "
                            + Token.goQuote(t.documentedName()));
                }
                yield new UnaryExpr(u.negate(), inner, u.pos());
            }
            case SubqueryExpr s -> {
                Expr inner = check(s.expr());
                if (inner.type() != ValueType.VECTOR) {
                    throw error(s.pos(), "subquery is only allowed on instant vector, got " + goTypeName(inner.type())
                            + " instead");
                }
                yield new SubqueryExpr(inner, s.range(), s.step(), s.offset(), s.at(), s.pos());
            }
            case MatrixSelector m -> {
                checkSelector(m.selector(), true);
                yield m;
            }
            case VectorSelector v -> {
                checkSelector(v, true);
                yield v;
            }
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
            case StepInvariantExpr s -> new StepInvariantExpr(check(s.expr()));
        };
    }

    /** Prometheus' internal type names, which a few of its messages use. */
    private static String goTypeName(ValueType t) {
        return t == ValueType.NONE ? "none" : t.apiName();
    }

    void checkSelector(VectorSelector v, boolean requireNonEmpty) throws ParseException {
        if (v.name() != null) {
            boolean nameSeen = false;
            for (Matcher m : v.matchers()) {
                if (!m.name().equals("__name__")) {
                    continue;
                }
                if (!nameSeen && m.type() == Matcher.Type.EQUAL && m.value().equals(v.name())) {
                    // The matcher the name outside the braces stands for.
                    nameSeen = true;
                    continue;
                }
                throw error(v.pos(), "metric name must not be set twice: " + Token.goQuote(v.name()) + " or "
                        + Token.goQuote(m.value()));
            }
            return;
        }
        if (!requireNonEmpty || v.bypassEmptyMatcherCheck()) {
            return;
        }
        for (Matcher m : v.matchers()) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw error(v.pos(), "vector selector must contain at least one non-empty matcher");
    }

    private Expr expectType(Expr e, ValueType want, String ctx) throws ParseException {
        Expr checked = check(e);
        if (checked.type() != want) {
            throw error(e.pos(), "expected type " + want.documentedName() + " in " + ctx + ", got "
                    + checked.type().documentedName());
        }
        return checked;
    }

    private Expr aggregate(AggregateExpr a) throws ParseException {
        Expr inner = expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
        Expr param = a.param();
        if (a.op() == AggregationOp.COUNT_VALUES) {
            param = expectType(param, ValueType.STRING, "aggregation parameter");
        } else if (a.op().hasParam()) {
            param = expectType(param, ValueType.SCALAR, "aggregation parameter");
        }
        return new AggregateExpr(a.op(), inner, param, a.grouping(), a.without(), a.pos());
    }

    /** Where the operator (with its modifiers) stands: between the operands, spaces trimmed. */
    private PosRange operatorRange(BinaryExpr b) {
        int start = b.lhs().pos().end();
        while (start < in.length() && Lexer.isSpace(in.charAt(start))) {
            start++;
        }
        int end = b.rhs().pos().start() - 1;
        while (end > start && Lexer.isSpace(in.charAt(end))) {
            end--;
        }
        return new PosRange(start, Math.max(start, end));
    }

    private Expr binary(BinaryExpr b) throws ParseException {
        Expr lhs = check(b.lhs());
        Expr rhs = check(b.rhs());
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        if (b.returnBool() && !b.op().isComparison()) {
            throw error(operatorRange(b), "bool modifier can only be used on comparison operators");
        }
        if (b.op().isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(operatorRange(b), "comparisons between scalars must use BOOL modifier");
        }
        VectorMatching vm = b.matching();
        if (b.op().isSetOperator() && vm.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
            vm = vm.withCardinality(VectorMatching.Cardinality.MANY_TO_MANY);
        }
        if (vm.on()) {
            for (String l : vm.matchingLabels()) {
                if (vm.include().contains(l)) {
                    throw error(operatorRange(b), "label " + Token.goQuote(l) + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw error(lhs.pos(), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw error(rhs.pos(), "binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!vm.matchingLabels().isEmpty()) {
                throw error(b.pos(), "vector matching only allowed between instant vectors");
            }
            if (vm.hasFill()) {
                throw error(b.pos(), "filling in missing series only allowed between instant vectors");
            }
            vm = null;
        } else if (b.op().isSetOperator()) {
            if (vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY
                    || vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE) {
                throw error(b.pos(), "no grouping allowed for " + Token.goQuote(b.op().symbol()) + " operation");
            }
            if (vm.cardinality() != VectorMatching.Cardinality.MANY_TO_MANY) {
                throw error(b.pos(), "set operations must always be many-to-many");
            }
            if (vm.hasFill()) {
                throw error(b.pos(), "filling in missing series not allowed for set operators");
            }
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && b.op().isSetOperator()) {
            throw error(b.pos(), "set operator " + Token.goQuote(b.op().symbol()) + " not allowed in binary scalar expression");
        }
        return new BinaryExpr(b.op(), lhs, rhs, b.returnBool(), vm, b.pos());
    }

    private Expr call(Call c) throws ParseException {
        Function fn = c.function();
        int n = c.args().size();
        int declared = fn.argTypes().size();
        String quotedName = Token.goQuote(fn.name());
        if (fn.variadic() == 0) {
            if (declared != n) {
                throw error(c.pos(), "expected " + declared + " argument(s) in call to " + quotedName + ", got " + n);
            }
        } else {
            int min = declared - 1;
            if (min > n) {
                throw error(c.pos(), "expected at least " + min + " argument(s) in call to " + quotedName + ", got " + n);
            }
            if (fn.variadic() > 0 && min + fn.variadic() < n) {
                throw error(c.pos(), "expected at most " + (min + fn.variadic()) + " argument(s) in call to " + quotedName
                        + ", got " + n);
            }
        }
        List<Expr> args = new ArrayList<>(c.args());
        if (fn.name().equals("info") && n > 1) {
            Expr selector = args.get(1);
            if (selector.type() != ValueType.VECTOR) {
                throw error(c.pos(), "expected type instant vector in call to function " + quotedName + ", got "
                        + selector.type().documentedName());
            }
            if (selector instanceof VectorSelector vs && vs.name() != null) {
                throw error(vs.pos(), "expected label selectors only, got vector selector instead");
            } else if (selector instanceof VectorSelector vs) {
                args.set(1, vs.withBypassEmptyMatcherCheck());
            } else {
                throw error(selector.pos(), "expected label selectors only");
            }
        }
        for (int i = 0; i < args.size(); i++) {
            Expr arg = check(args.get(i));
            args.set(i, arg);
            ValueType want = fn.argType(i);
            if (arg.type() != want) {
                throw error(arg.pos(), "expected type " + want.documentedName() + " in call to function " + quotedName
                        + ", got " + arg.type().documentedName());
            }
        }
        return new Call(fn, args, c.pos());
    }
}
