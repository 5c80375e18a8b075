package io.mantis.metrics.promql;

/**
 * A PromQL syntax error. The message reads like Prometheus' ({@code 1:7: parse error: ...}) with a
 * 1-based line and column, which editors and Grafana show as they are.
 */
public final class ParseException extends Exception {

    private final int line;
    private final int column;
    private final String detail;

    public ParseException(String input, int offset, String detail) {
        super(position(input, offset) + ": parse error: " + detail);
        int[] lc = lineColumn(input, offset);
        this.line = lc[0];
        this.column = lc[1];
        this.detail = detail;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String detail() {
        return detail;
    }

    private static String position(String input, int offset) {
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
