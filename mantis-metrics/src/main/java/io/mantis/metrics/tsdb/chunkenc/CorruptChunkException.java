package io.mantis.metrics.tsdb.chunkenc;

/** A chunk's bytes do not decode: truncated, damaged, or not of the encoding they were read as. */
public class CorruptChunkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptChunkException(String message) {
        super(message);
    }
}
