package io.mantis.metrics.tsdb;

/**
 * Why a sample, histogram or exemplar was refused. The messages are Prometheus' own (clients and
 * dashboards match on them), and instances are shared and carry no stack trace: refusals are an
 * expected, possibly frequent outcome of ingestion, not a bug to locate.
 */
public final class AppendException extends Exception {

    /** The refusal kinds; {@link #message()} is the text Prometheus answers with. */
    public enum Kind {
        OUT_OF_ORDER("out of order sample"),
        DUPLICATE("duplicate sample for timestamp"),
        OUT_OF_BOUNDS("out of bounds"),
        TOO_OLD("too old sample"),
        OUT_OF_ORDER_EXEMPLAR("out of order exemplar"),
        DUPLICATE_EXEMPLAR("duplicate exemplar"),
        EXEMPLAR_LABELS_TOO_LONG("label length for exemplar exceeds maximum of 128 UTF-8 characters"),
        INVALID_HISTOGRAM("invalid histogram"),
        SERIES_LIMIT("per-user series limit exceeded");

        private final String message;
        private final AppendException instance;

        Kind(String message) {
            this.message = message;
            this.instance = new AppendException(this);
        }

        public String message() {
            return message;
        }

        /** The shared instance to throw. */
        public AppendException exception() {
            return instance;
        }
    }

    private final Kind kind;

    private AppendException(Kind kind) {
        super(kind.message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
