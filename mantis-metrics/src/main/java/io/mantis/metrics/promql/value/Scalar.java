package io.mantis.metrics.promql.value;

/**
 * A scalar result.
 *
 * @param t evaluation time, Unix milliseconds
 * @param v the value
 */
public record Scalar(long t, double v) implements Value {

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }
}
