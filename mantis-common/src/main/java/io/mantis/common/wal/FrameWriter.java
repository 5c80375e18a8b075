package io.mantis.common.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Frames a batch of records (docs/format/wal.md, "Records and batches") through one reusable
 * direct buffer, so a batch costs one write system call per buffer-full and no allocation.
 * Not thread-safe: the WAL uses it under its write lock.
 */
final class FrameWriter {

    private final ByteBuffer out;
    private final byte[] head = new byte[5];
    private final CRC32C crc = new CRC32C();

    FrameWriter(int bufferBytes) {
        out = ByteBuffer.allocateDirect(bufferBytes);
    }

    /** Bytes the frames of {@code records} take; checks each record's size. */
    static long frameBytes(ByteBuffer[] records) {
        if (records.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        long total = 0;
        for (ByteBuffer r : records) {
            int len = r.remaining();
            if (len > Segments.MAX_RECORD) {
                throw new IllegalArgumentException("a WAL record is limited to " + Segments.MAX_RECORD
                        + " bytes, got " + len);
            }
            total += Segments.FRAME_OVERHEAD + len;
        }
        return total;
    }

    /**
     * Writes the frames of {@code records} at {@code pos} of {@code ch} and returns the position
     * after them. The records' positions are left as they were.
     */
    long write(FileChannel ch, long pos, ByteBuffer[] records) throws IOException {
        out.clear();
        for (int i = 0; i < records.length; i++) {
            ByteBuffer rec = records[i];
            int start = rec.position();
            int limit = rec.limit();
            int len = limit - start;
            head[0] = i == records.length - 1 ? Segments.KIND_LAST : Segments.KIND_MORE;
            head[1] = (byte) (len >>> 24);
            head[2] = (byte) (len >>> 16);
            head[3] = (byte) (len >>> 8);
            head[4] = (byte) len;
            crc.reset();
            crc.update(head, 0, 5);
            crc.update(rec);
            rec.position(start);
            if (out.remaining() < 5) {
                pos = flush(ch, pos);
            }
            out.put(head, 0, 5);
            try {
                while (rec.hasRemaining()) {
                    if (!out.hasRemaining()) {
                        pos = flush(ch, pos);
                    }
                    int n = Math.min(rec.remaining(), out.remaining());
                    rec.limit(rec.position() + n);
                    out.put(rec);
                    rec.limit(limit);
                }
            } finally {
                rec.limit(limit);
                rec.position(start);
            }
            if (out.remaining() < 4) {
                pos = flush(ch, pos);
            }
            out.putInt((int) crc.getValue());
        }
        return flush(ch, pos);
    }

    private long flush(FileChannel ch, long pos) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            pos += ch.write(out, pos);
        }
        out.clear();
        return pos;
    }
}
