package io.mantis.metrics.promql.value;

/** The four result types of PromQL, with the names the HTTP API writes as {@code resultType}. */
public enum ValueType {
    SCALAR("scalar"),
    STRING("string"),
    VECTOR("vector"),
    MATRIX("matrix");

    private final String wire;

    ValueType(String wire) {
        this.wire = wire;
    }

    /** The API's name: {@code scalar}, {@code string}, {@code vector}, {@code matrix}. */
    public String wire() {
        return wire;
    }
}
