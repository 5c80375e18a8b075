package io.mantis.common.wal;

import java.nio.ByteBuffer;

/** Decides, for a checkpoint, what becomes of each record of the segments it condenses. */
@FunctionalInterface
public interface RecordFilter {

    /** Keeps every record. */
    RecordFilter KEEP_ALL = record -> record;

    /**
     * @param record a record between its position and limit, valid only during the call
     * @return {@code record} itself to keep it, another buffer (between its position and limit,
     *     read before the next call, so a reused buffer is fine) to keep a rewritten record, or
     *     null to drop it
     */
    ByteBuffer apply(ByteBuffer record);
}
