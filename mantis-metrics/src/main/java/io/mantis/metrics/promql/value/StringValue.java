package io.mantis.metrics.promql.value;

import java.util.Objects;

/**
 * A string result (only a string literal evaluates to one).
 *
 * @param t evaluation time, Unix milliseconds
 * @param s the string
 */
public record StringValue(long t, String s) implements Value {

    public StringValue {
        Objects.requireNonNull(s, "s");
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }
}
