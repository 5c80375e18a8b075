package io.mantis.metrics.promql;

/**
 * A PromQL syntax or type error. The message reads like Prometheus' ({@code 1:7: parse error: ...})
 * with a 1-based line and column (counted in chars), which editors and Grafana show as they are.
 * An error in an empty query has no position ({@code unknown position: parse error: ...}), as in
 * Prometheus 3.
 */
public final class ParseException extends Exception {

    private final int line;
    private final int column;
    private final int start;
    private final int end;
    private final String detail;

    public ParseException(String input, int offset, String detail) {
        this(input, offset, offset, detail);
    }

    /** An error about the part {@code [start, end)} of the input; the message names {@code start}. */
    public ParseException(String input, int start, int end, String detail) {
        super(position(input, start) + ": parse error: " + detail);
        int[] lc = input.isEmpty() ? new int[] {0, 0} : lineColumn(input, start);
        this.line = lc[0];
        this.column = lc[1];
        this.start = start;
        this.end = Math.max(start, end);
        this.detail = detail;
    }

    /** 1-based line of the error, 0 when it has no position. */
    public int line() {
        return line;
    }

    /** 1-based column of the error, 0 when it has no position. */
    public int column() {
        return column;
    }

    /** Offset (in chars) of the start of the offending text. */
    public int start() {
        return start;
    }

    /** Offset just past the offending text. */
    public int end() {
        return end;
    }

    /** The message without the position, as Prometheus' {@code ParseErr.Err}. */
    public String detail() {
        return detail;
    }

    private static String position(String input, int offset) {
        if (input.isEmpty()) {
            return "unknown position";
        }
        int[] lc = lineColumn(input, offset);
        return lc[0] + ":" + lc[1];
    }

    private static int[] lineColumn(String input, int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(offset, input.length()); i++) {
            if (input.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }
}
