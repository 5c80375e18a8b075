package io.mantis.metrics.promql.value;

/**
 * Prometheus' API error types a query can fail with, with the {@code errorType} text and the HTTP
 * status Prometheus answers each with.
 */
public enum ErrorType {
    /** The request or the query text is invalid (a parse error, a bad parameter): 400. */
    BAD_DATA("bad_data", 400),
    /** The query is valid but cannot be evaluated (e.g. many-to-many matching, too many samples): 422. */
    EXECUTION("execution", 422),
    /** The query ran longer than the timeout: 503. */
    TIMEOUT("timeout", 503),
    /** The query was cancelled (the client went away, the server is stopping): 499. */
    CANCELED("canceled", 499),
    /** A bug or an unexpected failure of the store: 500. */
    INTERNAL("internal", 500),
    /** The store cannot answer right now (e.g. still replaying its WAL): 503. */
    UNAVAILABLE("unavailable", 503);

    private final String wire;
    private final int httpStatus;

    ErrorType(String wire, int httpStatus) {
        this.wire = wire;
        this.httpStatus = httpStatus;
    }

    /** The API's {@code errorType}: {@code bad_data}, {@code execution}, ... */
    public String wire() {
        return wire;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
