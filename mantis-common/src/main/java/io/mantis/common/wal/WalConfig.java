package io.mantis.common.wal;

import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.DataSize;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one write-ahead log, bound from a store's {@code wal:} section.
 *
 * @param segmentSize the size at which a segment is closed and the next one started; a target, not
 *     a limit: a batch is never split, so one larger than this gets a segment of its own
 * @param fsync when appends are forced to disk
 * @param fsyncInterval how often {@link FsyncPolicy#INTERVAL} fsyncs; ignored by the other policies
 * @param writeBufferSize the writer's buffer for framing a batch; a batch larger than this is
 *     written in several system calls (still before {@code append} returns)
 */
public record WalConfig(DataSize segmentSize, FsyncPolicy fsync, Duration fsyncInterval, DataSize writeBufferSize) {

    /** Smallest segment size accepted: small enough for tests that want many segments. */
    public static final long MIN_SEGMENT_BYTES = 4 * 1024;
    /** Largest segment size accepted; segment offsets stay far from any 32-bit limit of tools. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public static final WalConfig DEFAULTS = new WalConfig(DataSize.ofMebibytes(128), FsyncPolicy.ALWAYS,
            Duration.ofMillis(200), DataSize.ofKibibytes(256));

    public WalConfig {
        Objects.requireNonNull(segmentSize, "segment_size");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsync_interval");
        Objects.requireNonNull(writeBufferSize, "write_buffer_size");
        if (segmentSize.bytes() < MIN_SEGMENT_BYTES || segmentSize.bytes() > MAX_SEGMENT_BYTES) {
            throw new ConfigValueException("segment_size", "must be between " + DataSize.ofBytes(MIN_SEGMENT_BYTES)
                    + " and " + DataSize.ofBytes(MAX_SEGMENT_BYTES) + ", got " + segmentSize);
        }
        if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new ConfigValueException("fsync_interval", "must be positive, got " + fsyncInterval);
        }
        if (fsyncInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigValueException("fsync_interval", "must be at most 1h, got " + fsyncInterval);
        }
        if (writeBufferSize.bytes() < 4096 || writeBufferSize.bytes() > 64L * 1024 * 1024) {
            throw new ConfigValueException("write_buffer_size", "must be between 4KiB and 64MiB, got "
                    + writeBufferSize);
        }
    }

    /** A copy with another segment size. */
    public WalConfig withSegmentSize(DataSize size) {
        return new WalConfig(size, fsync, fsyncInterval, writeBufferSize);
    }

    /** A copy with another fsync policy. */
    public WalConfig withFsync(FsyncPolicy policy) {
        return new WalConfig(segmentSize, policy, fsyncInterval, writeBufferSize);
    }
}
