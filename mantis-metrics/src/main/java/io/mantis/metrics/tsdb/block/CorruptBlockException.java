package io.mantis.metrics.tsdb.block;

import java.nio.file.Path;

/**
 * A block cannot be read as written: a damaged or missing file, a meta.json that does not parse,
 * a checksum that fails. Names the block directory so an operator knows what to move away.
 * Unchecked because it can surface from any read of a block opened without full verification.
 */
public final class CorruptBlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path blockDir;

    public CorruptBlockException(Path blockDir, String problem) {
        this(blockDir, problem, null);
    }

    public CorruptBlockException(Path blockDir, String problem, Throwable cause) {
        super("block " + blockDir + " is corrupt: " + problem, cause);
        this.blockDir = blockDir;
    }

    public Path blockDir() {
        return blockDir;
    }
}
