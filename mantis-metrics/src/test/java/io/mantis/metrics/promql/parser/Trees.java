package io.mantis.metrics.promql.parser;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.DurationExpr;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.PosRange;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.StringLiteral;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.UnaryExpr;
import io.mantis.metrics.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Trees compared for meaning: positions dropped, matchers in a fixed order (printing sorts them),
 * lone duration literals marked as durations (printing writes {@code [300]} as {@code [5m]}).
 */
final class Trees {

    private static final PosRange P = PosRange.NONE;

    private Trees() {
    }

    static Expr normalize(Expr e) {
        return switch (e) {
            case NumberLiteral n -> new NumberLiteral(n.value(), n.durationLiteral(), P);
            case StringLiteral s -> new StringLiteral(s.value(), P);
            case VectorSelector v -> selector(v);
            case MatrixSelector m -> new MatrixSelector(selector(m.selector()), top(m.range()), P);
            case SubqueryExpr s -> new SubqueryExpr(normalize(s.expr()), top(s.range()), top(s.step()), top(s.offset()),
                    s.at(), P);
            case Call c -> new Call(c.function(), c.args().stream().map(Trees::normalize).toList(), P);
            case AggregateExpr a -> new AggregateExpr(a.op(), normalize(a.expr()),
                    a.param() == null ? null : normalize(a.param()), a.grouping(), a.without(), P);
            case BinaryExpr b -> new BinaryExpr(b.op(), normalize(b.lhs()), normalize(b.rhs()), b.returnBool(),
                    b.matching(), P);
            case UnaryExpr u -> new UnaryExpr(u.negate(), normalize(u.expr()), P);
            case ParenExpr p -> new ParenExpr(normalize(p.expr()), P);
            case StepInvariantExpr s -> new StepInvariantExpr(normalize(s.expr()));
        };
    }

    private static VectorSelector selector(VectorSelector v) {
        List<Matcher> ms = new ArrayList<>(v.matchers());
        ms.sort(Comparator.comparing(Matcher::toString));
        return new VectorSelector(v.name(), ms, top(v.offset()), v.at(), v.anchored(), v.smoothed(),
                v.bypassEmptyMatcherCheck(), P);
    }

    private static DurationExpr top(DurationExpr d) {
        if (d == null) {
            return null;
        }
        if (d instanceof DurationExpr.Literal l) {
            return new DurationExpr.Literal(Math.round(l.value() * 1000) / 1000.0, true, P);
        }
        return duration(d);
    }

    private static DurationExpr duration(DurationExpr d) {
        return switch (d) {
            case DurationExpr.Literal l -> new DurationExpr.Literal(l.value(), l.durationUnit(), P);
            case DurationExpr.Unary u -> new DurationExpr.Unary(u.negate(), duration(u.expr()), P);
            case DurationExpr.Binary b -> new DurationExpr.Binary(b.op(), duration(b.lhs()), duration(b.rhs()), P);
            case DurationExpr.Paren p -> new DurationExpr.Paren(duration(p.expr()), P);
            case DurationExpr.QueryParam q -> new DurationExpr.QueryParam(q.kind(), P);
            case DurationExpr.MinMax m -> new DurationExpr.MinMax(m.max(), duration(m.lhs()), duration(m.rhs()), P);
        };
    }
}
