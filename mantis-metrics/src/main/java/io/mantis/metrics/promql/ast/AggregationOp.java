package io.mantis.metrics.promql.ast;

/** The aggregation operators, with the parameter each takes before the vector, if any. */
public enum AggregationOp {
    SUM("sum", null),
    AVG("avg", null),
    COUNT("count", null),
    MIN("min", null),
    MAX("max", null),
    GROUP("group", null),
    STDDEV("stddev", null),
    STDVAR("stdvar", null),
    TOPK("topk", ValueType.SCALAR),
    BOTTOMK("bottomk", ValueType.SCALAR),
    COUNT_VALUES("count_values", ValueType.STRING),
    QUANTILE("quantile", ValueType.SCALAR),
    LIMITK("limitk", ValueType.SCALAR),
    LIMIT_RATIO("limit_ratio", ValueType.SCALAR);

    private final String keyword;
    private final ValueType paramType;

    AggregationOp(String keyword, ValueType paramType) {
        this.keyword = keyword;
        this.paramType = paramType;
    }

    public String keyword() {
        return keyword;
    }

    public boolean hasParam() {
        return paramType != null;
    }

    /** The type of the parameter, or null when the operator takes none. */
    public ValueType paramType() {
        return paramType;
    }

    /** Prometheus keeps these behind {@code --enable-feature=promql-experimental-functions}. */
    public boolean experimental() {
        return this == LIMITK || this == LIMIT_RATIO;
    }

    /** The operator for a keyword in any case ({@code SUM} is {@code sum}), or null. */
    public static AggregationOp fromKeyword(String word) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        for (AggregationOp op : values()) {
            if (op.keyword.equals(w)) {
                return op;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return keyword;
    }
}
