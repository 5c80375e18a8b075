package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/** {@code (expr)}: kept so that printing gives back the grouping that was written. */
public record ParenExpr(Expr expr, PosRange pos) implements Expr {

    public ParenExpr {
        Objects.requireNonNull(expr, "expr");
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
