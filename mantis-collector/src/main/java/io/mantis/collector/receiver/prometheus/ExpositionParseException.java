package io.mantis.collector.receiver.prometheus;

/** A scrape body that is not valid in its format; the message names the line. */
public final class ExpositionParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    ExpositionParseException(int line, String message) {
        super("line " + line + ": " + message, null, false, false);
        this.line = line;
    }

    /** The 1-based line number of the problem. */
    public int line() {
        return line;
    }
}
