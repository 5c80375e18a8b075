package io.mantis.metrics.promql.value;

import java.util.Objects;

/**
 * The outcome of one query: either a value or an error, and the annotations gathered on the way
 * (also kept on failure, although the API, as Prometheus', does not send them with an error).
 *
 * @param value       the result; null exactly when {@code error} is set
 * @param error       why the query failed; null on success
 * @param annotations warnings and infos, never null
 */
public record QueryResult(Value value, QueryError error, Annotations annotations) {

    public QueryResult {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("a query result has either a value or an error");
        }
        annotations = annotations == null ? Annotations.EMPTY : annotations;
    }

    public static QueryResult of(Value value) {
        return new QueryResult(Objects.requireNonNull(value, "value"), null, Annotations.EMPTY);
    }

    public static QueryResult of(Value value, Annotations annotations) {
        return new QueryResult(Objects.requireNonNull(value, "value"), null, annotations);
    }

    public static QueryResult failure(ErrorType type, String message) {
        return new QueryResult(null, new QueryError(type, message), Annotations.EMPTY);
    }

    public static QueryResult failure(ErrorType type, String message, Annotations annotations) {
        return new QueryResult(null, new QueryError(type, message), annotations);
    }

    public boolean failed() {
        return error != null;
    }
}
