package io.mantis.common.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Receives replayed records, in log order. */
@FunctionalInterface
public interface RecordHandler {

    /**
     * One record.
     *
     * @param record the payload between its position and limit; the buffer and its content are
     *     reused for the next record, so copy what must outlive the call
     * @param segment the segment the record was read from, or for a checkpoint's records the
     *     number of the last segment the checkpoint covers
     */
    void onRecord(ByteBuffer record, int segment) throws IOException;
}
