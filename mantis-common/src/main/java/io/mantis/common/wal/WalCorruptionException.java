package io.mantis.common.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Damage to acknowledged data: a segment before the last, or a checkpoint, that cannot be read to
 * its end. Replay stops here; {@link WriteAheadLog#repair} truncates the damage away and says what
 * was lost.
 */
public final class WalCorruptionException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int segment;
    private final long offset;
    private final long validBytes;
    private final String reason;

    WalCorruptionException(Path file, int segment, long offset, long validBytes, String reason) {
        super("WAL segment " + file + " is damaged at offset " + offset + ": " + reason);
        this.file = file;
        this.segment = segment;
        this.offset = offset;
        this.validBytes = validBytes;
        this.reason = reason;
    }

    /** The damaged segment file (in the WAL directory or in a checkpoint directory). */
    public Path file() {
        return file;
    }

    /** The number of the damaged segment within its sequence (the WAL's or the checkpoint's). */
    public int segment() {
        return segment;
    }

    /** Where reading failed. */
    public long offset() {
        return offset;
    }

    /** How many bytes of the file hold whole batches before the damage (0: the header is bad). */
    public long validBytes() {
        return validBytes;
    }

    /** Whether the damaged file belongs to a checkpoint rather than to the WAL's own segments. */
    public boolean inCheckpoint() {
        Path parent = file.getParent();
        return parent != null && parent.getFileName().toString().startsWith(Segments.CHECKPOINT_PREFIX);
    }

    public String reason() {
        return reason;
    }
}
