package io.mantis.metrics.tsdb.record;

/**
 * A record that passed the WAL's checksum but does not decode: written by other code (a newer
 * version, a bug), not damaged on disk.
 */
public final class MalformedRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }
}
