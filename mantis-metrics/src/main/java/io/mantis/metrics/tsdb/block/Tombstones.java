package io.mantis.metrics.tsdb.block;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The deleted intervals of a block's series, by series ordinal, and their {@code tombstones} file
 * (docs/format/tsdb.md). Immutable: a deletion builds a new instance, so queriers keep the one
 * they started with.
 */
public final class Tombstones {

    public static final String FILE_NAME = "tombstones";
    static final int MAGIC = 0x0130BA30;
    static final byte VERSION = 1;
    public static final Tombstones EMPTY = new Tombstones(new int[0], new Intervals[0]);

    private final int[] ordinals; // ascending
    private final Intervals[] intervals;
    private final long numIntervals;

    private Tombstones(int[] ordinals, Intervals[] intervals) {
        this.ordinals = ordinals;
        this.intervals = intervals;
        long n = 0;
        for (Intervals i : intervals) {
            n += i.size();
        }
        this.numIntervals = n;
    }

    /** The deleted intervals of series {@code ordinal}; {@link Intervals#EMPTY} if none. */
    public Intervals get(int ordinal) {
        int i = Arrays.binarySearch(ordinals, ordinal);
        return i >= 0 ? intervals[i] : Intervals.EMPTY;
    }

    public boolean isDeleted(int ordinal, long t) {
        int i = Arrays.binarySearch(ordinals, ordinal);
        return i >= 0 && intervals[i].contains(t);
    }

    public boolean isEmpty() {
        return ordinals.length == 0;
    }

    /** Number of series with at least one deleted interval. */
    public int numSeries() {
        return ordinals.length;
    }

    /** Number of intervals over all series (the {@code numTombstones} of meta.json). */
    public long numIntervals() {
        return numIntervals;
    }

    /** The i-th series with tombstones, in ascending ordinal order. */
    public int ordinalAt(int i) {
        return ordinals[i];
    }

    public Intervals intervalsAt(int i) {
        return intervals[i];
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < ordinals.length; i++) {
            b.map.put(ordinals[i], intervals[i]);
        }
        return b;
    }

    /** Collects deletions; {@link #build} merges them per series. */
    public static final class Builder {
        private final TreeMap<Integer, Intervals> map = new TreeMap<>();

        public Builder add(int ordinal, long mint, long maxt) {
            if (ordinal < 0) {
                throw new IllegalArgumentException("negative series ordinal " + ordinal);
            }
            map.merge(ordinal, Intervals.of(mint, maxt), Intervals::union);
            return this;
        }

        public Tombstones build() {
            int[] o = new int[map.size()];
            Intervals[] iv = new Intervals[map.size()];
            int n = 0;
            for (Map.Entry<Integer, Intervals> e : map.entrySet()) {
                o[n] = e.getKey();
                iv[n++] = e.getValue();
            }
            return new Tombstones(o, iv);
        }
    }

    // ---- file ----

    /** The file's bytes. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 8 * ordinals.length);
        out.write(MAGIC >>> 24);
        out.write(MAGIC >>> 16);
        out.write(MAGIC >>> 8);
        out.write(MAGIC);
        out.write(VERSION);
        for (int i = 0; i < ordinals.length; i++) {
            putUvarint(out, ordinals[i]);
            Intervals iv = intervals[i];
            putUvarint(out, iv.size());
            for (int k = 0; k < iv.size(); k++) {
                putVarint(out, iv.mint(k));
                putVarint(out, iv.maxt(k));
            }
        }
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body, 5, body.length - 5);
        int c = (int) crc.getValue();
        byte[] file = Arrays.copyOf(body, body.length + 4);
        ByteBuffer.wrap(file, body.length, 4).putInt(c);
        return file;
    }

    /**
     * Parses the file's bytes.
     *
     * @param seriesCount the block's number of series (ordinals must be below), or -1 not to check
     * @throws IllegalArgumentException describing the damage
     */
    public static Tombstones decode(byte[] file, int seriesCount) {
        if (file.length < 9) {
            throw new IllegalArgumentException("file of " + file.length + " bytes is too short");
        }
        int magic = ByteBuffer.wrap(file).getInt(0);
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("bad magic 0x%08X", magic));
        }
        if (file[4] != VERSION) {
            throw new IllegalArgumentException("unknown version " + (file[4] & 0xff));
        }
        int end = file.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(file, 5, end - 5);
        int stored = ByteBuffer.wrap(file).getInt(end);
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException(String.format("checksum mismatch (stored %08x, computed %08x)",
                    stored, (int) crc.getValue()));
        }
        Builder b = new Builder();
        int[] pos = {5};
        while (pos[0] < end) {
            long ordinal = readUvarint(file, pos, end);
            if (ordinal > Integer.MAX_VALUE || (seriesCount >= 0 && ordinal >= seriesCount)) {
                throw new IllegalArgumentException("series ordinal " + ordinal + " is not in the block ("
                        + seriesCount + " series)");
            }
            long count = readUvarint(file, pos, end);
            if (count == 0 || count > end) {
                throw new IllegalArgumentException("series " + ordinal + " has an implausible interval count " + count);
            }
            for (long k = 0; k < count; k++) {
                long mint = readVarint(file, pos, end);
                long maxt = readVarint(file, pos, end);
                if (mint > maxt) {
                    throw new IllegalArgumentException("series " + ordinal + " has an empty interval [" + mint + ", " + maxt + "]");
                }
                b.add((int) ordinal, mint, maxt);
            }
        }
        return b.build();
    }

    /**
     * Reads {@code <blockDir>/tombstones}; a missing file means none.
     *
     * @throws CorruptBlockException naming the file if it is damaged
     */
    public static Tombstones read(Path blockDir, int seriesCount) throws IOException {
        Path file = blockDir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        try {
            return decode(bytes, seriesCount);
        } catch (IllegalArgumentException e) {
            throw new CorruptBlockException(blockDir, "tombstones file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code <blockDir>/tombstones} atomically. */
    public void write(Path blockDir) throws IOException {
        FileUtil.writeAtomically(blockDir, FILE_NAME, encode());
    }

    private static void putUvarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void putVarint(ByteArrayOutputStream out, long v) {
        putUvarint(out, (v << 1) ^ (v >> 63));
    }

    private static long readUvarint(byte[] b, int[] pos, int end) {
        long v = 0;
        int p = pos[0];
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) {
                throw new IllegalArgumentException("varint at " + pos[0] + " runs into the checksum");
            }
            byte x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                pos[0] = p;
                return v;
            }
        }
        throw new IllegalArgumentException("varint at " + pos[0] + " is longer than 10 bytes");
    }

    private static long readVarint(byte[] b, int[] pos, int end) {
        long u = readUvarint(b, pos, end);
        return (u >>> 1) ^ -(u & 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tombstones t && Arrays.equals(ordinals, t.ordinals) && Arrays.equals(intervals, t.intervals);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ordinals);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ordinals.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ordinals[i]).append('=').append(intervals[i]);
        }
        return sb.append('}').toString();
    }
}
