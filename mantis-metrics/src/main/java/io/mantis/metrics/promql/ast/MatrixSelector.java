package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * A range vector selector {@code foo[5m]}. Its offset, {@code @} and {@code anchored}/{@code smoothed}
 * modifiers live on {@link #selector()}, as in Prometheus, wherever they were written.
 */
public record MatrixSelector(VectorSelector selector, DurationExpr range, PosRange pos) implements Expr {

    public MatrixSelector {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(range, "range");
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public List<Expr> children() {
        return List.of(selector);
    }

    /**
     * The range in milliseconds.
     *
     * @throws IllegalStateException if it is a duration expression of the query's step or range
     */
    public long rangeMillis() {
        return range.constantMillis();
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
