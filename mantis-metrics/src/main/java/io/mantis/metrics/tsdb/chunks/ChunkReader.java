package io.mantis.metrics.tsdb.chunks;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads chunks from the segment files of one directory, each mapped read-only; chunks handed out
 * are views of the mapping, valid while the reader is open (and, since the JDK unmaps on garbage
 * collection, never a crash hazard after close). Thread-safe.
 */
public final class ChunkReader implements Closeable {

    /** Receives the frames of a {@link #scan}. */
    @FunctionalInterface
    public interface FrameVisitor {
        /** Series reference and time range are 0 for block segments. */
        void frame(long ref, long seriesRef, long minTime, long maxTime, Chunk chunk);
    }

    private record Segment(int number, Path file, SegmentKind kind, ByteBuffer map) {
    }

    private final Path dir;
    private final boolean verify;
    private final Segment[] segments; // by number - firstNumber; null for gaps
    private final int firstNumber;
    private final List<Segment> ordered;

    /**
     * Opens every segment in {@code dir}.
     *
     * @param verifyChecksums check each chunk's CRC32C when it is read (else only in {@link #scan})
     * @throws CorruptChunkFileException for a segment with a bad header
     */
    public ChunkReader(Path dir, boolean verifyChecksums) throws IOException {
        this.dir = dir;
        this.verify = verifyChecksums;
        List<Integer> numbers = segmentNumbers(dir);
        ordered = new ArrayList<>(numbers.size());
        for (int n : numbers) {
            Path file = dir.resolve(ChunkRefs.fileName(n));
            ByteBuffer map;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE) {
                    throw new CorruptChunkFileException(file, 0, "segment of " + size + " bytes is larger than 2 GiB");
                }
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
                map = m;
            }
            if (map.limit() < ChunkWriter.SEGMENT_HEADER_BYTES) {
                throw new CorruptChunkFileException(file, 0, "file of " + map.limit() + " bytes has no segment header");
            }
            SegmentKind kind = SegmentKind.ofMagic(map.getInt(0));
            if (kind == null) {
                throw new CorruptChunkFileException(file, 0, String.format("bad magic 0x%08X", map.getInt(0)));
            }
            if (map.get(4) != ChunkWriter.VERSION) {
                throw new CorruptChunkFileException(file, 4, "unknown segment version " + map.get(4));
            }
            ordered.add(new Segment(n, file, kind, map));
        }
        firstNumber = numbers.isEmpty() ? 1 : numbers.get(0);
        int span = numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1) - firstNumber + 1;
        segments = new Segment[span];
        for (Segment s : ordered) {
            segments[s.number() - firstNumber] = s;
        }
    }

    static List<Integer> segmentNumbers(Path dir) throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.length() >= 6 && name.length() <= 9 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    int n = Integer.parseInt(name);
                    if (n > 0 && name.equals(ChunkRefs.fileName(n))) {
                        out.add(n);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    static int highestSegment(Path dir) throws IOException {
        List<Integer> n = segmentNumbers(dir);
        return n.isEmpty() ? 0 : n.get(n.size() - 1);
    }

    public Path directory() {
        return dir;
    }

    /** Segment numbers present, ascending. */
    public List<Integer> segmentNumbers() {
        List<Integer> out = new ArrayList<>(ordered.size());
        for (Segment s : ordered) {
            out.add(s.number());
        }
        return out;
    }

    /**
     * The chunk a reference points at, reading from the mapping without copying.
     *
     * @throws CorruptChunkFileException if the frame is damaged (checksums only with verification
     *     on) or the reference points nowhere
     */
    public Chunk chunk(long ref) {
        int number = ChunkRefs.segmentNumber(ref);
        int idx = number - firstNumber;
        Segment s = idx >= 0 && idx < segments.length ? segments[idx] : null;
        if (s == null) {
            throw new IllegalArgumentException("chunk reference " + Long.toHexString(ref) + " names segment "
                    + ChunkRefs.fileName(number) + ", which is not in " + dir);
        }
        return parse(s, Integer.toUnsignedLong(ChunkRefs.offset(ref)), verify, null);
    }

    /**
     * Visits every frame of every segment in order, verifying checksums.
     *
     * @throws CorruptChunkFileException at the first damaged frame; for the head's last segment its
     *     {@link CorruptChunkFileException#offset()} is where the valid prefix ends
     */
    public void scan(FrameVisitor visitor) {
        for (Segment s : ordered) {
            long off = ChunkWriter.SEGMENT_HEADER_BYTES;
            long[] next = new long[1];
            while (off < s.map().limit()) {
                parse(s, off, true, visitor, next);
                off = next[0];
            }
        }
    }

    /** Verifies the checksum of every frame; see {@link #scan}. */
    public void verifyAll() {
        scan((ref, series, min, max, chunk) -> { });
    }

    private Chunk parse(Segment s, long offset, boolean check, FrameVisitor visitor) {
        return parse(s, offset, check, visitor, null);
    }

    private Chunk parse(Segment s, long offset, boolean check, FrameVisitor visitor, long[] nextOut) {
        ByteBuffer m = s.map();
        int size = m.limit();
        if (offset < ChunkWriter.SEGMENT_HEADER_BYTES || offset >= size) {
            throw new CorruptChunkFileException(s.file(), offset, "chunk offset outside the segment (" + size + " bytes)");
        }
        int pos = (int) offset;
        int prefix = s.kind().prefixBytes();
        if (pos + prefix > size) {
            throw new CorruptChunkFileException(s.file(), offset, "frame cut off in its header");
        }
        long seriesRef = prefix > 0 ? m.getLong(pos) : 0;
        long minTime = prefix > 0 ? m.getLong(pos + 8) : 0;
        long maxTime = prefix > 0 ? m.getLong(pos + 16) : 0;
        int p = pos + prefix;
        long len = 0;
        int shift = 0;
        while (true) {
            if (p >= size || shift > 28) {
                throw new CorruptChunkFileException(s.file(), offset, "frame length cut off or too long");
            }
            int b = m.get(p++) & 0xff;
            len |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (p + 1 + len + 4 > size) {
            throw new CorruptChunkFileException(s.file(), offset, "frame of " + len
                    + " bytes runs past the end of the segment (" + size + " bytes)");
        }
        int encByte = m.get(p) & 0xff;
        int dataStart = p + 1;
        int dataLen = (int) len;
        if (check) {
            CRC32C crc = new CRC32C();
            if (prefix > 0) {
                crc.update(m.slice(pos, prefix));
            }
            crc.update(m.slice(p, 1 + dataLen));
            int stored = m.getInt(dataStart + dataLen);
            if ((int) crc.getValue() != stored) {
                throw new CorruptChunkFileException(s.file(), offset, String.format(
                        "checksum mismatch (stored %08x, computed %08x)", stored, (int) crc.getValue()));
            }
        }
        if (!Encoding.isKnown(encByte)) {
            throw new CorruptChunkFileException(s.file(), offset, "unknown chunk encoding " + encByte);
        }
        Chunk chunk;
        try {
            chunk = Chunk.wrap(Encoding.fromByte(encByte), m.slice(dataStart, dataLen));
        } catch (RuntimeException e) {
            throw new CorruptChunkFileException(s.file(), offset, e.getMessage(), e);
        }
        if (nextOut != null) {
            nextOut[0] = (long) dataStart + dataLen + 4;
        }
        if (visitor != null) {
            visitor.frame(ChunkRefs.ref(s.number(), pos), seriesRef, minTime, maxTime, chunk);
        }
        return chunk;
    }

    @Override
    public void close() {
        // Mappings are released by the garbage collector; nothing to close explicitly.
    }
}
