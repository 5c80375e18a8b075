/**
 * A generic segmented write-ahead log: batches of opaque records appended with group commit and a
 * choice of fsync policy, replay with torn-tail recovery, explicit repair of damage, and
 * checkpoints that condense old segments. The files are specified in docs/format/wal.md.
 *
 * <p>{@link io.mantis.common.wal.WriteAheadLog} writes, {@link io.mantis.common.wal.WalReader}
 * replays, {@link io.mantis.common.wal.Checkpoint} condenses; what a record means is the store's
 * business (the metrics store's codecs are in {@code io.mantis.metrics.tsdb.record}).
 */
package io.mantis.common.wal;
