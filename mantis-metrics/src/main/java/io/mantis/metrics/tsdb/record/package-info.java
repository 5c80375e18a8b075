/**
 * The metrics store's WAL records: series, float samples, native histogram samples (integer and
 * float), exemplars, metadata and tombstones, encoded into reusable buffers and decoded into
 * reusable holders by {@link io.mantis.metrics.tsdb.record.RecordCodec}. The byte layout is in
 * docs/format/wal.md, "Metrics store records"; the WAL itself is {@code io.mantis.common.wal}.
 */
package io.mantis.metrics.tsdb.record;
