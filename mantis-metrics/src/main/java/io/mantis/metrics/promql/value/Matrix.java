package io.mantis.metrics.promql.value;

import java.util.List;

/**
 * A range matrix: the result of every range query, and of an instant query whose expression is a
 * range vector ({@code metric[5m]}). Range-query results are sorted by labels.
 */
public record Matrix(List<Series> series) implements Value {

    public static final Matrix EMPTY = new Matrix(List.of());

    public Matrix {
        series = List.copyOf(series);
    }

    public static Matrix of(Series... series) {
        return new Matrix(List.of(series));
    }

    public int size() {
        return series.size();
    }

    public Series get(int i) {
        return series.get(i);
    }

    /** This matrix with its series in {@link LabelOrder}, as range queries return them. */
    public Matrix sortedByLabels() {
        for (int i = 1; i < series.size(); i++) {
            if (LabelOrder.INSTANCE.compare(series.get(i - 1).metric(), series.get(i).metric()) > 0) {
                java.util.List<Series> sorted = new java.util.ArrayList<>(series);
                sorted.sort((a, b) -> LabelOrder.INSTANCE.compare(a.metric(), b.metric()));
                return new Matrix(sorted);
            }
        }
        return this;
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }
}
