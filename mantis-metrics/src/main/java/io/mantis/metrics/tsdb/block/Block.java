package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Queryable;
import io.mantis.metrics.tsdb.Series;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunks.ChunkReader;
import io.mantis.metrics.tsdb.chunks.CorruptChunkFileException;
import io.mantis.metrics.tsdb.index.BlockIndexReader;
import io.mantis.metrics.tsdb.index.ChunkMetas;
import io.mantis.metrics.tsdb.index.CorruptIndexException;
import io.mantis.metrics.tsdb.index.PostingsForMatchers;
import io.mantis.otlp.prometheus.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open, immutable block (docs/format/tsdb.md): its meta, the memory-mapped index and chunk
 * files, and its tombstones. Queriers pin the block: {@link #close} (and {@link #closeAndDelete})
 * release the files, and delete the directory, only once the last querier is closed, so retention
 * and compaction can drop a block that a query is still reading. Thread-safe.
 */
public final class Block implements Queryable, Closeable {

    private static final Logger log = LoggerFactory.getLogger(Block.class);

    private final Path dir;
    private final BlockIndexReader index;
    private final ChunkReader chunks;
    private volatile BlockMeta meta;
    private volatile Tombstones tombstones;
    private volatile long sizeBytes;
    private final Object deleteLock = new Object();

    private int refs;
    private boolean closing;
    private boolean released;
    private boolean deleteWhenReleased;

    private Block(Path dir, BlockMeta meta, BlockIndexReader index, ChunkReader chunks, Tombstones tombstones,
            long sizeBytes) {
        this.dir = dir;
        this.meta = meta;
        this.index = index;
        this.chunks = chunks;
        this.tombstones = tombstones;
        this.sizeBytes = sizeBytes;
    }

    /** Opens {@code dir}, verifying every index section's checksum and each chunk's as it is read. */
    public static Block open(Path dir) throws IOException {
        return open(dir, true);
    }

    /**
     * Opens a block directory.
     *
     * @param verify check all index checksums now and every chunk's checksum when it is read;
     *     without it only headers and the index TOC are checked
     * @throws CorruptBlockException naming the block if a file is missing or damaged, or meta.json
     *     is invalid or of an unknown version
     */
    public static Block open(Path dir, boolean verify) throws IOException {
        BlockMeta meta = BlockMeta.read(dir);
        // Left by a crash while a deletion replaced these files; the originals are intact.
        Files.deleteIfExists(dir.resolve(BlockMeta.FILE_NAME + ".tmp"));
        Files.deleteIfExists(dir.resolve(Tombstones.FILE_NAME + ".tmp"));
        BlockIndexReader index;
        try {
            index = BlockIndexReader.open(dir.resolve("index"), verify);
        } catch (NoSuchFileException e) {
            throw new CorruptBlockException(dir, "no index file");
        } catch (CorruptIndexException e) {
            throw new CorruptBlockException(dir, e.getMessage(), e);
        }
        try {
            if (!Files.isDirectory(dir.resolve("chunks"))) {
                throw new CorruptBlockException(dir, "no chunks directory");
            }
            ChunkReader chunks;
            try {
                chunks = new ChunkReader(dir.resolve("chunks"), verify);
            } catch (CorruptChunkFileException e) {
                throw new CorruptBlockException(dir, e.getMessage(), e);
            }
            Tombstones tombstones = Tombstones.read(dir, index.seriesCount());
            if (tombstones.numIntervals() != meta.stats().numTombstones()) {
                // meta.json is rewritten after the tombstones file; a crash between leaves it stale
                meta = meta.withTombstones(tombstones.numIntervals());
            }
            return new Block(dir, meta, index, chunks, tombstones, FileUtil.sizeOf(dir));
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public BlockMeta meta() {
        return meta;
    }

    public Ulid ulid() {
        return meta.ulid();
    }

    /** Inclusive. */
    public long minTime() {
        return meta.minTime();
    }

    /** Exclusive. */
    public long maxTime() {
        return meta.maxTime();
    }

    /** Bytes of the block's files (for size retention). */
    public long sizeBytes() {
        return sizeBytes;
    }

    public Tombstones tombstones() {
        return tombstones;
    }

    /** Number of series in the block's index. */
    public int numSeries() {
        return index.seriesCount();
    }

    BlockIndexReader index() {
        return index;
    }

    ChunkReader chunkReader() {
        return chunks;
    }

    // ---- reference counting ----

    /** Pins the block; false if it is closing. Every successful call needs one {@link #release}. */
    synchronized boolean tryAcquire() {
        if (closing) {
            return false;
        }
        refs++;
        return true;
    }

    void release() {
        boolean finish;
        synchronized (this) {
            if (refs <= 0) {
                throw new IllegalStateException("block " + dir + " released more often than acquired");
            }
            refs--;
            finish = closing && refs == 0 && !released;
            if (finish) {
                released = true;
            }
        }
        if (finish) {
            releaseFiles();
        }
    }

    /** Number of open queriers (and compactions) pinning the block. */
    public synchronized int pins() {
        return refs;
    }

    public synchronized boolean isClosed() {
        return closing;
    }

    /**
     * Closes the block: no new querier can be opened, and the files are released once the last
     * open querier is closed (now, if there is none). Idempotent.
     */
    @Override
    public void close() {
        boolean finish;
        synchronized (this) {
            closing = true;
            finish = refs == 0 && !released;
            if (finish) {
                released = true;
            }
        }
        if (finish) {
            releaseFiles();
        }
    }

    /**
     * Like {@link #close}, and deletes the block directory (renamed to {@code .tmp-for-deletion}
     * first) once the last querier is closed; on the calling thread if none is open, else on the
     * thread closing the last querier. A failed delete is logged; start-up removes what is left.
     */
    public void closeAndDelete() {
        boolean deleteNow;
        synchronized (this) {
            deleteWhenReleased = true;
            deleteNow = released; // already closed earlier: nothing else will delete it
        }
        if (deleteNow) {
            deleteDir();
        } else {
            close();
        }
    }

    private void releaseFiles() {
        try {
            index.close();
        } catch (IOException e) {
            log.warn("closing the index of block {} failed: {}", dir, e.toString());
        }
        chunks.close();
        boolean delete;
        synchronized (this) {
            delete = deleteWhenReleased;
        }
        if (delete) {
            deleteDir();
        }
    }

    private void deleteDir() {
        try {
            Blocks.delete(dir);
        } catch (IOException e) {
            log.warn("deleting block {} failed (start-up clean-up will retry): {}", dir, e.toString());
        }
    }

    // ---- queries ----

    /**
     * A querier over {@code [mint, maxt]} (both inclusive) that pins the block until closed.
     *
     * @throws IllegalStateException if the block is closed
     */
    @Override
    public Querier querier(long mint, long maxt) {
        if (!tryAcquire()) {
            throw new IllegalStateException("block " + dir + " is closed");
        }
        return new BlockQuerier(mint, maxt, tombstones);
    }

    private <T> T guard(Supplier<T> read) {
        try {
            return read.get();
        } catch (CorruptIndexException | CorruptChunkFileException e) {
            throw new CorruptBlockException(dir, e.getMessage(), e);
        }
    }

    /**
     * Records the deletion of the samples in {@code [mint, maxt]} of every series matching
     * {@code matchers} (a new tombstones file, then meta.json, each replaced atomically). Queriers
     * opened afterwards see it; the samples are dropped for good at the next compaction.
     *
     * @return the number of series that got a tombstone
     * @throws IllegalStateException if the block is closed
     */
    public int delete(long mint, long maxt, Matcher... matchers) throws IOException {
        if (!tryAcquire()) {
            throw new IllegalStateException("block " + dir + " is closed");
        }
        try {
            synchronized (deleteLock) {
                BlockMeta m = meta;
                long lo = Math.max(mint, m.minTime());
                long hi = Math.min(maxt, m.maxTime() - 1);
                if (lo > hi) {
                    return 0;
                }
                RoaringBitmap selected = guard(() -> PostingsForMatchers.select(index, matchers));
                Tombstones current = tombstones;
                Tombstones.Builder b = current.toBuilder();
                ChunkMetas metas = new ChunkMetas();
                int count = 0;
                IntIterator it = selected.getIntIterator();
                while (it.hasNext()) {
                    int ord = it.next();
                    guard(() -> index.series(ord, metas));
                    for (int c = 0; c < metas.size(); c++) {
                        if (metas.minTime(c) <= hi && metas.maxTime(c) >= lo) {
                            b.add(ord, lo, hi);
                            count++;
                            break;
                        }
                    }
                }
                if (count == 0) {
                    return 0;
                }
                Tombstones next = b.build();
                if (next.equals(current)) {
                    return count;
                }
                next.write(dir);
                tombstones = next;
                BlockMeta nm = m.withTombstones(next.numIntervals());
                nm.write(dir);
                meta = nm;
                sizeBytes = FileUtil.sizeOf(dir);
                return count;
            }
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        BlockMeta m = meta;
        return "block " + m.ulid() + " [" + m.minTime() + ", " + m.maxTime() + ") level " + m.compaction().level();
    }

    /** Reads the block over [mint, maxt] with the tombstones current when it was opened. */
    private final class BlockQuerier implements Querier {
        private final long mint;
        private final long maxt;
        private final Tombstones deleted;
        private final AtomicBoolean closed = new AtomicBoolean();

        BlockQuerier(long mint, long maxt, Tombstones deleted) {
            this.mint = mint;
            this.maxt = maxt;
            this.deleted = deleted;
        }

        private boolean outside() {
            return !meta.overlapsClosed(mint, maxt);
        }

        private void checkOpen() {
            if (closed.get()) {
                throw new IllegalStateException("querier of block " + dir + " is closed");
            }
        }

        @Override
        public SeriesSet select(boolean sorted, Matcher... matchers) {
            checkOpen();
            if (outside()) {
                return SeriesSet.empty();
            }
            RoaringBitmap selected = guard(() -> PostingsForMatchers.select(index, matchers));
            IntIterator ords = selected.getIntIterator();
            return new SeriesSet() {
                private final ChunkMetas metas = new ChunkMetas();
                private final BlockSeries current = new BlockSeries(metas);

                @Override
                public boolean next() {
                    while (ords.hasNext()) {
                        int ord = ords.next();
                        Labels l = guard(() -> index.series(ord, metas));
                        Intervals del = deleted.get(ord);
                        if (hasChunkInRange(del)) {
                            current.labels = l;
                            current.deleted = del;
                            return true;
                        }
                    }
                    current.labels = null;
                    return false;
                }

                private boolean hasChunkInRange(Intervals del) {
                    for (int c = 0; c < metas.size(); c++) {
                        long lo = Math.max(metas.minTime(c), mint);
                        long hi = Math.min(metas.maxTime(c), maxt);
                        if (lo <= hi && !del.covers(lo, hi)) {
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public Series at() {
                    return current;
                }
            };
        }

        private final class BlockSeries implements Series {
            private final ChunkMetas metas;
            Labels labels;
            Intervals deleted;

            BlockSeries(ChunkMetas metas) {
                this.metas = metas;
            }

            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public ChunkIterator iterator(ChunkIterator reuse) {
                ChunksIterator it = reuse instanceof ChunksIterator ci ? ci : new ChunksIterator();
                it.reset(chunks, dir, metas, deleted, mint, maxt);
                return it;
            }
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
            checkOpen();
            if (outside()) {
                return List.of();
            }
            List<String> names = guard(() -> matchers.length == 0 ? index.labelNames()
                    : index.labelNames(PostingsForMatchers.select(index, matchers)));
            return naturalOrder(names);
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
            checkOpen();
            if (outside()) {
                return List.of();
            }
            List<String> values = guard(() -> matchers.length == 0 ? index.labelValues(name)
                    : index.labelValues(name, PostingsForMatchers.select(index, matchers)));
            return naturalOrder(values);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release();
            }
        }
    }

    /** The index sorts by code point; queriers sort like {@link String#compareTo}, as the head does. */
    private static List<String> naturalOrder(List<String> l) {
        List<String> out = new ArrayList<>(l);
        out.sort(null);
        return out;
    }
}
