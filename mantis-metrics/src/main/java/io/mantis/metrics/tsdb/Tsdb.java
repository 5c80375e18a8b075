package io.mantis.metrics.tsdb;

import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.wal.Checkpoint;
import io.mantis.common.wal.WalMetrics;
import io.mantis.common.wal.WriteAheadLog;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.block.Block;
import io.mantis.metrics.tsdb.block.BlockMeta;
import io.mantis.metrics.tsdb.block.BlockWriter;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.block.Blocks;
import io.mantis.metrics.tsdb.block.ChunkSeriesSets;
import io.mantis.metrics.tsdb.block.LeveledCompactor;
import io.mantis.metrics.tsdb.block.MergeQuerier;
import io.mantis.metrics.tsdb.block.Retention;
import io.mantis.metrics.tsdb.head.Head;
import io.mantis.metrics.tsdb.head.HeadStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics store (docs/format/tsdb.md): a head made durable by a write-ahead log, and immutable
 * blocks. Opening it replays the WAL, so every write acknowledged before a crash is back before the
 * first new one is taken. Maintenance (on a background thread, or {@link #maintain()}) cuts the head
 * into blocks once it spans 1.5 block ranges, checkpoints the WAL, compacts blocks and applies
 * retention.
 */
public final class Tsdb implements Queryable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Tsdb.class);

    /** Head chunk segment size: 128 MiB of address space each, filled as chunks are cut. */
    static final int HEAD_CHUNK_SEGMENT_BYTES = 128 * 1024 * 1024;

    private final Path dir;
    private final TsdbOptions options;
    private final Head head;
    private final WriteAheadLog wal;
    private final TsdbWal walCodec;
    private final LeveledCompactor compactor;
    private final Retention retention;
    /** Blocks by ascending minTime; replaced whole under {@link #blocksLock}, read without it. */
    private volatile List<Block> blocks = List.of();
    private final Object blocksLock = new Object();
    /** One maintenance or deletion at a time: a compaction must not miss a concurrent delete. */
    private final ReentrantLock maintenance = new ReentrantLock();
    private final ScheduledExecutorService background;
    private volatile boolean ready;
    private volatile long corruptions;

    final LongAdder headCuts = new LongAdder();
    final LongAdder compactions = new LongAdder();
    final LongAdder compactionFailures = new LongAdder();
    final LongAdder checkpoints = new LongAdder();
    final LongAdder retentionDeletions = new LongAdder();

    private Tsdb(Path dir, TsdbOptions options, MetricRegistry registry, boolean backgroundMaintenance)
            throws IOException {
        this.dir = dir;
        this.options = options;
        Files.createDirectories(dir);
        this.compactor = new LeveledCompactor(LeveledCompactor.exponentialRanges(options.head().chunkRange(),
                options.retentionTime()), options.head().maxSamplesPerChunk(), 512L * 1024 * 1024,
                options.blockChunkEncoding().encoding());
        this.retention = new Retention(options.retentionTime(), options.retentionBytes());
        Blocks.CleanUp cleaned = Blocks.cleanUp(dir);
        if (!cleaned.removedTemporary().isEmpty() || !cleaned.removedParents().isEmpty()) {
            log.info("metrics store: removed {} unfinished and {} already compacted block directories",
                    cleaned.removedTemporary().size(), cleaned.removedParents().size());
        }
        openBlocks();
        Path walDir = dir.resolve("wal");
        WalMetrics walMetrics = registry == null ? WalMetrics.unregistered("metrics") : WalMetrics.register(registry, "metrics");
        this.wal = WriteAheadLog.open(walDir, options.wal(), walMetrics);
        this.walCodec = new TsdbWal(wal);
        this.head = new Head(options.head(), walCodec, dir.resolve("chunks_head"), HEAD_CHUNK_SEGMENT_BYTES);
        long newestBlock = blocks.stream().mapToLong(Block::maxTime).max().orElse(Long.MIN_VALUE);
        // What blocks hold is not taken again (replay skips it too).
        head.setMinValidTime(newestBlock);
        long started = System.nanoTime();
        TsdbWal.ReplayStats replayed = walCodec.replay(head);
        corruptions += replayed.corruptions();
        log.info("metrics store: {} blocks; replayed {} series and {} samples from the WAL in {} ms ({} series in"
                        + " the head)", blocks.size(), replayed.series(), replayed.samples(),
                (System.nanoTime() - started) / 1_000_000, head.numSeries());
        if (registry != null) {
            HeadStats.register(registry, head);
            registerMetrics(registry);
        }
        if (backgroundMaintenance) {
            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mantis-tsdb-maintenance");
                t.setDaemon(true);
                return t;
            });
            background.scheduleWithFixedDelay(this::maintainQuietly, 1, 30, TimeUnit.SECONDS);
        } else {
            background = null;
        }
        ready = true;
    }

    /** Opens (creating if needed) the store in {@code dir}, with maintenance every 30 s. */
    public static Tsdb open(Path dir, TsdbOptions options, MetricRegistry registry) throws IOException {
        return new Tsdb(dir, options, registry, true);
    }

    /** Opens the store without background maintenance: the caller runs {@link #maintain()} (tests, tools). */
    public static Tsdb openManual(Path dir, TsdbOptions options, MetricRegistry registry) throws IOException {
        return new Tsdb(dir, options, registry, false);
    }

    private void openBlocks() throws IOException {
        List<Block> opened = new ArrayList<>();
        for (Path p : Blocks.list(dir)) {
            try {
                opened.add(Block.open(p, false));
            } catch (RuntimeException | IOException e) {
                // One damaged block must not take the rest of the data offline with it.
                corruptions++;
                log.error("metrics store: cannot open block {}, leaving it out: {}", p.getFileName(), e.getMessage());
            }
        }
        opened.sort(Comparator.comparingLong(Block::minTime));
        blocks = List.copyOf(opened);
    }

    private void registerMetrics(MetricRegistry registry) {
        registry.gaugeFn("mantis_tsdb_blocks_loaded", "Blocks the metrics store serves.", () -> blocks.size());
        registry.gaugeFn("mantis_tsdb_storage_blocks_bytes", "Bytes of the blocks on disk.",
                () -> blocks.stream().mapToLong(Block::sizeBytes).sum());
        registry.gaugeFn("mantis_tsdb_lowest_timestamp_seconds", "Oldest sample time the store holds.",
                () -> blocks.isEmpty() ? head.minTime() / 1000.0 : blocks.get(0).minTime() / 1000.0);
        registry.counterFn("mantis_tsdb_head_cuts", "Blocks cut from the head.", headCuts::sum);
        registry.counterFn("mantis_tsdb_compactions", "Block compactions done.", compactions::sum);
        registry.counterFn("mantis_tsdb_compactions_failed", "Maintenance runs that failed.", compactionFailures::sum);
        registry.counterFn("mantis_tsdb_checkpoints", "WAL checkpoints written.", checkpoints::sum);
        registry.counterFn("mantis_tsdb_retention_deleted_blocks", "Blocks deleted by retention.",
                retentionDeletions::sum);
    }

    public TsdbOptions options() {
        return options;
    }

    public Path dir() {
        return dir;
    }

    public Head head() {
        return head;
    }

    /** The blocks served now, oldest first. */
    public List<Block> blocks() {
        return blocks;
    }

    public boolean isReady() {
        return ready;
    }

    public long corruptionCount() {
        return corruptions;
    }

    public Appender appender() {
        return head.appender();
    }

    /**
     * A querier over the head and every block overlapping [mint, maxt]. Where a block and the head
     * (or a newer block) hold the same timestamp, the head, then the newest block, wins.
     */
    @Override
    public Querier querier(long mint, long maxt) {
        List<Querier> parts = new ArrayList<>();
        parts.add(head.querier(mint, maxt));
        synchronized (blocksLock) {
            List<Block> overlapping = new ArrayList<>();
            for (Block b : blocks) {
                if (b.minTime() <= maxt && b.maxTime() > mint) {
                    overlapping.add(b);
                }
            }
            overlapping.sort(Comparator.comparing(Block::ulid).reversed());
            for (Block b : overlapping) {
                parts.add(b.querier(mint, maxt));
            }
        }
        return MergeQuerier.of(parts);
    }

    public List<Head.SeriesExemplars> exemplars(long mint, long maxt, Matcher... matchers) {
        return head.exemplars(mint, maxt, matchers);
    }

    public Map<String, List<Head.SeriesMetadata>> metadata() {
        return head.metadata();
    }

    /** Deletes the samples in [mint, maxt] of the matching series, in the head and every block; durable. */
    public int delete(long mint, long maxt, Matcher... matchers) throws IOException {
        maintenance.lock();
        try {
            int n = head.delete(mint, maxt, matchers);
            for (Block b : blocks) {
                if (b.minTime() <= maxt && b.maxTime() > mint) {
                    n += b.delete(mint, maxt, matchers);
                }
            }
            return n;
        } finally {
            maintenance.unlock();
        }
    }

    public TsdbStats stats(int limit) {
        return HeadStats.of(head, limit);
    }

    // ------------------------------------------------------------------ maintenance

    private void maintainQuietly() {
        try {
            maintain();
        } catch (Throwable e) {
            compactionFailures.increment();
            log.error("metrics store: maintenance failed (retried in 30 s): {}", e.toString(), e);
        }
    }

    /** Cuts head blocks, checkpoints the WAL, compacts blocks and applies retention, as due. */
    public void maintain() throws IOException {
        maintenance.lock();
        try {
            boolean cut = false;
            while (cutHeadBlockIfDue()) {
                cut = true;
            }
            if (cut) {
                checkpointWal();
            }
            compactBlocks();
            applyRetention();
        } finally {
            maintenance.unlock();
        }
    }

    /** Writes the oldest full block range of the head as a block once the head spans 1.5 ranges. */
    private boolean cutHeadBlockIfDue() throws IOException {
        long range = options.head().chunkRange();
        long min = head.minTime();
        long max = head.maxTime();
        if (head.numSeries() == 0 || min == Long.MAX_VALUE || max - min <= range / 2 * 3) {
            return false;
        }
        long mint = Math.floorDiv(min, range) * range;
        long maxt = mint + range;
        // From now on nothing below maxt is taken: it belongs to the block being written.
        head.setMinValidTime(maxt);
        long started = System.nanoTime();
        BlockMeta meta;
        try (Querier q = head.querier(mint, maxt - 1)) {
            Encoding floats = options.blockChunkEncoding().encoding();
            meta = new BlockWriter(dir, options.head().maxSamplesPerChunk(), 512L * 1024 * 1024, floats)
                    .write(mint, maxt, ChunkSeriesSets.encode(q.select(true), options.head().maxSamplesPerChunk(), floats));
        }
        Block block = Block.open(dir.resolve(meta.ulid().toString()), false);
        addBlocks(List.of(block), List.of());
        int removed = head.truncateBefore(maxt);
        headCuts.increment();
        log.info("metrics store: cut block {} [{}, {}) from the head: {} series, {} samples, in {} ms; {} series"
                        + " left the head", meta.ulid(), mint, maxt, meta.stats().numSeries(), meta.stats().numSamples(),
                (System.nanoTime() - started) / 1_000_000, removed);
        return true;
    }

    /** Condenses the WAL segments before the current one: only what the head still holds is kept. */
    private void checkpointWal() throws IOException {
        int current = wal.rotate();
        int upTo = current - 1;
        if (upTo < 0 || upTo <= wal.lastCheckpoint()) {
            return;
        }
        long keepFrom = head.truncatedBefore();
        Checkpoint.Result r = Checkpoint.create(wal, upTo, walCodec.checkpointFilter(head, keepFrom));
        checkpoints.increment();
        log.info("metrics store: WAL checkpoint {}: kept {} of {} records, deleted {} segments", r.checkpoint(),
                r.recordsKept(), r.recordsRead(), r.segmentsDeleted());
    }

    private void compactBlocks() throws IOException {
        while (true) {
            List<Block> current = blocks;
            List<BlockMeta> plan = compactor.plan(current.stream().map(Block::meta).toList());
            if (plan.isEmpty()) {
                return;
            }
            Map<String, Block> byUlid = new HashMap<>();
            current.forEach(b -> byUlid.put(b.ulid().toString(), b));
            List<Block> parents = new ArrayList<>();
            for (BlockMeta m : plan) {
                Block b = byUlid.get(m.ulid().toString());
                if (b == null) {
                    return; // the block list changed under the plan; plan again next time
                }
                parents.add(b);
            }
            long started = System.nanoTime();
            Optional<BlockMeta> merged = compactor.compact(dir, parents);
            List<Block> added = new ArrayList<>();
            if (merged.isPresent()) {
                added.add(Block.open(dir.resolve(merged.get().ulid().toString()), false));
            }
            addBlocks(added, parents);
            compactions.increment();
            log.info("metrics store: compacted {} blocks into {} in {} ms", parents.size(),
                    merged.map(m -> m.ulid().toString()).orElse("nothing (all deleted)"),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void applyRetention() throws IOException {
        List<Block> expired = retention.expiredBlocks(blocks, otherBytes());
        if (expired.isEmpty()) {
            return;
        }
        addBlocks(List.of(), expired);
        retentionDeletions.add(expired.size());
        log.info("metrics store: retention deleted {} blocks ({})", expired.size(),
                expired.stream().map(b -> b.ulid().toString()).toList());
    }

    /** Bytes of the WAL and the head chunk files: the store's size besides its blocks. */
    private long otherBytes() {
        return sizeOf(dir.resolve("wal")) + sizeOf(dir.resolve("chunks_head"));
    }

    private static long sizeOf(Path p) {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted while we looked
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Swaps blocks in and out; removed ones are deleted once their last querier closes. */
    private void addBlocks(List<Block> add, List<Block> remove) throws IOException {
        synchronized (blocksLock) {
            List<Block> next = new ArrayList<>(blocks);
            next.removeAll(remove);
            next.addAll(add);
            next.sort(Comparator.comparingLong(Block::minTime));
            blocks = List.copyOf(next);
        }
        for (Block b : remove) {
            b.closeAndDelete();
        }
    }

    @Override
    public void close() throws IOException {
        ready = false;
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        maintenance.lock();
        try {
            try {
                wal.close();
            } finally {
                head.close();
                for (Block b : blocks) {
                    b.close();
                }
            }
        } finally {
            maintenance.unlock();
        }
    }
}
