package io.mantis.metrics.promql.ast;

/** The type of a PromQL expression's value. */
public enum ValueType {
    NONE("none"),
    SCALAR("scalar"),
    STRING("string"),
    VECTOR("instant vector"),
    MATRIX("range vector");

    private final String documentedName;

    ValueType(String documentedName) {
        this.documentedName = documentedName;
    }

    /** The name Prometheus' error messages and documentation use ("instant vector", "range vector", ...). */
    public String documentedName() {
        return documentedName;
    }

    /** The name of the API's {@code resultType} ("vector", "matrix", "scalar", "string"). */
    public String apiName() {
        return switch (this) {
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
            default -> documentedName;
        };
    }
}
