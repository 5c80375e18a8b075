package io.mantis.common.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads one segment file frame by frame through one reusable buffer, checking every frame and
 * optionally handing each record to a {@link RecordHandler} as a view into that buffer: replay
 * allocates nothing per record. Not thread-safe; one per reader.
 */
final class SegmentScanner {

    /** What a scan found; reused by the next scan. */
    static final class Result {
        long size;
        String headerProblem;
        /** End of the last frame of kind 2: everything before it is whole batches. */
        long batchEnd;
        /** End of the last valid frame. */
        long framesEnd;
        /** Why reading stopped before the end, or null when it reached it. */
        String failure;
        long records;
        long payloadBytes;

        /** Whether the segment holds whole batches only, from its header to its end. */
        boolean clean() {
            return headerProblem == null && failure == null && batchEnd == framesEnd;
        }

        String problem() {
            if (headerProblem != null) {
                return headerProblem;
            }
            return failure != null ? failure : "the segment ends inside a batch";
        }
    }

    private static final int INITIAL_BUFFER = 1 << 20;

    private final CRC32C crc = new CRC32C();
    private final Result result = new Result();
    private byte[] buf = new byte[INITIAL_BUFFER];
    private ByteBuffer io = ByteBuffer.wrap(buf);
    private ByteBuffer view = ByteBuffer.wrap(buf);
    private FileChannel channel;
    private long end;
    /** File offset of {@code buf[0]}, and how many bytes from there the buffer holds. */
    private long bufStart;
    private int bufLen;

    /**
     * Reads segment {@code number} of {@code file} up to {@code limit} bytes (the whole file if
     * negative), handing every valid record to {@code handler} (if not null) with {@code reportAs}
     * as its segment.
     */
    Result scan(Path file, int number, long limit, RecordHandler handler, int reportAs) throws IOException {
        Result r = result;
        r.headerProblem = null;
        r.failure = null;
        r.records = 0;
        r.payloadBytes = 0;
        r.batchEnd = 0;
        r.framesEnd = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            channel = ch;
            r.size = ch.size();
            end = limit < 0 ? r.size : Math.min(limit, r.size);
            bufStart = 0;
            bufLen = 0;
            if (end < Segments.HEADER_SIZE) {
                r.headerProblem = "shorter than a header (" + end + " bytes)";
                return r;
            }
            ensure(0, Segments.HEADER_SIZE);
            r.headerProblem = Segments.checkHeader(buf, 0, number);
            if (r.headerProblem != null) {
                return r;
            }
            long pos = Segments.HEADER_SIZE;
            long batchEnd = pos;
            while (pos < end) {
                if (end - pos < Segments.FRAME_OVERHEAD) {
                    r.failure = "frame cut short: " + (end - pos) + " bytes left";
                    break;
                }
                ensure(pos, 5);
                int at = (int) (pos - bufStart);
                byte kind = buf[at];
                int len = ((buf[at + 1] & 0xFF) << 24) | ((buf[at + 2] & 0xFF) << 16) | ((buf[at + 3] & 0xFF) << 8)
                        | (buf[at + 4] & 0xFF);
                if (kind != Segments.KIND_MORE && kind != Segments.KIND_LAST) {
                    r.failure = "invalid frame kind " + kind;
                    break;
                }
                if (len < 0 || len > Segments.MAX_RECORD) {
                    r.failure = "invalid record length " + Integer.toUnsignedString(len);
                    break;
                }
                if (end - pos < Segments.FRAME_OVERHEAD + (long) len) {
                    r.failure = "frame of " + len + " bytes runs past the end of the file";
                    break;
                }
                ensure(pos, Segments.FRAME_OVERHEAD + len);
                at = (int) (pos - bufStart);
                crc.reset();
                crc.update(buf, at, 5 + len);
                int stored = ((buf[at + 5 + len] & 0xFF) << 24) | ((buf[at + 6 + len] & 0xFF) << 16)
                        | ((buf[at + 7 + len] & 0xFF) << 8) | (buf[at + 8 + len] & 0xFF);
                if ((int) crc.getValue() != stored) {
                    r.failure = "checksum mismatch";
                    break;
                }
                if (handler != null) {
                    view.clear();
                    view.position(at + 5).limit(at + 5 + len);
                    handler.onRecord(view, reportAs);
                }
                r.records++;
                r.payloadBytes += len;
                pos += Segments.FRAME_OVERHEAD + len;
                if (kind == Segments.KIND_LAST) {
                    batchEnd = pos;
                }
            }
            r.framesEnd = pos;
            r.batchEnd = batchEnd;
            return r;
        } finally {
            channel = null;
        }
    }

    /** Makes {@code buf} hold file bytes {@code [pos, pos + n)}; the caller checked they exist. */
    private void ensure(long pos, int n) throws IOException {
        if (pos >= bufStart && pos + n <= bufStart + bufLen) {
            return;
        }
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, Math.min(Segments.MAX_RECORD + Segments.FRAME_OVERHEAD,
                    2 * buf.length))];
            buf = bigger;
            io = ByteBuffer.wrap(bigger);
            view = ByteBuffer.wrap(bigger);
            bufStart = pos;
            bufLen = 0;
        } else if (pos >= bufStart && pos < bufStart + bufLen) {
            int keep = (int) (bufStart + bufLen - pos);
            System.arraycopy(buf, (int) (pos - bufStart), buf, 0, keep);
            bufStart = pos;
            bufLen = keep;
        } else {
            bufStart = pos;
            bufLen = 0;
        }
        // Fill the whole buffer (up to the end) so that small frames need one read per megabyte.
        long want = Math.min(buf.length, end - bufStart);
        while (bufLen < want) {
            io.clear();
            io.position(bufLen).limit((int) want);
            int read = channel.read(io, bufStart + bufLen);
            if (read < 0) {
                throw new IOException("segment shrank while being read: expected " + want + " bytes at offset "
                        + bufStart);
            }
            bufLen += read;
        }
    }
}
