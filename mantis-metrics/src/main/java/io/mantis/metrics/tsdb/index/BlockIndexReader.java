package io.mantis.metrics.tsdb.index;

import static io.mantis.metrics.tsdb.index.IndexWriter.HEADER_SIZE;
import static io.mantis.metrics.tsdb.index.IndexWriter.LABEL_INDEX;
import static io.mantis.metrics.tsdb.index.IndexWriter.NAME_ENTRY_SIZE;
import static io.mantis.metrics.tsdb.index.IndexWriter.POSTINGS;
import static io.mantis.metrics.tsdb.index.IndexWriter.SECTION_NAMES;
import static io.mantis.metrics.tsdb.index.IndexWriter.SERIES;
import static io.mantis.metrics.tsdb.index.IndexWriter.SYMBOLS;
import static io.mantis.metrics.tsdb.index.IndexWriter.TOC_SIZE;
import static io.mantis.metrics.tsdb.index.IndexWriter.VALUE_ENTRY_SIZE;

import io.mantis.otlp.prometheus.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a block index file (docs/format/index.md) through a read-only memory mapping: lookups
 * binary-search the file's sorted tables in place, so the heap holds only the label names (a
 * handful of strings per block) and whatever a query asks for.
 *
 * <p>Thread-safe: the mapping is only read with absolute accessors. Damage found while reading
 * is reported as {@link CorruptIndexException} naming the section.
 */
public final class BlockIndexReader implements IndexReader, Closeable {

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buf;
    private final int[] sectionOffset = new int[4];
    private final int[] sectionLength = new int[4];
    private final int symbolCount;
    private final int seriesCount;
    private final int symbolTable;
    private final int seriesTable;
    // Label names are few; keeping them decoded makes every lookup start with a cheap search.
    private final String[] names;
    private final int[] nameValueCount;
    private final int[] nameTable;

    private BlockIndexReader(Path file, FileChannel channel, ByteBuffer buf, boolean verify) {
        this.file = file;
        this.channel = channel;
        this.buf = buf;
        long size = buf.capacity();
        if (size < HEADER_SIZE + 4 * 4 + TOC_SIZE) {
            throw corrupt("TOC", "file too short for an index (" + size + " bytes)");
        }
        for (int i = 0; i < 4; i++) {
            if (buf.get(i) != IndexWriter.MAGIC[i]) {
                throw corrupt("header", "bad magic");
            }
        }
        if (buf.get(4) != IndexWriter.VERSION) {
            throw corrupt("header", "unsupported format version " + (buf.get(4) & 0xFF));
        }
        if (buf.get(5) != 0 || buf.get(6) != 0 || buf.get(7) != 0) {
            throw corrupt("header", "reserved bytes are not zero");
        }
        int toc = (int) (size - TOC_SIZE);
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(toc, TOC_SIZE - 4));
        if ((int) crc.getValue() != buf.getInt(toc + TOC_SIZE - 4)) {
            throw corrupt("TOC", "checksum mismatch (incomplete or damaged file)");
        }
        long expected = HEADER_SIZE;
        for (int s = 0; s < 4; s++) {
            long off = buf.getLong(toc + 16 * s);
            long len = buf.getLong(toc + 16 * s + 8);
            if (off != expected || len < 0 || off + len + 4 > toc) {
                throw corrupt("TOC", "section " + SECTION_NAMES[s] + " at " + off + " length " + len
                        + " does not tile the file");
            }
            sectionOffset[s] = (int) off;
            sectionLength[s] = (int) len;
            expected = off + len + 4;
        }
        if (expected != toc) {
            throw corrupt("TOC", "sections end at " + expected + " but the TOC starts at " + toc);
        }
        symbolCount = buf.getInt(toc + 64);
        seriesCount = buf.getInt(toc + 68);
        int nameCount = buf.getInt(toc + 72);
        if (buf.getInt(toc + 76) != 0) {
            throw corrupt("TOC", "reserved field is not zero");
        }
        if (verify) {
            verify();
        }
        if (symbolCount < 0 || 4L * symbolCount > sectionLength[SYMBOLS]) {
            throw corrupt("SYMBOLS", "symbol count " + symbolCount + " does not fit the section");
        }
        if (seriesCount < 0 || 8L * seriesCount > sectionLength[SERIES]) {
            throw corrupt("SERIES", "series count " + seriesCount + " does not fit the section");
        }
        if (nameCount < 0 || (long) NAME_ENTRY_SIZE * nameCount > sectionLength[LABEL_INDEX]) {
            throw corrupt("LABEL_INDEX", "name count " + nameCount + " does not fit the section");
        }
        symbolTable = sectionOffset[SYMBOLS] + sectionLength[SYMBOLS] - 4 * symbolCount;
        seriesTable = sectionOffset[SERIES] + sectionLength[SERIES] - 8 * seriesCount;
        names = new String[nameCount];
        nameValueCount = new int[nameCount];
        nameTable = new int[nameCount];
        int li = sectionOffset[LABEL_INDEX];
        int prevRef = -1;
        for (int i = 0; i < nameCount; i++) {
            int e = li + NAME_ENTRY_SIZE * i;
            int ref = buf.getInt(e);
            int count = buf.getInt(e + 4);
            long table = buf.getLong(e + 8);
            if (ref <= prevRef || ref >= symbolCount || count <= 0 || table < (long) NAME_ENTRY_SIZE * nameCount
                    || table + (long) VALUE_ENTRY_SIZE * count > sectionLength[LABEL_INDEX]) {
                throw corrupt("LABEL_INDEX", "name entry " + i + " is invalid");
            }
            prevRef = ref;
            names[i] = symbol(ref);
            nameValueCount[i] = count;
            nameTable[i] = li + (int) table;
        }
    }

    /** Opens and fully verifies {@code file} (every section's checksum). */
    public static BlockIndexReader open(Path file) throws IOException {
        return open(file, true);
    }

    /**
     * Opens {@code file}; with {@code verifyChecksums} false only the header and TOC are checked
     * (for callers that run {@link #verify} themselves, e.g. in the background).
     *
     * @throws CorruptIndexException if a check fails
     */
    public static BlockIndexReader open(Path file, boolean verifyChecksums) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size > IndexWriter.MAX_FILE_SIZE) {
                throw new IOException("block index " + file + " is " + size
                        + " bytes; this version reads index files below 2 GiB only");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new BlockIndexReader(file, ch, map.order(ByteOrder.BIG_ENDIAN), verifyChecksums);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Checks the CRC32C of every section. */
    public void verify() {
        for (int s = 0; s < 4; s++) {
            CRC32C crc = new CRC32C();
            crc.update(buf.slice(sectionOffset[s], sectionLength[s]));
            if ((int) crc.getValue() != buf.getInt(sectionOffset[s] + sectionLength[s])) {
                throw corrupt(SECTION_NAMES[s], "checksum mismatch");
            }
        }
    }

    private CorruptIndexException corrupt(String part, String problem) {
        return new CorruptIndexException(file, part, problem);
    }

    private CorruptIndexException corrupt(int section, String problem, Throwable cause) {
        return new CorruptIndexException(file, SECTION_NAMES[section], problem, cause);
    }

    public Path file() {
        return file;
    }

    public int seriesCount() {
        return seriesCount;
    }

    public int symbolCount() {
        return symbolCount;
    }

    // ---- symbols ----

    /** Symbol {@code ref} as a string. */
    public String symbol(int ref) {
        if (ref < 0 || ref >= symbolCount) {
            throw corrupt(SYMBOLS, "symbol ref " + ref + " out of range (" + symbolCount + " symbols)", null);
        }
        int entry = entryStart(ref);
        long[] cursor = {entry};
        int len = (int) readUvarint(cursor, SYMBOLS);
        int at = (int) cursor[0];
        if (len < 0 || at + len > symbolTable) {
            throw corrupt(SYMBOLS, "symbol " + ref + " overruns the section", null);
        }
        byte[] b = new byte[len];
        buf.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private int entryStart(int ref) {
        int off = buf.getInt(symbolTable + 4 * ref);
        if (off < 0 || sectionOffset[SYMBOLS] + (long) off >= symbolTable) {
            throw corrupt(SYMBOLS, "offset of symbol " + ref + " out of range", null);
        }
        return sectionOffset[SYMBOLS] + off;
    }

    /** Calls {@code action} with every symbol in ascending order. */
    public void forEachSymbol(Consumer<String> action) {
        for (int i = 0; i < symbolCount; i++) {
            action.accept(symbol(i));
        }
    }

    /** The ref of {@code s}, or -1 if it is not a symbol; binary search comparing UTF-8 bytes in place. */
    int findSymbol(String s) {
        byte[] key = s.getBytes(StandardCharsets.UTF_8);
        int lo = 0;
        int hi = symbolCount - 1;
        long[] cursor = new long[1];
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            cursor[0] = entryStart(mid);
            int len = (int) readUvarint(cursor, SYMBOLS);
            int c = compareBytes((int) cursor[0], len, key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Compares the stored bytes at {@code at} with {@code key}, unsigned, shorter first. */
    private int compareBytes(int at, int len, byte[] key) {
        if (len < 0 || at + (long) len > symbolTable) {
            throw corrupt(SYMBOLS, "symbol overruns the section", null);
        }
        int n = Math.min(len, key.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(buf.get(at + i) & 0xFF, key[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(len, key.length);
    }

    private long readUvarint(long[] cursor, int section) {
        int p = (int) cursor[0];
        int end = sectionOffset[section] + sectionLength[section];
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) {
                throw corrupt(section, "varint runs past the section end", null);
            }
            byte b = buf.get(p++);
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                cursor[0] = p;
                return v;
            }
        }
        throw corrupt(section, "varint longer than 10 bytes", null);
    }

    private long readVarint(long[] cursor, int section) {
        long u = readUvarint(cursor, section);
        return (u >>> 1) ^ -(u & 1);
    }

    // ---- series ----

    /**
     * Reads series {@code ordinal}: returns its labels and, when {@code chunks} is not null,
     * replaces that holder's contents with the series' chunk metas.
     */
    public Labels series(int ordinal, ChunkMetas chunks) {
        if (ordinal < 0 || ordinal >= seriesCount) {
            throw new IndexOutOfBoundsException("series " + ordinal + " of " + seriesCount);
        }
        long off = buf.getLong(seriesTable + 8 * ordinal);
        if (off < 0 || sectionOffset[SERIES] + off >= seriesTable) {
            throw corrupt(SERIES, "offset of series " + ordinal + " out of range", null);
        }
        long[] cursor = {sectionOffset[SERIES] + off};
        int k = checkedCount(readUvarint(cursor, SERIES), "label count");
        String[] pairs = new String[2 * k];
        int name = 0;
        for (int i = 0; i < k; i++) {
            long d = readUvarint(cursor, SERIES);
            name = checkedRef(i == 0 ? d : name + d);
            pairs[2 * i] = symbol(name);
            pairs[2 * i + 1] = symbol(checkedRef(readUvarint(cursor, SERIES)));
        }
        int c = checkedCount(readUvarint(cursor, SERIES), "chunk count");
        if (chunks != null) {
            chunks.clear();
            long prevMaxt = 0;
            long prevRef = 0;
            for (int i = 0; i < c; i++) {
                long mint = i == 0 ? readVarint(cursor, SERIES) : prevMaxt + readVarint(cursor, SERIES);
                long maxt = mint + readUvarint(cursor, SERIES);
                long ref = i == 0 ? readUvarint(cursor, SERIES) : prevRef + readVarint(cursor, SERIES);
                chunks.add(mint, maxt, ref);
                prevMaxt = maxt;
                prevRef = ref;
            }
        }
        return Labels.of(pairs);
    }

    private int checkedCount(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE / 2) {
            throw corrupt(SERIES, what + " " + v + " is implausible", null);
        }
        return (int) v;
    }

    private int checkedRef(long v) {
        if (v < 0 || v >= symbolCount) {
            throw corrupt(SERIES, "symbol ref " + v + " out of range", null);
        }
        return (int) v;
    }

    @Override
    public Labels seriesLabels(int id) {
        return id >= 0 && id < seriesCount ? series(id, null) : null;
    }

    // ---- label index and postings ----

    private int nameIndex(String name) {
        return Arrays.binarySearch(names, name, CodePointOrder.INSTANCE);
    }

    private int valueRef(int nameIdx, int i) {
        return buf.getInt(nameTable[nameIdx] + VALUE_ENTRY_SIZE * i);
    }

    /** Position of {@code valueRef} in the name's value table, or -1. */
    private int findValue(int nameIdx, int ref) {
        int lo = 0;
        int hi = nameValueCount[nameIdx] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int r = valueRef(nameIdx, mid);
            if (r < ref) {
                lo = mid + 1;
            } else if (r > ref) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** First position in the name's value table whose value is ≥ {@code s} in code point order. */
    private int lowerBound(int nameIdx, String s) {
        byte[] key = s.getBytes(StandardCharsets.UTF_8);
        int lo = 0;
        int hi = nameValueCount[nameIdx];
        long[] cursor = new long[1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int ref = valueRef(nameIdx, mid);
            if (ref < 0 || ref >= symbolCount) {
                throw corrupt(LABEL_INDEX, "value ref " + ref + " out of range", null);
            }
            cursor[0] = entryStart(ref);
            int len = (int) readUvarint(cursor, SYMBOLS);
            if (compareBytes((int) cursor[0], len, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private RoaringBitmap readPostings(int nameIdx, int i) {
        int e = nameTable[nameIdx] + VALUE_ENTRY_SIZE * i;
        int len = buf.getInt(e + 4);
        long off = buf.getLong(e + 8);
        if (len <= 0 || off < 0 || off + len > sectionLength[POSTINGS]) {
            throw corrupt(LABEL_INDEX, "postings entry " + i + " of " + names[nameIdx] + " out of range", null);
        }
        RoaringBitmap r = new RoaringBitmap();
        try {
            r.deserialize(buf.slice(sectionOffset[POSTINGS] + (int) off, len));
        } catch (IOException | RuntimeException e2) {
            throw corrupt(POSTINGS, "postings of " + names[nameIdx] + " cannot be decoded", e2);
        }
        return r;
    }

    private String valueString(int nameIdx, int i) {
        int ref = valueRef(nameIdx, i);
        if (ref < 0 || ref >= symbolCount) {
            throw corrupt(LABEL_INDEX, "value ref " + ref + " out of range", null);
        }
        return symbol(ref);
    }

    @Override
    public List<String> labelNames() {
        return List.of(names);
    }

    @Override
    public List<String> labelNames(RoaringBitmap series) {
        List<String> out = new ArrayList<>();
        if (series.getCardinality() <= 1024) {
            Set<String> seen = new HashSet<>();
            for (IntIterator it = series.getIntIterator(); it.hasNext(); ) {
                Labels l = seriesLabels(it.next());
                if (l != null) {
                    for (int i = 0; i < l.size(); i++) {
                        seen.add(l.name(i));
                    }
                }
            }
            out.addAll(seen);
            out.sort(CodePointOrder.INSTANCE);
            return out;
        }
        for (int n = 0; n < names.length; n++) {
            for (int i = 0; i < nameValueCount[n]; i++) {
                if (RoaringBitmap.intersects(readPostings(n, i), series)) {
                    out.add(names[n]);
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public int labelValueCount(String name) {
        int n = nameIndex(name);
        return n < 0 ? 0 : nameValueCount[n];
    }

    @Override
    public List<String> labelValues(String name) {
        int n = nameIndex(name);
        if (n < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(nameValueCount[n]);
        for (int i = 0; i < nameValueCount[n]; i++) {
            out.add(valueString(n, i));
        }
        return out;
    }

    @Override
    public List<String> labelValues(String name, RoaringBitmap series) {
        int n = nameIndex(name);
        if (n < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (series.getCardinality() < nameValueCount[n]) {
            Set<String> seen = new HashSet<>();
            for (IntIterator it = series.getIntIterator(); it.hasNext(); ) {
                Labels l = seriesLabels(it.next());
                String v = l == null ? null : l.get(name);
                if (v != null) {
                    seen.add(v);
                }
            }
            out.addAll(seen);
            out.sort(CodePointOrder.INSTANCE);
            return out;
        }
        for (int i = 0; i < nameValueCount[n]; i++) {
            if (RoaringBitmap.intersects(readPostings(n, i), series)) {
                out.add(valueString(n, i));
            }
        }
        return out;
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
        int n = nameIndex(name);
        if (n < 0 || value.isEmpty()) {
            return new RoaringBitmap();
        }
        int ref = findSymbol(value);
        int i = ref < 0 ? -1 : findValue(n, ref);
        return i < 0 ? new RoaringBitmap() : readPostings(n, i);
    }

    @Override
    public RoaringBitmap postings(String name, Collection<String> values) {
        RoaringBitmap acc = new RoaringBitmap();
        int n = nameIndex(name);
        if (n < 0) {
            return acc;
        }
        List<RoaringBitmap> lists = new ArrayList<>(values.size());
        for (String v : values) {
            if (v.isEmpty()) {
                continue;
            }
            int ref = findSymbol(v);
            int i = ref < 0 ? -1 : findValue(n, ref);
            if (i >= 0) {
                lists.add(readPostings(n, i));
            }
        }
        return union(lists);
    }

    @Override
    public RoaringBitmap postingsForLabel(String name) {
        int n = nameIndex(name);
        if (n < 0) {
            return new RoaringBitmap();
        }
        List<RoaringBitmap> lists = new ArrayList<>(nameValueCount[n]);
        for (int i = 0; i < nameValueCount[n]; i++) {
            lists.add(readPostings(n, i));
        }
        return union(lists);
    }

    /**
     * One union of many lists: ORing them one by one into an accumulator re-merges its sorted
     * arrays every time, which costs 10x more for a regex over a hundred values.
     */
    private static RoaringBitmap union(List<RoaringBitmap> lists) {
        return switch (lists.size()) {
            case 0 -> new RoaringBitmap();
            case 1 -> lists.get(0);
            default -> FastAggregation.or(lists.iterator());
        };
    }

    @Override
    public RoaringBitmap postingsForLabelMatching(String name, String prefix, Predicate<String> accept) {
        RoaringBitmap acc = new RoaringBitmap();
        int n = nameIndex(name);
        if (n < 0) {
            return acc;
        }
        List<RoaringBitmap> lists = new ArrayList<>();
        int i = prefix.isEmpty() ? 0 : lowerBound(n, prefix);
        for (; i < nameValueCount[n]; i++) {
            String v = valueString(n, i);
            if (!v.startsWith(prefix)) {
                break;
            }
            if (accept.test(v)) {
                lists.add(readPostings(n, i));
            }
        }
        return union(lists);
    }

    @Override
    public RoaringBitmap allPostings() {
        RoaringBitmap r = new RoaringBitmap();
        r.add(0L, seriesCount);
        return r;
    }

    /** Closes the file; the mapping itself is released by the garbage collector. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
