package io.mantis.common.wal;

import io.mantis.common.fs.DirectoryLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmented write-ahead log of opaque records; the files are specified in docs/format/wal.md.
 *
 * <p>Typical life: {@link #open} (which cuts a torn tail off the last segment), {@link #replay}
 * to rebuild state, then {@link #append} from any number of threads, {@link Checkpoint#create}
 * and {@link #truncateBefore} to drop what is no longer needed, {@link #close}.
 *
 * <p><b>Group commit, leader/follower.</b> There is no writer thread: each appending thread
 * frames and writes its own batch under the write lock (one positional write per buffer-full,
 * so batches never interleave), then, with {@link FsyncPolicy#ALWAYS}, waits until an fsync that
 * started after its write has finished. The first waiter finding no fsync running leads one; it
 * covers every batch written before it started, and whoever wrote while it ran is covered by the
 * next one, led by one of them. An uncontended append therefore costs one write and one fsync
 * and no thread hand-off; N contending appenders share roughly one fsync per round. Rotation
 * takes the same "fsync token" as a leader, so a leader never forces a segment that is being
 * closed.
 *
 * <p>A failed fsync, or a failed write whose segment cannot be truncated back, makes every later
 * append throw until the WAL is opened again: after a failed fsync the kernel may have dropped
 * pages it never wrote, so a later fsync could report success for lost data.
 */
public final class WriteAheadLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);

    private final Path dir;
    private final WalConfig config;
    private final WalMetrics metrics;
    private final String name;
    private final boolean forceOnRotate;
    private final DirectoryLock lock;
    private final FrameWriter frames;

    /** Guards the segment being written and the numbering. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile FileChannel active;
    private volatile int activeNumber = -1;
    private long activeSize;
    private boolean activeHasBatch;
    private int nextNumber;
    private volatile boolean closed;

    /** Group commit: {@link #syncing} is the fsync token; {@link #durable} counts bytes on disk. */
    private final Object syncLock = new Object();
    private boolean syncing;
    private long durable;
    /** Frame bytes written since open; only grows. */
    private volatile long written;
    private volatile IOException failure;

    /** Serialises checkpoints of this WAL. */
    final Object checkpointLock = new Object();
    private final Thread intervalSyncer;

    private WriteAheadLog(Path dir, WalConfig config, WalMetrics metrics, DirectoryLock lock) {
        this.dir = dir;
        this.config = config;
        this.metrics = metrics;
        this.name = metrics.name();
        this.forceOnRotate = config.fsync() != FsyncPolicy.NEVER;
        this.lock = lock;
        this.frames = new FrameWriter((int) config.writeBufferSize().bytes());
        if (config.fsync() == FsyncPolicy.INTERVAL) {
            intervalSyncer = Thread.ofPlatform().daemon().name("wal-fsync-" + name).unstarted(this::syncEveryInterval);
        } else {
            intervalSyncer = null;
        }
    }

    /** Opens the WAL in {@code dir} (created if needed) with metrics nobody scrapes, named "wal". */
    public static WriteAheadLog open(Path dir, WalConfig config) throws IOException {
        return open(dir, config, WalMetrics.unregistered("wal"));
    }

    /**
     * Opens the WAL in {@code dir}, creating the directory if needed, and recovers it as
     * docs/format/wal.md, "Opening for writing", says: interrupted checkpoints and truncations
     * are cleaned up and a torn tail of the last segment is truncated (with a warning). Damage
     * elsewhere is left for {@link #replay} to report.
     *
     * @throws IOException the directory is unusable or another open WAL holds it
     */
    public static WriteAheadLog open(Path dir, WalConfig config, WalMetrics metrics) throws IOException {
        Files.createDirectories(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir.resolve(Segments.LOCK), "WAL directory", "another open WAL");
        WriteAheadLog wal = new WriteAheadLog(dir, config, metrics, lock);
        try {
            wal.recover();
        } catch (IOException | RuntimeException e) {
            wal.releaseLock();
            throw e;
        }
        if (wal.intervalSyncer != null) {
            wal.intervalSyncer.start();
        }
        return wal;
    }

    private void recover() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Segments.CHECKPOINT_PREFIX + "*"
                + Segments.TMP_SUFFIX)) {
            for (Path tmp : ds) {
                log.info("WAL {}: deleting {}, a checkpoint interrupted before it was complete", name,
                        tmp.getFileName());
                Segments.deleteRecursively(tmp);
            }
        }
        List<Integer> checkpoints = Segments.checkpoints(dir);
        int checkpoint = checkpoints.isEmpty() ? -1 : checkpoints.get(checkpoints.size() - 1);
        for (int i = 0; i < checkpoints.size() - 1; i++) {
            Segments.deleteRecursively(dir.resolve(Segments.checkpointName(checkpoints.get(i))));
        }
        List<Integer> segments = new ArrayList<>();
        for (int n : Segments.list(dir)) {
            if (n <= checkpoint) {
                // A truncation interrupted after its checkpoint was renamed into place.
                Files.deleteIfExists(dir.resolve(Segments.name(n)));
            } else {
                segments.add(n);
            }
        }
        if (!segments.isEmpty()) {
            int last = segments.get(segments.size() - 1);
            try {
                new WalReader(dir, name, metrics).repairTail(dir.resolve(Segments.name(last)), last);
            } catch (WalCorruptionException e) {
                // Damage, not a torn tail: replay reports it, and repair() needs this WAL open.
                log.error("WAL {}: {}", name, e.getMessage());
            }
        }
        nextNumber = nextNumber(checkpoint);
    }

    private int nextNumber(int checkpoint) throws IOException {
        int highest = checkpoint;
        for (int n : Segments.list(dir)) {
            highest = Math.max(highest, n);
        }
        return highest + 1;
    }

    /** Appends one record; see {@link #append(ByteBuffer...)}. */
    public int append(byte[] record) throws IOException {
        return append(ByteBuffer.wrap(record));
    }

    /**
     * Appends {@code records} (each from its position to its limit; positions are left as they
     * were) as one batch, and returns once the batch is written and, with
     * {@link FsyncPolicy#ALWAYS}, fsynced. The batch is durable together: a replay after a crash
     * sees all of its records or none.
     *
     * @return the number of the segment the batch went into
     * @throws IOException the batch could not be written or made durable; it is not acknowledged
     *     (it may still be replayed after a crash if its bytes reached the disk)
     * @throws IllegalArgumentException no records, or a record over 256 MiB
     */
    public int append(ByteBuffer... records) throws IOException {
        long bytes = FrameWriter.frameBytes(records);
        long end;
        int segment;
        writeLock.lock();
        try {
            checkWritable();
            if (active == null) {
                startSegment();
            } else if (activeHasBatch && activeSize + bytes > config.segmentSize().bytes()) {
                startSegment();
            }
            long start = activeSize;
            try {
                activeSize = frames.write(active, start, records);
            } catch (IOException e) {
                try {
                    active.truncate(start);
                } catch (IOException truncateFailure) {
                    e.addSuppressed(truncateFailure);
                    fail(e);
                }
                throw e;
            }
            activeHasBatch = true;
            end = written + bytes;
            written = end;
            segment = activeNumber;
        } finally {
            writeLock.unlock();
        }
        metrics.records.inc(records.length);
        metrics.bytes.inc(bytes);
        metrics.commits.inc();
        if (config.fsync() == FsyncPolicy.ALWAYS) {
            awaitDurable(end);
        }
        return segment;
    }

    /** Appends a batch given as a list; see {@link #append(ByteBuffer...)}. */
    public int append(List<ByteBuffer> records) throws IOException {
        return append(records.toArray(new ByteBuffer[0]));
    }

    /** Fsyncs everything written so far, whatever the policy. */
    public void sync() throws IOException {
        awaitDurable(written);
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new IOException("WAL " + name + " is closed");
        }
        IOException f = failure;
        if (f != null) {
            throw new IOException("WAL " + name + " failed earlier and refuses appends until it is reopened: "
                    + f.getMessage(), f);
        }
    }

    /** Closes the segment being written (if any) and starts the next; caller holds the write lock. */
    private void startSegment() throws IOException {
        FileChannel old = active;
        if (old == null) {
            active = Segments.create(dir, nextNumber);
            if (forceOnRotate) {
                Segments.forceDirectory(dir);
            }
        } else {
            acquireSyncToken();
            boolean ok = false;
            try {
                if (forceOnRotate) {
                    force(old);
                }
                FileChannel next = Segments.create(dir, nextNumber);
                if (forceOnRotate) {
                    Segments.forceDirectory(dir);
                }
                active = next;
                old.close();
                ok = true;
            } catch (IOException e) {
                fail(e);
                throw e;
            } finally {
                releaseSyncToken(ok && forceOnRotate ? written : -1);
            }
        }
        activeNumber = nextNumber++;
        activeSize = Segments.HEADER_SIZE;
        activeHasBatch = false;
        metrics.bytes.inc(Segments.HEADER_SIZE);
        metrics.currentSegment.set(activeNumber);
    }

    /**
     * Closes the segment being written, so that the next append starts a new one, and returns its
     * number (-1 if nothing has been appended since open). Used before a checkpoint that must
     * cover everything appended so far.
     */
    public int rotate() throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            if (active == null) {
                return -1;
            }
            int closedNumber = activeNumber;
            startSegment();
            return closedNumber;
        } finally {
            writeLock.unlock();
        }
    }

    // ---- group commit ----

    private void awaitDurable(long target) throws IOException {
        synchronized (syncLock) {
            while (durable < target) {
                IOException f = failure;
                if (f != null) {
                    throw new IOException("WAL " + name + " could not fsync: " + f.getMessage(), f);
                }
                if (!syncing) {
                    syncing = true;
                    break;
                }
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the WAL fsync; the batch is"
                            + " written but not known to be durable");
                }
            }
            if (durable >= target) {
                return;
            }
        }
        lead();
    }

    /** Runs one fsync holding the token: covers everything written before it starts. */
    private void lead() throws IOException {
        long upTo = written;
        FileChannel ch = active;
        boolean ok = false;
        try {
            if (ch != null) {
                force(ch);
            }
            ok = true;
        } catch (IOException e) {
            fail(e);
            throw e;
        } finally {
            releaseSyncToken(ok ? upTo : -1);
        }
    }

    private void force(FileChannel ch) throws IOException {
        long t0 = System.nanoTime();
        ch.force(false);
        metrics.fsyncs.inc();
        metrics.fsyncSeconds.observe((System.nanoTime() - t0) / 1e9);
    }

    private void acquireSyncToken() throws IOException {
        synchronized (syncLock) {
            boolean interrupted = false;
            while (syncing) {
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            syncing = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void releaseSyncToken(long nowDurable) {
        synchronized (syncLock) {
            syncing = false;
            if (nowDurable > durable) {
                durable = nowDurable;
            }
            syncLock.notifyAll();
        }
    }

    private void syncEveryInterval() {
        long intervalNanos = config.fsyncInterval().toNanos();
        while (true) {
            try {
                Thread.sleep(intervalNanos / 1_000_000, (int) (intervalNanos % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            if (closed || failure != null) {
                return;
            }
            try {
                awaitDurable(written);
            } catch (IOException e) {
                if (!closed) {
                    log.error("WAL {}: interval fsync failed; appends are refused until the WAL is reopened", name, e);
                }
                return;
            }
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
            log.error("WAL {}: a write or fsync failed; appends are refused until the WAL is reopened", name, e);
        }
        synchronized (syncLock) {
            syncLock.notifyAll();
        }
    }

    // ---- segments ----

    /** Numbers of the WAL's segment files (not a checkpoint's), ascending. */
    public List<Integer> segments() throws IOException {
        return Segments.list(dir);
    }

    /** The segment being written, or -1 when nothing has been appended since open. */
    public int currentSegment() {
        return activeNumber;
    }

    /** The newest complete checkpoint: the last segment it covers, or -1 when there is none. */
    public int lastCheckpoint() throws IOException {
        List<Integer> cps = Segments.checkpoints(dir);
        return cps.isEmpty() ? -1 : cps.get(cps.size() - 1);
    }

    /**
     * Deletes the segments numbered below {@code segment}, never the one being written. Their
     * records are gone for replay: checkpoint first if they are still needed.
     *
     * @return how many segment files were deleted
     */
    public int truncateBefore(int segment) throws IOException {
        int limit;
        writeLock.lock();
        try {
            limit = active != null ? Math.min(segment, activeNumber) : segment;
        } finally {
            writeLock.unlock();
        }
        int deleted = 0;
        for (int n : Segments.list(dir)) {
            if (n >= limit) {
                break;
            }
            if (Files.deleteIfExists(dir.resolve(Segments.name(n)))) {
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Replays the WAL through a {@link WalReader} (checkpoint, then segments). Only before the
     * first append since open.
     */
    public WalReader.ReplayResult replay(RecordHandler handler) throws IOException {
        writeLock.lock();
        try {
            if (active != null) {
                throw new IllegalStateException("replay the WAL before appending to it");
            }
            return new WalReader(dir, name, metrics).replay(handler);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Repairs the damage a replay reported (docs/format/wal.md, "Repair"): truncates the damaged
     * file after its last whole batch before the damage, deletes the later segments of its
     * sequence, and logs at error level what was lost. Only before the first append since open.
     *
     * @return bytes dropped (acknowledged data that is lost)
     */
    public long repair(WalCorruptionException damage) throws IOException {
        writeLock.lock();
        try {
            if (active != null) {
                throw new IllegalStateException("repair the WAL before appending to it");
            }
            Path file = damage.file();
            Path sequenceDir = file.getParent();
            long size = Files.exists(file) ? Files.size(file) : 0;
            long lost;
            if (damage.validBytes() < Segments.HEADER_SIZE) {
                Files.deleteIfExists(file);
                lost = size;
            } else {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(damage.validBytes());
                    ch.force(true);
                }
                lost = size - damage.validBytes();
            }
            List<String> deleted = new ArrayList<>();
            for (int n : Segments.list(sequenceDir)) {
                if (n > damage.segment()) {
                    Path later = sequenceDir.resolve(Segments.name(n));
                    lost += Files.size(later);
                    Files.delete(later);
                    deleted.add(later.getFileName().toString());
                }
            }
            Segments.forceDirectory(sequenceDir);
            nextNumber = nextNumber(lastCheckpoint());
            metrics.corruptionsRepaired.inc();
            log.error("WAL {}: repaired damage in {} at offset {} ({}): kept its first {} bytes, deleted later"
                    + " segments {}; {} bytes of acknowledged records are lost", name, file, damage.offset(),
                    damage.reason(), Math.max(0, damage.validBytes()), deleted, lost);
            return lost;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Called by a checkpoint of segments up to {@code upTo}: checks that they are closed, and makes
     * sure the next segment is numbered after the checkpoint.
     */
    void checkCheckpointable(int upTo) {
        writeLock.lock();
        try {
            if (upTo < 0) {
                throw new IllegalArgumentException("checkpoint segment must not be negative: " + upTo);
            }
            if (active != null && upTo >= activeNumber) {
                throw new IllegalArgumentException("cannot checkpoint up to segment " + upTo + ": segment "
                        + activeNumber + " is being written (rotate() first)");
            }
            if (active == null && upTo >= nextNumber) {
                throw new IllegalArgumentException("cannot checkpoint up to segment " + upTo
                        + ": the WAL's last segment is " + (nextNumber - 1));
            }
        } finally {
            writeLock.unlock();
        }
    }

    public Path dir() {
        return dir;
    }

    public WalConfig config() {
        return config;
    }

    public WalMetrics metrics() {
        return metrics;
    }

    /**
     * Fsyncs what was written (under every policy, unless the WAL has failed) and closes the
     * files. Appends still running may fail.
     */
    @Override
    public void close() throws IOException {
        IOException error = null;
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (intervalSyncer != null) {
                intervalSyncer.interrupt();
            }
            FileChannel ch = active;
            if (ch != null) {
                if (failure == null) {
                    acquireSyncToken();
                    try {
                        force(ch);
                    } catch (IOException e) {
                        error = e;
                    } finally {
                        releaseSyncToken(error == null ? written : -1);
                    }
                }
                try {
                    ch.close();
                } catch (IOException e) {
                    error = error == null ? e : error;
                }
            }
        } finally {
            writeLock.unlock();
            releaseLock();
        }
        if (error != null) {
            throw error;
        }
    }

    private void releaseLock() {
        try {
            lock.close();
        } catch (IOException e) {
            log.debug("WAL {}: releasing the directory lock failed", name, e);
        }
    }
}
