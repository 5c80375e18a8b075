package io.mantis.metrics.promql.ast;

import java.util.List;

/**
 * A number: {@code 1}, {@code -2.5e3}, {@code 0x1F}, {@code Inf}, {@code NaN}, or a duration used as a
 * number of seconds ({@code 5m} is 300; {@code durationLiteral} remembers it was written so and
 * prints it back as a duration). A unary minus in front of a literal is folded into it.
 */
public record NumberLiteral(double value, boolean durationLiteral, PosRange pos) implements Expr {

    public NumberLiteral(double value, PosRange pos) {
        this(value, false, pos);
    }

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
