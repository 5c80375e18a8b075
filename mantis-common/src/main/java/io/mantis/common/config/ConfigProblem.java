package io.mantis.common.config;

import java.util.Objects;

/**
 * One configuration problem, located precisely enough for a person to go and fix it.
 *
 * @param source file name as given, or a label such as {@code "<built-in>"}
 * @param line 1-based line, or 0 when the problem has no position (e.g. an unreadable file)
 * @param column 1-based column, or 0 when the problem has no position
 * @param path dotted key path, e.g. {@code server.shutdown_timeout}; empty for the whole document
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(String source, int line, int column, String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /**
     * {@code "source:line:column: path: message"}, the shape compilers use so that editors and
     * terminals can jump to it. The position is left out when there is none, and the path when
     * the problem concerns the whole document.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
