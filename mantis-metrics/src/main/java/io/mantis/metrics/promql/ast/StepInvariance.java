package io.mantis.metrics.promql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the sub-expressions whose value is the same at every step of a range query and wraps the
 * largest of them in {@link StepInvariantExpr}, as Prometheus' engine does before evaluating: a
 * selector or subquery pinned by {@code @}, a literal, and anything built only from such parts
 * (functions that read the evaluation time, like {@code time()}, excepted).
 */
public final class StepInvariance {

    private StepInvariance() {
    }

    /** The expression with its step-invariant parts wrapped; the whole expression if it is invariant. */
    public static Expr wrap(Expr e) {
        if (isInvariant(e)) {
            return wrapRoot(e);
        }
        return wrapChildren(e);
    }

    private static Expr wrapRoot(Expr e) {
        // Literals cost nothing to evaluate at each step; Prometheus leaves them (and parentheses
        // around them) unwrapped.
        Expr inner = e;
        while (inner instanceof ParenExpr p) {
            inner = p.expr();
        }
        if (inner instanceof NumberLiteral || inner instanceof StringLiteral) {
            return e;
        }
        return new StepInvariantExpr(e);
    }

    /** Whether every step gives the same value. */
    public static boolean isInvariant(Expr e) {
        return switch (e) {
            case NumberLiteral n -> true;
            case StringLiteral s -> true;
            case VectorSelector v -> v.at() != null;
            case MatrixSelector m -> m.selector().at() != null;
            case SubqueryExpr s -> s.at() != null;
            case StepInvariantExpr s -> true;
            case ParenExpr p -> isInvariant(p.expr());
            case UnaryExpr u -> isInvariant(u.expr());
            case BinaryExpr b -> isInvariant(b.lhs()) && isInvariant(b.rhs());
            case AggregateExpr a -> isInvariant(a.expr()) && (a.param() == null || isInvariant(a.param()));
            case Call c -> !readsEvaluationTime(c) && c.args().stream().allMatch(StepInvariance::isInvariant);
        };
    }

    private static boolean readsEvaluationTime(Call c) {
        return switch (c.function().name()) {
            // Without an argument these read the evaluation time; time() always does.
            case "time", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month",
                    "year" -> c.function().name().equals("time") || c.args().isEmpty();
            default -> false;
        };
    }

    private static Expr wrapChildren(Expr e) {
        return switch (e) {
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
            case VectorSelector v -> v;
            case MatrixSelector m -> m;
            case StepInvariantExpr s -> s;
            case SubqueryExpr s -> new SubqueryExpr(wrap(s.expr()), s.range(), s.step(), s.offset(), s.at(), s.pos());
            case ParenExpr p -> new ParenExpr(wrap(p.expr()), p.pos());
            case UnaryExpr u -> new UnaryExpr(u.negate(), wrap(u.expr()), u.pos());
            case BinaryExpr b -> new BinaryExpr(b.op(), wrap(b.lhs()), wrap(b.rhs()), b.returnBool(), b.matching(), b.pos());
            case AggregateExpr a -> new AggregateExpr(a.op(), wrap(a.expr()), a.param() == null ? null : wrap(a.param()),
                    a.grouping(), a.without(), a.pos());
            case Call c -> {
                List<Expr> args = new ArrayList<>(c.args().size());
                for (Expr arg : c.args()) {
                    // A range argument stays a selector so functions can read it as one.
                    args.add(arg instanceof MatrixSelector ? arg : wrap(arg));
                }
                yield new Call(c.function(), args, c.pos());
            }
        };
    }
}
