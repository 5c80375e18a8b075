package io.mantis.otlp.json;

/**
 * An OTLP/JSON body that cannot be decoded: malformed JSON, or a value that does not fit its field.
 *
 * <p>The message names the JSON path of the offending value and where it is in the text, e.g.
 * {@code resourceSpans[0].scopeSpans[1].spans[3].traceId: expected 32 hex digits, got 'xyz' (line
 * 12, column 28)}, so that a receiver can hand it back verbatim in its 400 response and the sender
 * can find the culprit without a debugger.
 */
public final class OtlpJsonException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;
    private final int line;
    private final int column;

    OtlpJsonException(String path, String reason, int line, int column) {
        super(format(path, reason, line, column));
        this.path = path;
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    private static String format(String path, String reason, int line, int column) {
        StringBuilder sb = new StringBuilder();
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(reason);
        if (line > 0) {
            sb.append(" (line ").append(line);
            if (column > 0) {
                sb.append(", column ").append(column);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /**
     * The JSON path of the offending value, with the keys as the sender wrote them and array
     * indexes in brackets, e.g. {@code resourceSpans[0].scopeSpans[1].spans[3].traceId}; empty when
     * the problem is with the document as a whole (say, it is not an object).
     */
    public String path() {
        return path;
    }

    /** What is wrong, without the path and location. */
    public String reason() {
        return reason;
    }

    /** The 1-based line of the offending token, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending token, or -1 when unknown. */
    public int column() {
        return column;
    }
}
