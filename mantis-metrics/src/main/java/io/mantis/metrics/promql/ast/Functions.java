package io.mantis.metrics.promql.ast;

import static io.mantis.metrics.promql.ast.ValueType.MATRIX;
import static io.mantis.metrics.promql.ast.ValueType.SCALAR;
import static io.mantis.metrics.promql.ast.ValueType.STRING;
import static io.mantis.metrics.promql.ast.ValueType.VECTOR;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function of Prometheus 3's PromQL documentation, with its signature. The experimental ones
 * are those Prometheus 3.14 keeps behind {@code promql-experimental-functions}.
 */
public final class Functions {

    private static final Map<String, Function> ALL;

    static {
        Map<String, Function> m = new TreeMap<>();
        // Element-wise functions of an instant vector.
        for (String n : List.of("abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos",
                "cosh", "deg", "exp", "floor", "histogram_avg", "histogram_count", "histogram_stddev",
                "histogram_stdvar", "histogram_sum", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort",
                "sort_desc", "sqrt", "tan", "tanh", "timestamp")) {
            add(m, n, List.of(VECTOR), 0, VECTOR, false);
        }
        add(m, "start_timestamp", List.of(VECTOR), 0, VECTOR, true);
        // Functions over range vectors.
        for (String n : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv",
                "first_over_time", "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
                "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time")) {
            add(m, n, List.of(MATRIX), 0, VECTOR, false);
        }
        for (String n : List.of("mad_over_time", "ts_of_first_over_time", "ts_of_last_over_time",
                "ts_of_max_over_time", "ts_of_min_over_time")) {
            add(m, n, List.of(MATRIX), 0, VECTOR, true);
        }
        add(m, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, false);
        add(m, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, false);
        add(m, "double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true);
        // Time of day of the samples, or of the evaluation time without an argument.
        for (String n : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            add(m, n, List.of(VECTOR), 1, VECTOR, false);
        }
        add(m, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, false);
        add(m, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, false);
        add(m, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, false);
        add(m, "round", List.of(VECTOR, SCALAR), 1, VECTOR, false);
        add(m, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, false);
        add(m, "histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR, false);
        add(m, "histogram_quantiles", List.of(VECTOR, STRING, SCALAR, SCALAR), -1, VECTOR, true);
        add(m, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false);
        add(m, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false);
        add(m, "sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, true);
        add(m, "sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, true);
        add(m, "info", List.of(VECTOR, VECTOR), 1, VECTOR, true);
        add(m, "scalar", List.of(VECTOR), 0, SCALAR, false);
        add(m, "vector", List.of(SCALAR), 0, VECTOR, false);
        add(m, "pi", List.of(), 0, SCALAR, false);
        add(m, "time", List.of(), 0, SCALAR, false);
        add(m, "max_of", List.of(SCALAR, SCALAR), 0, SCALAR, true);
        add(m, "min_of", List.of(SCALAR, SCALAR), 0, SCALAR, true);
        // The query's parameters, as scalars in seconds.
        for (String n : List.of("start", "end", "range", "step")) {
            add(m, n, List.of(), 0, SCALAR, true);
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private Functions() {
    }

    private static void add(Map<String, Function> m, String name, List<ValueType> args, int variadic, ValueType ret,
            boolean experimental) {
        if (m.put(name, new Function(name, args, variadic, ret, experimental)) != null) {
            throw new IllegalStateException("function listed twice: " + name);
        }
    }

    /** The function of this exact (case-sensitive) name, or null. */
    public static Function get(String name) {
        return ALL.get(name);
    }

    /** Every function, by name. */
    public static Collection<Function> all() {
        return ALL.values();
    }
}
