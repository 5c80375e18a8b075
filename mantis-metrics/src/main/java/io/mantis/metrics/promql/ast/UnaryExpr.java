package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * {@code -expr} ({@code negate}) or {@code +expr}. A sign in front of a number literal is folded
 * into the literal instead.
 */
public record UnaryExpr(boolean negate, Expr expr, PosRange pos) implements Expr {

    public UnaryExpr {
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
