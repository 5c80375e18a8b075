package io.mantis.metrics.promql.value;

import java.util.Objects;

/**
 * Why a query failed.
 *
 * @param type    Prometheus' error type
 * @param message the text as Prometheus words it (the API's {@code error}, what promqltest's
 *                {@code expect fail msg:} compares), e.g.
 *                {@code 1:8: parse error: unexpected end of input} or
 *                {@code found duplicate series for the match group {a="1"} on the right hand-side of the operation: ...}
 */
public record QueryError(ErrorType type, String message) {

    public QueryError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
