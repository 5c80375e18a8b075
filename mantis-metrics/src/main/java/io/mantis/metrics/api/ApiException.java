package io.mantis.metrics.api;

/** An API failure with Prometheus' error type and HTTP status. */
public final class ApiException extends RuntimeException {

    /** Prometheus' {@code errorType} values and the status each is answered with. */
    public enum Type {
        BAD_DATA("bad_data", 400),
        EXECUTION("execution", 422),
        TIMEOUT("timeout", 503),
        CANCELED("canceled", 499),
        INTERNAL("internal", 500),
        NOT_FOUND("not_found", 404),
        UNAVAILABLE("unavailable", 503);

        final String wire;
        final int status;

        Type(String wire, int status) {
            this.wire = wire;
            this.status = status;
        }
    }

    private final Type type;

    public ApiException(Type type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    static ApiException badData(String message) {
        return new ApiException(Type.BAD_DATA, message);
    }

    static ApiException invalidParam(String name, String message) {
        return badData("invalid parameter \"" + name + "\": " + message);
    }
}
