package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Full head chunks, moved off the Java heap into memory-mapped segment files (docs/format/chunks.md,
 * "head segments"), so a million series cost their open chunk on the heap and not two hours of
 * closed ones. Frames are written straight into a read-write mapping, so a chunk is readable the
 * moment its reference is handed out, without a write system call.
 *
 * <p>The files are a cache of what the WAL already holds: they are emptied at start-up and refilled
 * by WAL replay, so a torn frame after a crash never needs repair. Segments whose every chunk ends
 * before the head's truncation time are deleted.
 */
final class HeadChunkFiles implements AutoCloseable {

    private static final int MAGIC = 0x4D484348; // "MHCH"
    private static final int HEADER = 8;

    private final Path dir;
    private final int segmentSize;
    private MappedByteBuffer[] maps = new MappedByteBuffer[8];
    private long[] maxTime = new long[8];
    private int current; // 1-based number of the segment being written, 0 before the first
    private int pos;
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[32];
    private long bytesWritten;

    HeadChunkFiles(Path dir, int segmentSize) throws IOException {
        if (segmentSize < 4096) {
            throw new IllegalArgumentException("head chunk segment size must be at least 4 KiB");
        }
        this.dir = dir;
        this.segmentSize = segmentSize;
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes a full chunk; returns its reference ({@code (segment - 1) << 32 | offset}). */
    synchronized long write(long seriesRef, long minT, long maxT, Chunk chunk) {
        ByteBuffer data = chunk.bytes().duplicate();
        int len = data.remaining();
        int frame = 24 + uvarintSize(len) + 1 + len + 4;
        if (current == 0 || pos + frame > segmentSize) {
            startSegment(Math.max(segmentSize, HEADER + frame));
        }
        MappedByteBuffer m = maps[current - 1];
        int start = pos;
        m.putLong(pos, seriesRef);
        m.putLong(pos + 8, minT);
        m.putLong(pos + 16, maxT);
        int p = pos + 24;
        long v = len;
        while (v >= 0x80) {
            m.put(p++, (byte) (v | 0x80));
            v >>>= 7;
        }
        m.put(p++, (byte) v);
        int encAt = p;
        m.put(p++, chunk.encoding().byteValue());
        m.put(p, data, data.position(), len);
        p += len;
        crc.reset();
        m.get(start, scratch, 0, 24);
        crc.update(scratch, 0, 24);
        crc.update(m.slice(encAt, 1 + len));
        m.putInt(p, (int) crc.getValue());
        pos = p + 4;
        maxTime[current - 1] = Math.max(maxTime[current - 1], maxT);
        bytesWritten += frame;
        return ((long) (current - 1) << 32) | start;
    }

    /** The chunk behind a reference, reading straight from the mapping. */
    Chunk read(long ref) {
        int seg = (int) (ref >>> 32);
        int off = (int) ref;
        MappedByteBuffer m;
        synchronized (this) {
            m = seg < maps.length ? maps[seg] : null;
        }
        if (m == null) {
            throw new IllegalStateException("head chunk " + Long.toHexString(ref) + " refers to a deleted segment");
        }
        int p = off + 24;
        long len = 0;
        int shift = 0;
        byte b;
        do {
            b = m.get(p++);
            len |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        Encoding enc = Encoding.fromByte(m.get(p++));
        return Chunk.wrap(enc, m.slice(p, (int) len));
    }

    private void startSegment(int size) {
        int next = current + 1;
        Path file = dir.resolve(String.format("%06d", next));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            m.putInt(0, MAGIC);
            m.put(4, (byte) 1);
            if (next > maps.length) {
                maps = Arrays.copyOf(maps, maps.length * 2);
                maxTime = Arrays.copyOf(maxTime, maxTime.length * 2);
            }
            maps[next - 1] = m;
            maxTime[next - 1] = Long.MIN_VALUE;
            current = next;
            pos = HEADER;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create head chunk segment " + file, e);
        }
    }

    /** Deletes finished segments whose chunks all end before {@code mint}; returns how many. */
    synchronized int truncateBefore(long mint) {
        List<Path> gone = new ArrayList<>();
        for (int i = 0; i < current - 1; i++) {
            if (maps[i] != null && maxTime[i] < mint) {
                maps[i] = null;
                gone.add(dir.resolve(String.format("%06d", i + 1)));
            }
        }
        for (Path p : gone) {
            try {
                // The mapping stays valid until collected; unlinking frees the disk space then.
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete head chunk segment " + p, e);
            }
        }
        return gone.size();
    }

    synchronized long bytesWritten() {
        return bytesWritten;
    }

    synchronized int segmentCount() {
        int n = 0;
        for (int i = 0; i < current; i++) {
            if (maps[i] != null) {
                n++;
            }
        }
        return n;
    }

    private static int uvarintSize(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    @Override
    public synchronized void close() {
        Arrays.fill(maps, null);
    }
}
