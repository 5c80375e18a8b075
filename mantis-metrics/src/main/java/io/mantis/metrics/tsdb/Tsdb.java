package io.mantis.metrics.tsdb;

import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.wal.WalMetrics;
import io.mantis.common.wal.WriteAheadLog;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.head.Head;
import io.mantis.metrics.tsdb.head.HeadStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics store: a head made durable by a write-ahead log (docs/format/tsdb.md). Opening it
 * replays the WAL, so every write acknowledged before a crash is back before the first new one is
 * taken.
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
    private volatile boolean ready;
    private volatile long corruptions;

    private Tsdb(Path dir, TsdbOptions options, MetricRegistry registry) throws IOException {
        this.dir = dir;
        this.options = options;
        Files.createDirectories(dir);
        Path walDir = dir.resolve("wal");
        WalMetrics walMetrics = registry == null ? WalMetrics.unregistered("metrics") : WalMetrics.register(registry, "metrics");
        this.wal = WriteAheadLog.open(walDir, options.wal(), walMetrics);
        this.walCodec = new TsdbWal(wal);
        this.head = new Head(options.head(), walCodec, dir.resolve("chunks_head"), HEAD_CHUNK_SEGMENT_BYTES);
        long started = System.nanoTime();
        TsdbWal.ReplayStats replayed = walCodec.replay(head);
        corruptions = replayed.corruptions();
        log.info("metrics store: replayed {} series and {} samples from the WAL in {} ms ({} series in the head)",
                replayed.series(), replayed.samples(), (System.nanoTime() - started) / 1_000_000, head.numSeries());
        if (registry != null) {
            HeadStats.register(registry, head);
        }
        ready = true;
    }

    /** Opens (creating if needed) the store in {@code dir}. */
    public static Tsdb open(Path dir, TsdbOptions options, MetricRegistry registry) throws IOException {
        return new Tsdb(dir, options, registry);
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

    public boolean isReady() {
        return ready;
    }

    public long corruptionCount() {
        return corruptions;
    }

    public Appender appender() {
        return head.appender();
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return head.querier(mint, maxt);
    }

    public List<Head.SeriesExemplars> exemplars(long mint, long maxt, Matcher... matchers) {
        return head.exemplars(mint, maxt, matchers);
    }

    public Map<String, List<Head.SeriesMetadata>> metadata() {
        return head.metadata();
    }

    /** Deletes the samples in [mint, maxt] of the matching series; durable when it returns. */
    public int delete(long mint, long maxt, Matcher... matchers) throws IOException {
        return head.delete(mint, maxt, matchers);
    }

    public TsdbStats stats(int limit) {
        return HeadStats.of(head, limit);
    }

    @Override
    public void close() throws IOException {
        ready = false;
        try {
            wal.close();
        } finally {
            head.close();
        }
    }
}
