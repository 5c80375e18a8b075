package io.mantis.common.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a WAL directory: the newest checkpoint, then every segment after it, in order (see
 * docs/format/wal.md, "Reading"). A torn tail of the last segment is truncated with a warning
 * before any of that segment's records is delivered; damage anywhere else stops the replay with
 * a {@link WalCorruptionException}, which {@link WriteAheadLog#repair} can act on.
 *
 * <p>Records are handed over as views into one reused buffer. Replay must not run while the WAL
 * is being appended to: replay first, then append.
 */
public final class WalReader {

    /**
     * What a replay read.
     *
     * @param checkpoint the checkpoint replayed first, or -1
     * @param firstSegment the first segment replayed after it, or -1 when none
     * @param lastSegment the last segment replayed, or -1 when none
     * @param records records delivered, checkpoint included
     * @param bytes payload bytes delivered
     * @param tailBytesDropped bytes of a torn tail truncated away (not acknowledged data)
     */
    public record ReplayResult(int checkpoint, int firstSegment, int lastSegment, long records, long bytes,
                               long tailBytesDropped) {
    }

    private static final Logger log = LoggerFactory.getLogger(WalReader.class);

    private final Path dir;
    private final String name;
    private final WalMetrics metrics;
    private final SegmentScanner scanner = new SegmentScanner();

    /** A reader of the WAL in {@code dir}; log lines name it "wal". */
    public WalReader(Path dir) {
        this(dir, "wal", null);
    }

    /**
     * @param name the WAL's name in log lines (the store's: "metrics", ...)
     * @param metrics where to count truncated tails, or null
     */
    public WalReader(Path dir, String name, WalMetrics metrics) {
        this.dir = dir;
        this.name = name;
        this.metrics = metrics;
    }

    /** Replays everything, see the class comment. */
    public ReplayResult replay(RecordHandler handler) throws IOException {
        List<Integer> checkpoints = Segments.checkpoints(dir);
        int checkpoint = checkpoints.isEmpty() ? -1 : checkpoints.get(checkpoints.size() - 1);
        long records = 0;
        long bytes = 0;
        if (checkpoint >= 0) {
            long[] counts = readCheckpoint(checkpoint, handler);
            records += counts[0];
            bytes += counts[1];
        }
        List<Integer> all = Segments.list(dir);
        List<Integer> segments = all.stream().filter(n -> n > checkpoint).toList();
        long dropped = 0;
        int first = -1;
        int last = -1;
        for (int i = 0; i < segments.size(); i++) {
            int n = segments.get(i);
            Path file = dir.resolve(Segments.name(n));
            if (i > 0 && n != segments.get(i - 1) + 1) {
                throw new WalCorruptionException(file, n, 0, 0, "segments " + (segments.get(i - 1) + 1) + " to "
                        + (n - 1) + " are missing");
            }
            boolean isLast = i == segments.size() - 1;
            long limit = -1;
            if (isLast) {
                long size = Files.size(file);
                limit = repairTail(file, n);
                if (limit < 0) {
                    dropped += size;
                    continue;
                }
                dropped += size - limit;
            }
            SegmentScanner.Result r = scanner.scan(file, n, limit, handler, n);
            if (!r.clean()) {
                throw corruption(file, n, r);
            }
            records += r.records;
            bytes += r.payloadBytes;
            first = first < 0 ? n : first;
            last = n;
        }
        return new ReplayResult(checkpoint, first, last, records, bytes, dropped);
    }

    /**
     * Reads segments {@code from} to {@code to} (both included, those present), strictly: any
     * failure, even at the end of the last of them, is damage. For checkpoints, which read
     * segments that are complete.
     */
    long[] readSegments(int from, int to, RecordHandler handler) throws IOException {
        long records = 0;
        long bytes = 0;
        int prev = -1;
        for (int n : Segments.list(dir)) {
            if (n < from || n > to) {
                continue;
            }
            Path file = dir.resolve(Segments.name(n));
            if (prev >= 0 && n != prev + 1) {
                throw new WalCorruptionException(file, n, 0, 0, "segments " + (prev + 1) + " to " + (n - 1)
                        + " are missing");
            }
            prev = n;
            SegmentScanner.Result r = scanner.scan(file, n, -1, handler, n);
            if (!r.clean()) {
                throw corruption(file, n, r);
            }
            records += r.records;
            bytes += r.payloadBytes;
        }
        return new long[] {records, bytes};
    }

    /** Reads checkpoint {@code number} strictly; its records are reported as of segment {@code number}. */
    long[] readCheckpoint(int number, RecordHandler handler) throws IOException {
        Path cpDir = dir.resolve(Segments.checkpointName(number));
        long records = 0;
        long bytes = 0;
        int prev = -1;
        for (int n : Segments.list(cpDir)) {
            Path file = cpDir.resolve(Segments.name(n));
            if (n != prev + 1) {
                throw new WalCorruptionException(file, n, 0, 0, "checkpoint segments " + (prev + 1) + " to "
                        + (n - 1) + " are missing");
            }
            prev = n;
            SegmentScanner.Result r = scanner.scan(file, n, -1, handler, number);
            if (!r.clean()) {
                throw corruption(file, n, r);
            }
            records += r.records;
            bytes += r.payloadBytes;
        }
        return new long[] {records, bytes};
    }

    /**
     * Cuts a torn tail off the last segment (see the format's "Reading"): returns how many bytes
     * of it hold whole batches, or -1 when the file was deleted as a segment whose creation was
     * cut short.
     *
     * @throws WalCorruptionException the segment's header is damaged although records follow it
     */
    long repairTail(Path file, int number) throws IOException {
        SegmentScanner.Result r = scanner.scan(file, number, -1, null, number);
        if (r.headerProblem != null) {
            if (r.size <= Segments.HEADER_SIZE) {
                Files.delete(file);
                log.warn("WAL {}: deleted segment {} whose creation was cut short ({}, {} bytes)", name, file,
                        r.headerProblem, r.size);
                countTail();
                return -1;
            }
            throw corruption(file, number, r);
        }
        if (r.batchEnd < r.size) {
            String reason = r.failure != null ? r.failure : "a batch without its last record";
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(r.batchEnd);
                ch.force(true);
            }
            log.warn("WAL {}: truncated torn tail of segment {} at offset {}: dropped {} bytes ({}); normally a"
                    + " batch that was being written when the process stopped, not yet acknowledged", name, file,
                    r.batchEnd, r.size - r.batchEnd, reason);
            countTail();
        }
        return r.batchEnd;
    }

    private void countTail() {
        if (metrics != null) {
            metrics.truncatedTails.inc();
        }
    }

    private static WalCorruptionException corruption(Path file, int number, SegmentScanner.Result r) {
        long offset = r.headerProblem != null ? 0 : r.failure != null ? r.framesEnd : r.batchEnd;
        long valid = r.headerProblem != null ? 0 : r.batchEnd;
        return new WalCorruptionException(file, number, offset, valid, r.problem());
    }
}
