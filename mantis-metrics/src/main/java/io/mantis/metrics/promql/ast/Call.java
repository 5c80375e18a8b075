package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/** A function call {@code rate(foo[5m])}; its arguments have been checked against {@link Function#argTypes()}. */
public record Call(Function function, List<Expr> args, PosRange pos) implements Expr {

    public Call {
        Objects.requireNonNull(function, "function");
        args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
        return function.returnType();
    }

    @Override
    public List<Expr> children() {
        return args;
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
