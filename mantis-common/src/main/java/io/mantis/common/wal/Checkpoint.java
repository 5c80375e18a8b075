package io.mantis.common.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Condenses old segments into a checkpoint so they can be deleted (docs/format/wal.md,
 * "Checkpoints and truncation"): the kept records of the previous checkpoint and of the segments
 * up to N are written to {@code checkpoint.N.tmp}, fsynced and renamed into place; then the
 * segments up to N and older checkpoints are deleted.
 */
public final class Checkpoint {

    /**
     * What a checkpoint did.
     *
     * @param checkpoint the last segment the checkpoint covers
     * @param recordsRead records of the previous checkpoint and the segments it condensed
     * @param recordsKept records written to the checkpoint (kept as they were or rewritten)
     * @param bytesKept payload bytes written to the checkpoint
     * @param segmentsDeleted WAL segment files deleted after the checkpoint was in place
     */
    public record Result(int checkpoint, long recordsRead, long recordsKept, long bytesKept, int segmentsDeleted) {
    }

    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);

    private Checkpoint() {
    }

    /**
     * Checkpoints {@code wal} up to and including segment {@code upTo}, which must be closed
     * (below {@link WriteAheadLog#currentSegment()}; see {@link WriteAheadLog#rotate()}). May run
     * while other threads append. Damage in what it reads aborts it with a
     * {@link WalCorruptionException}, leaving the WAL as it was.
     *
     * @param keep decides for every record whether it is kept, rewritten or dropped
     */
    public static Result create(WriteAheadLog wal, int upTo, RecordFilter keep) throws IOException {
        synchronized (wal.checkpointLock) {
            wal.checkCheckpointable(upTo);
            Path dir = wal.dir();
            int previous = wal.lastCheckpoint();
            if (upTo <= previous) {
                return new Result(previous, 0, 0, 0, 0);
            }
            long started = System.nanoTime();
            Path tmp = dir.resolve(Segments.checkpointName(upTo) + Segments.TMP_SUFFIX);
            Segments.deleteRecursively(tmp);
            Files.createDirectory(tmp);
            WalReader reader = new WalReader(dir, wal.metrics().name(), wal.metrics());
            long read;
            Output out = new Output(tmp, wal.config());
            try {
                RecordHandler copy = (record, segment) -> {
                    ByteBuffer kept = keep.apply(record);
                    if (kept != null) {
                        out.write(kept);
                    }
                };
                long fromCheckpoint = previous >= 0 ? reader.readCheckpoint(previous, copy)[0] : 0;
                read = fromCheckpoint + reader.readSegments(previous + 1, upTo, copy)[0];
                out.finish();
            } catch (IOException | RuntimeException e) {
                out.abandon();
                Segments.deleteRecursively(tmp);
                throw e;
            }
            Segments.forceDirectory(tmp);
            Path target = dir.resolve(Segments.checkpointName(upTo));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Segments.forceDirectory(dir);

            int deleted = wal.truncateBefore(upTo + 1);
            List<Integer> checkpoints = Segments.checkpoints(dir);
            for (int cp : checkpoints) {
                if (cp < upTo) {
                    Segments.deleteRecursively(dir.resolve(Segments.checkpointName(cp)));
                }
            }
            log.info("WAL {}: checkpoint {} written in {} ms: kept {} of {} records ({} bytes), deleted {} segments",
                    wal.metrics().name(), target.getFileName(), (System.nanoTime() - started) / 1_000_000,
                    out.records, read, out.bytes, deleted);
            return new Result(upTo, read, out.records, out.bytes, deleted);
        }
    }

    /** Writes kept records, each a batch of one, into the checkpoint's own segments. */
    private static final class Output {
        private final Path dir;
        private final long segmentBytes;
        private final FrameWriter frames;
        private final ByteBuffer[] one = new ByteBuffer[1];
        private FileChannel channel;
        private int number = -1;
        private long size;
        long records;
        long bytes;

        Output(Path dir, WalConfig config) {
            this.dir = dir;
            this.segmentBytes = config.segmentSize().bytes();
            this.frames = new FrameWriter((int) Math.min(config.writeBufferSize().bytes(), 1 << 20));
        }

        void write(ByteBuffer record) throws IOException {
            one[0] = record;
            long frameBytes = FrameWriter.frameBytes(one);
            if (channel == null || (size > Segments.HEADER_SIZE && size + frameBytes > segmentBytes)) {
                next();
            }
            size = frames.write(channel, size, one);
            one[0] = null;
            records++;
            bytes += frameBytes - Segments.FRAME_OVERHEAD;
        }

        private void next() throws IOException {
            closeCurrent();
            number++;
            channel = Segments.create(dir, number);
            size = Segments.HEADER_SIZE;
        }

        private void closeCurrent() throws IOException {
            if (channel != null) {
                channel.force(false);
                channel.close();
                channel = null;
            }
        }

        /** Closes the last segment; a checkpoint without records still gets its (empty) segment 0. */
        void finish() throws IOException {
            if (number < 0) {
                next();
            }
            closeCurrent();
        }

        void abandon() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // The directory is deleted next.
            }
        }
    }
}
