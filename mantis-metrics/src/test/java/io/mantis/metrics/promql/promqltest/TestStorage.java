package io.mantis.metrics.promql.promqltest;

import io.mantis.common.config.DataSize;
import io.mantis.common.wal.FsyncPolicy;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.metrics.tsdb.head.HeadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The store a script runs against: a real {@link Tsdb} in a folder of its own, replaced by an
 * empty one at every {@code clear}. The head is configured so that anything a script loads is
 * accepted: its block range is so long that no load ever falls "out of bounds" behind the newest
 * sample (every load counts from t = 0 again), and nothing is ever cut into blocks.
 */
final class TestStorage implements AutoCloseable {

    /** About 35,000 years: the head never refuses a sample for being too old, nor cuts a block. */
    static final long CHUNK_RANGE = 1L << 50;

    static final TsdbOptions OPTIONS = TsdbOptions.defaults()
            .withHead(new HeadOptions(CHUNK_RANGE, 0, HeadOptions.defaults().maxSamplesPerChunk(), 0))
            .withWal(TsdbOptions.defaults().wal().withSegmentSize(DataSize.ofMebibytes(1)).withFsync(FsyncPolicy.NEVER));

    private final Path root;
    private int generation;
    private Path dir;
    private Tsdb tsdb;

    TestStorage(Path root) {
        this.root = root;
    }

    /** The current store, opened on first use. */
    Tsdb tsdb() {
        if (tsdb == null) {
            open();
        }
        return tsdb;
    }

    /** Throws the data away: the next {@link #tsdb()} is an empty store. */
    void clear() {
        close();
    }

    private void open() {
        dir = root.resolve("tsdb-" + generation++);
        try {
            tsdb = Tsdb.openManual(dir, OPTIONS, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (tsdb == null) {
            return;
        }
        try {
            tsdb.close();
            deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            tsdb = null;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
