package io.mantis.metrics.tsdb.index;

import io.mantis.otlp.prometheus.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes a block index file (docs/format/index.md) in one sequential pass: first every symbol
 * ({@link #addSymbol}, ascending), then every series ({@link #addSeries}, ascending label
 * order) with its chunk metas, then {@link #finish}. What stays in memory is what the end of
 * the file needs: the symbol list (to turn label strings into refs), the offsets of symbols and
 * series, and the postings being built (compressed bitmaps of series ordinals). Series entries
 * go straight to the file.
 *
 * <p>{@link #close} without a successful {@code finish} deletes the partial file. Not
 * thread-safe.
 */
public final class IndexWriter implements Closeable {

    static final byte[] MAGIC = {'M', 'I', 'D', 'X'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 8;
    static final int TOC_SIZE = 84;
    static final int NAME_ENTRY_SIZE = 16;
    static final int VALUE_ENTRY_SIZE = 16;
    static final String[] SECTION_NAMES = {"SYMBOLS", "SERIES", "POSTINGS", "LABEL_INDEX"};
    static final int SYMBOLS = 0;
    static final int SERIES = 1;
    static final int POSTINGS = 2;
    static final int LABEL_INDEX = 3;
    /** Version 1 readers map the file as one buffer. */
    static final long MAX_FILE_SIZE = Integer.MAX_VALUE;

    private static final int CACHE_SIZE = 4096;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    private final CRC32C crc = new CRC32C();
    private final long maxFileSize;
    /** File position of the next byte put (written or still buffered). */
    private long position;
    private final long[] sectionOffset = new long[4];
    private final long[] sectionLength = new long[4];
    private int stage = SYMBOLS;
    private boolean finished;
    private boolean failed;

    private final List<String> symbols = new ArrayList<>();
    private int[] symbolOffsets = new int[1024];
    private long[] seriesOffsets = new long[1024];
    private int seriesCount;
    private Labels lastSeries;
    private final Map<Long, RoaringBitmap> postings = new HashMap<>();
    // Direct-mapped cache of recent symbol lookups: label names and popular values repeat a lot.
    private final String[] cacheKeys = new String[CACHE_SIZE];
    private final int[] cacheRefs = new int[CACHE_SIZE];
    private byte[] scratch = new byte[256];

    private IndexWriter(Path file, FileChannel channel, long maxFileSize) {
        this.file = file;
        this.channel = channel;
        this.maxFileSize = maxFileSize;
    }

    /** Creates {@code file}, which must not exist. */
    public static IndexWriter create(Path file) throws IOException {
        return create(file, MAX_FILE_SIZE);
    }

    /** For tests of the size limit. */
    static IndexWriter create(Path file, long maxFileSize) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        IndexWriter w = new IndexWriter(file, ch, maxFileSize);
        try {
            // Straight to the file: the buffer's bytes are checksummed as part of a section.
            w.writeFully(ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).put((byte) VERSION).put(new byte[3]).flip());
            w.position = HEADER_SIZE;
            w.startSection(SYMBOLS);
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /**
     * Adds the next symbol: a label name or value used by the series to come. Symbols must be
     * non-empty and strictly ascending in {@link CodePointOrder}.
     */
    public void addSymbol(String symbol) throws IOException {
        checkOpen();
        if (stage != SYMBOLS) {
            throw new IllegalStateException("symbols must all be added before the first series");
        }
        if (symbol.isEmpty()) {
            throw new IllegalArgumentException("the empty string is not a symbol (empty label values are not stored)");
        }
        int n = symbols.size();
        if (n > 0 && CodePointOrder.INSTANCE.compare(symbols.get(n - 1), symbol) >= 0) {
            throw new IllegalArgumentException("symbols out of order: \"" + symbol + "\" after \"" + symbols.get(n - 1) + "\"");
        }
        long offset = position - sectionOffset[SYMBOLS];
        if (offset > Integer.MAX_VALUE || n == Integer.MAX_VALUE) {
            throw new IOException("symbol table of " + file + " exceeds the format's limits");
        }
        if (n == symbolOffsets.length) {
            symbolOffsets = Arrays.copyOf(symbolOffsets, n * 2);
        }
        symbolOffsets[n] = (int) offset;
        symbols.add(symbol);
        byte[] utf8 = symbol.getBytes(StandardCharsets.UTF_8);
        putUvarint(utf8.length);
        putBytes(utf8, 0, utf8.length);
    }

    /** Adds every symbol of {@code sortedSymbols}, which must iterate in ascending order. */
    public void addSymbols(Iterable<String> sortedSymbols) throws IOException {
        for (String s : sortedSymbols) {
            addSymbol(s);
        }
    }

    /**
     * Adds the next series with its chunk metas; series ordinals are assigned 0, 1, ... in call
     * order. Label sets must be strictly ascending ({@link Labels#compareTo}); empty-valued
     * labels are left out; every other name and value must have been added as a symbol.
     *
     * @return the series' ordinal
     */
    public int addSeries(Labels labels, ChunkMetas chunks) throws IOException {
        checkOpen();
        Objects.requireNonNull(labels, "labels");
        if (stage == SYMBOLS) {
            endSymbols();
        }
        if (lastSeries != null && lastSeries.compareTo(labels) >= 0) {
            throw new IllegalArgumentException("series out of order: " + labels + " after " + lastSeries);
        }
        if (seriesCount == Integer.MAX_VALUE) {
            throw new IOException("too many series for one block index: " + file);
        }
        int ordinal = seriesCount;
        int k = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.value(i).isEmpty()) {
                k++;
            }
        }
        // Resolve refs before writing anything, so that an unknown symbol leaves the file consistent.
        int[] refs = new int[2 * k];
        int j = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.value(i).isEmpty()) {
                refs[j++] = symbolRef(labels.name(i));
                refs[j++] = symbolRef(labels.value(i));
            }
        }
        int chunkCount = chunks == null ? 0 : chunks.size();
        for (int c = 0; c < chunkCount; c++) {
            if (chunks.maxTime(c) < chunks.minTime(c)) {
                throw new IllegalArgumentException("chunk " + c + " of " + labels + " has maxt < mint: " + chunks);
            }
        }
        if (seriesCount == seriesOffsets.length) {
            seriesOffsets = Arrays.copyOf(seriesOffsets, seriesCount * 2);
        }
        seriesOffsets[seriesCount++] = position - sectionOffset[SERIES];
        lastSeries = labels;
        putUvarint(k);
        int prevName = 0;
        for (int i = 0; i < k; i++) {
            int nameRef = refs[2 * i];
            putUvarint(i == 0 ? nameRef : nameRef - prevName);
            putUvarint(refs[2 * i + 1]);
            prevName = nameRef;
            postings.computeIfAbsent(((long) nameRef << 32) | refs[2 * i + 1], x -> new RoaringBitmap()).add(ordinal);
        }
        putUvarint(chunkCount);
        for (int c = 0; c < chunkCount; c++) {
            long mint = chunks.minTime(c);
            long maxt = chunks.maxTime(c);
            long ref = chunks.ref(c);
            if (c == 0) {
                putVarint(mint);
                putUvarint(maxt - mint);
                putUvarint(ref);
            } else {
                putVarint(mint - chunks.maxTime(c - 1));
                putUvarint(maxt - mint);
                putVarint(ref - chunks.ref(c - 1));
            }
        }
        return ordinal;
    }

    private int symbolRef(String s) {
        int slot = (s.hashCode() & 0x7fffffff) % CACHE_SIZE;
        String cached = cacheKeys[slot];
        if (cached != null && (cached == s || cached.equals(s))) {
            return cacheRefs[slot];
        }
        int ref = java.util.Collections.binarySearch(symbols, s, CodePointOrder.INSTANCE);
        if (ref < 0) {
            throw new IllegalArgumentException("label string \"" + s + "\" was not added as a symbol");
        }
        cacheKeys[slot] = s;
        cacheRefs[slot] = ref;
        return ref;
    }

    /** Writes postings, label index and table of contents, and forces the file to disk. */
    public void finish() throws IOException {
        checkOpen();
        try {
            if (stage == SYMBOLS) {
                endSymbols();
            }
            for (int i = 0; i < seriesCount; i++) {
                putLong(seriesOffsets[i]);
            }
            endSection(SERIES);

            long[] keys = new long[postings.size()];
            int n = 0;
            for (Long key : postings.keySet()) {
                keys[n++] = key;
            }
            Arrays.sort(keys);
            int[] lengths = new int[keys.length];
            long[] offsets = new long[keys.length];
            startSection(POSTINGS);
            for (int i = 0; i < keys.length; i++) {
                RoaringBitmap bitmap = postings.get(keys[i]);
                bitmap.runOptimize();
                int size = bitmap.serializedSizeInBytes();
                if (scratch.length < size) {
                    scratch = new byte[Math.max(size, scratch.length * 2)];
                }
                bitmap.serialize(ByteBuffer.wrap(scratch, 0, size).order(ByteOrder.LITTLE_ENDIAN));
                offsets[i] = position - sectionOffset[POSTINGS];
                lengths[i] = size;
                putBytes(scratch, 0, size);
            }
            postings.clear();
            endSection(POSTINGS);

            startSection(LABEL_INDEX);
            int names = 0;
            for (int i = 0; i < keys.length; i++) {
                if (i == 0 || (keys[i] >>> 32) != (keys[i - 1] >>> 32)) {
                    names++;
                }
            }
            long tableOffset = (long) NAME_ENTRY_SIZE * names;
            for (int i = 0; i < keys.length; ) {
                int nameRef = (int) (keys[i] >>> 32);
                int end = i;
                while (end < keys.length && (int) (keys[end] >>> 32) == nameRef) {
                    end++;
                }
                putInt(nameRef);
                putInt(end - i);
                putLong(tableOffset);
                tableOffset += (long) VALUE_ENTRY_SIZE * (end - i);
                i = end;
            }
            for (int i = 0; i < keys.length; i++) {
                putInt((int) keys[i]);
                putInt(lengths[i]);
                putLong(offsets[i]);
            }
            endSection(LABEL_INDEX);

            ByteBuffer toc = ByteBuffer.allocate(TOC_SIZE);
            for (int s = 0; s < 4; s++) {
                toc.putLong(sectionOffset[s]).putLong(sectionLength[s]);
            }
            toc.putInt(symbols.size()).putInt(seriesCount).putInt(names).putInt(0);
            CRC32C tocCrc = new CRC32C();
            tocCrc.update(toc.array(), 0, TOC_SIZE - 4);
            toc.putInt((int) tocCrc.getValue());
            putBytes(toc.array(), 0, TOC_SIZE);
            flush();
            channel.force(true);
            finished = true;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void endSymbols() throws IOException {
        for (int i = 0; i < symbols.size(); i++) {
            putInt(symbolOffsets[i]);
        }
        endSection(SYMBOLS);
        symbolOffsets = null;
        stage = SERIES;
        startSection(SERIES);
    }

    private void startSection(int section) {
        sectionOffset[section] = position;
        crc.reset();
    }

    private void endSection(int section) throws IOException {
        flush();
        sectionLength[section] = position - sectionOffset[section];
        ByteBuffer b = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
        writeFully(b);
        position += 4;
        crc.reset();
    }

    /** Number of series added so far. */
    public int seriesCount() {
        return seriesCount;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("index " + file + " is already finished");
        }
        if (failed) {
            throw new IllegalStateException("index " + file + " failed earlier and is incomplete");
        }
    }

    // ---- buffered output; the section CRC is updated with exactly the bytes flushed ----

    private void ensure(int n) throws IOException {
        if (buf.remaining() < n) {
            flush();
        }
    }

    private void flush() throws IOException {
        buf.flip();
        if (buf.hasRemaining()) {
            crc.update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            writeFully(buf);
        }
        buf.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void grow(long n) throws IOException {
        position += n;
        if (position + TOC_SIZE > maxFileSize) {
            failed = true;
            throw new IOException("block index " + file + " would exceed " + maxFileSize
                    + " bytes, the limit of format version 1 as implemented; make smaller blocks");
        }
    }

    private void putInt(int v) throws IOException {
        ensure(4);
        buf.putInt(v);
        grow(4);
    }

    private void putLong(long v) throws IOException {
        ensure(8);
        buf.putLong(v);
        grow(8);
    }

    private void putUvarint(long v) throws IOException {
        ensure(10);
        int n = 0;
        while ((v & ~0x7FL) != 0) {
            buf.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
            n++;
        }
        buf.put((byte) v);
        grow(n + 1);
    }

    private void putVarint(long v) throws IOException {
        putUvarint((v << 1) ^ (v >> 63));
    }

    private void putBytes(byte[] b, int off, int len) throws IOException {
        grow(len);
        while (len > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Deletes the file unless {@link #finish} completed. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (!finished) {
                Files.deleteIfExists(file);
            }
        }
    }
}
