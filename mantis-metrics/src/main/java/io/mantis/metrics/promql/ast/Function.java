package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * The signature of a PromQL function, with Prometheus' convention for optional and repeated
 * arguments: with {@code variadic == 0} exactly {@code argTypes.size()} arguments; otherwise the last
 * argument type may be left out or given up to {@code variadic} times ({@code -1}: any number), so
 * {@code round(v)}, {@code round(v, 5)} are {@code [VECTOR, SCALAR]} with {@code variadic == 1}.
 *
 * @param experimental Prometheus keeps it behind {@code --enable-feature=promql-experimental-functions}
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType, boolean experimental) {

    public Function {
        Objects.requireNonNull(name, "name");
        argTypes = List.copyOf(argTypes);
        Objects.requireNonNull(returnType, "returnType");
        if (variadic != 0 && argTypes.isEmpty()) {
            throw new IllegalArgumentException("a variadic function needs an argument type to repeat: " + name);
        }
    }

    /** The fewest arguments a call may have. */
    public int minArgs() {
        return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
    }

    /** The most arguments a call may have, or {@link Integer#MAX_VALUE} for no limit. */
    public int maxArgs() {
        if (variadic == 0) {
            return argTypes.size();
        }
        return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
    }

    /** The type the argument at {@code index} must have (the last type repeats for variadic functions). */
    public ValueType argType(int index) {
        return argTypes.get(Math.min(index, argTypes.size() - 1));
    }
}
