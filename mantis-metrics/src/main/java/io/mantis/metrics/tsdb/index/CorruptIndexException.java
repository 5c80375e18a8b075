package io.mantis.metrics.tsdb.index;

import java.nio.file.Path;

/**
 * A block index file fails a check of its format (docs/format/index.md): a checksum, a magic
 * number, or a structure that cannot be right. Names the file and the part that failed, so that
 * an operator knows which block to move away. Unchecked because it can surface from any lookup
 * of an index opened without full verification.
 */
public final class CorruptIndexException extends RuntimeException {

    private final Path file;
    private final String part;

    public CorruptIndexException(Path file, String part, String problem) {
        this(file, part, problem, null);
    }

    public CorruptIndexException(Path file, String part, String problem, Throwable cause) {
        super("corrupt block index " + file + ": " + part + ": " + problem, cause);
        this.file = file;
        this.part = part;
    }

    public Path file() {
        return file;
    }

    /** {@code header}, {@code TOC}, or a section name such as {@code SERIES}. */
    public String part() {
        return part;
    }
}
