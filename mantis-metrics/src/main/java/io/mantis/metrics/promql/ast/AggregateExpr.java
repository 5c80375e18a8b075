package io.mantis.metrics.promql.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An aggregation {@code topk by (job) (5, foo)}.
 *
 * @param param the parameter ({@code 5}, {@code "label"}) of operators that take one, else null
 * @param grouping the labels of {@code by}/{@code without}, in the order written (empty for none)
 * @param without whether {@code grouping} lists the labels to drop rather than to keep
 */
public record AggregateExpr(AggregationOp op, Expr expr, Expr param, List<String> grouping, boolean without,
        PosRange pos) implements Expr {

    public AggregateExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expr, "expr");
        grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
        List<Expr> c = new ArrayList<>(2);
        if (param != null) {
            c.add(param);
        }
        c.add(expr);
        return List.copyOf(c);
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
