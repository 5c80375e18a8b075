package io.mantis.metrics.promql.promqltest;

/** A mistake in a promqltest script (or in what the runner was asked to do with it), with its line. */
final class ScriptException extends RuntimeException {

    private final int line;

    ScriptException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    ScriptException(int line, String message, Throwable cause) {
        super(line > 0 ? "line " + line + ": " + message : message, cause);
        this.line = line;
    }

    /** 1-based line in the script, or 0 when unknown. */
    int line() {
        return line;
    }
}
