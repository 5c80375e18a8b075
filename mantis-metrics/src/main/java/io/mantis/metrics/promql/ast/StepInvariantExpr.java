package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * Marks a sub-expression whose value is the same at every step of a range query (everything under
 * it is pinned by {@code @}, or it is a literal), so the engine may evaluate it once. The parser
 * never produces it; {@link StepInvariance#wrap} adds it.
 */
public record StepInvariantExpr(Expr expr) implements Expr {

    public StepInvariantExpr {
        Objects.requireNonNull(expr, "expr");
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public PosRange pos() {
        return expr.pos();
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
