package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/** A string, its escapes resolved. */
public record StringLiteral(String value, PosRange pos) implements Expr {

    public StringLiteral {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
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
