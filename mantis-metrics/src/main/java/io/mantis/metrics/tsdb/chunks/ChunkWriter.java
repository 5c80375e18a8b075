package io.mantis.metrics.tsdb.chunks;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends chunks to numbered segment files (docs/format/chunks.md) and hands back a reference
 * per chunk. Never appends to a file that existed before it started. Not thread-safe.
 */
public final class ChunkWriter implements Closeable {
    public static final long DEFAULT_MAX_SEGMENT_BYTES = 512L * 1024 * 1024;
    static final int SEGMENT_HEADER_BYTES = 8;
    static final byte VERSION = 1;
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path dir;
    private final SegmentKind kind;
    private final long maxSegmentBytes;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    private final byte[] small = new byte[32];
    private FileChannel channel;
    private int segmentNumber;
    private long segmentBytes;
    private boolean segmentHasChunks;

    /**
     * A writer into {@code dir} (created if missing), starting at the segment after the highest
     * existing one.
     *
     * @param maxSegmentBytes at least 64 KiB, at most 2^31 - 1 so a segment maps as one buffer
     */
    public ChunkWriter(Path dir, SegmentKind kind, long maxSegmentBytes) throws IOException {
        if (maxSegmentBytes < 65536 || maxSegmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max segment size " + maxSegmentBytes + " outside [64 KiB, 2 GiB)");
        }
        this.dir = dir;
        this.kind = kind;
        this.maxSegmentBytes = maxSegmentBytes;
        Files.createDirectories(dir);
        segmentNumber = ChunkReader.highestSegment(dir);
    }

    public ChunkWriter(Path dir, SegmentKind kind) throws IOException {
        this(dir, kind, DEFAULT_MAX_SEGMENT_BYTES);
    }

    /** Writes a chunk to a {@link SegmentKind#BLOCK} segment. */
    public long write(Chunk chunk) throws IOException {
        if (kind != SegmentKind.BLOCK) {
            throw new IllegalStateException("head segments need the series reference and time range");
        }
        return writeFrame(0, 0, 0, chunk);
    }

    /** Writes a full head chunk of series {@code seriesRef} to a {@link SegmentKind#HEAD} segment. */
    public long write(long seriesRef, long minTime, long maxTime, Chunk chunk) throws IOException {
        if (kind != SegmentKind.HEAD) {
            throw new IllegalStateException("block segments carry no series reference");
        }
        return writeFrame(seriesRef, minTime, maxTime, chunk);
    }

    private long writeFrame(long seriesRef, long minTime, long maxTime, Chunk chunk) throws IOException {
        ByteBuffer data = chunk.bytes();
        int len = data.remaining();
        int prefix = kind.prefixBytes();
        int lenBytes = uvarintSize(len);
        long frame = (long) prefix + lenBytes + 1 + len + 4;
        if (channel == null || (segmentHasChunks && segmentBytes + frame > maxSegmentBytes)) {
            startSegment();
        }
        long ref = ChunkRefs.ref(segmentNumber, (int) segmentBytes);
        crc.reset();
        ByteBuffer head = ByteBuffer.wrap(small);
        if (prefix > 0) {
            head.putLong(seriesRef).putLong(minTime).putLong(maxTime);
            crc.update(small, 0, prefix);
        }
        putUvarint(head, len);
        head.put(chunk.encoding().byteValue());
        crc.update(small, head.position() - 1, 1);
        crc.update(data.duplicate());
        put(head.flip());
        put(data);
        put(ByteBuffer.wrap(small, 0, 4).putInt(0, (int) crc.getValue()));
        segmentBytes += frame;
        segmentHasChunks = true;
        return ref;
    }

    private void put(ByteBuffer src) throws IOException {
        if (src.remaining() > buf.remaining()) {
            flush();
            if (src.remaining() > buf.capacity()) {
                while (src.hasRemaining()) {
                    channel.write(src);
                }
                return;
            }
        }
        buf.put(src);
    }

    private static int uvarintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void putUvarint(ByteBuffer b, int v) {
        while ((v & ~0x7f) != 0) {
            b.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    private void startSegment() throws IOException {
        finishSegment();
        segmentNumber++;
        Path file = dir.resolve(ChunkRefs.fileName(segmentNumber));
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
        header.putInt(kind.magic()).put(VERSION).put((byte) 0).put((byte) 0).put((byte) 0).flip();
        buf.put(header);
        segmentBytes = SEGMENT_HEADER_BYTES;
        segmentHasChunks = false;
        syncDirectory();
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open directories; the rename of a finished block covers it there.
        }
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        buf.clear();
    }

    private void finishSegment() throws IOException {
        if (channel == null) {
            return;
        }
        flush();
        channel.force(true);
        channel.close();
        channel = null;
    }

    /** Writes out buffered frames and forces the current segment to disk. */
    public void sync() throws IOException {
        if (channel != null) {
            flush();
            channel.force(true);
        }
    }

    /** Number of the segment being written (0 before the first chunk). */
    public int currentSegment() {
        return segmentNumber;
    }

    @Override
    public void close() throws IOException {
        finishSegment();
    }
}
