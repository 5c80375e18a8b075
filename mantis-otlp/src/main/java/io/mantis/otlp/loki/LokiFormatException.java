package io.mantis.otlp.loki;

/**
 * A push body, label string or JSON document that does not follow Loki's wire format. Unchecked,
 * because it describes bad client input: an HTTP endpoint maps it to 400 and nothing else needs to
 * handle it.
 */
public final class LokiFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public LokiFormatException(String message) {
        super(message);
    }

    public LokiFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
