package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * A subquery {@code expr[range:step] @ t offset d}.
 *
 * @param step the resolution, or null for the engine's default ({@code [1h:]})
 * @param offset the offset as written, or null
 * @param at the {@code @} modifier, or null
 */
public record SubqueryExpr(Expr expr, DurationExpr range, DurationExpr step, DurationExpr offset, AtModifier at,
        PosRange pos) implements Expr {

    public SubqueryExpr {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(range, "range");
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    /** The range in milliseconds; see {@link DurationExpr#constantMillis()}. */
    public long rangeMillis() {
        return range.constantMillis();
    }

    /** The step in milliseconds, or 0 when the default applies. */
    public long stepMillis() {
        return step == null ? 0 : step.constantMillis();
    }

    /** The offset in milliseconds (0 without one). */
    public long offsetMillis() {
        return offset == null ? 0 : offset.constantMillis();
    }

    public SubqueryExpr withOffset(DurationExpr newOffset, PosRange newPos) {
        return new SubqueryExpr(expr, range, step, newOffset, at, newPos);
    }

    public SubqueryExpr withAt(AtModifier newAt, PosRange newPos) {
        return new SubqueryExpr(expr, range, step, offset, newAt, newPos);
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
