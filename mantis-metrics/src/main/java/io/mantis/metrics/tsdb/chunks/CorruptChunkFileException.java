package io.mantis.metrics.tsdb.chunks;

import java.nio.file.Path;

/** A segment file is damaged: names the file and the byte offset of the bad header or frame. */
public class CorruptChunkFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptChunkFileException(Path file, long offset, String message) {
        this(file, offset, message, null);
    }

    public CorruptChunkFileException(Path file, long offset, String message, Throwable cause) {
        super("corrupt chunk segment " + file + " at offset " + offset + ": " + message, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** Where the damage starts; for a head segment, the length to truncate the file to. */
    public long offset() {
        return offset;
    }
}
