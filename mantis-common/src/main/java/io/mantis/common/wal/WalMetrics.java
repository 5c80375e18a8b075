package io.mantis.common.wal;

import io.mantis.common.metrics.Counter;
import io.mantis.common.metrics.Gauge;
import io.mantis.common.metrics.Histogram;
import io.mantis.common.metrics.MetricRegistry;

/**
 * The {@code mantis_wal_*} self-metrics of one WAL, bound once to the {@code wal} label so the
 * write path only increments. Getters exist for tests and benchmarks.
 */
public final class WalMetrics {

    private static final double[] FSYNC_BUCKETS = {
        .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1
    };

    final Counter records;
    final Counter bytes;
    final Counter commits;
    final Counter fsyncs;
    final Histogram fsyncSeconds;
    final Gauge currentSegment;
    final Counter truncatedTails;
    final Counter corruptionsRepaired;
    private final String name;

    private WalMetrics(MetricRegistry r, String wal) {
        name = wal;
        records = r.counter("mantis_wal_records_written", "Records appended to the write-ahead log.", "wal")
                .labels(wal);
        bytes = r.counter("mantis_wal_bytes_written", "Bytes written to WAL segments, framing and headers included.",
                "wal").labels(wal);
        commits = r.counter("mantis_wal_commits", "Batches appended to the write-ahead log.", "wal").labels(wal);
        fsyncs = r.counter("mantis_wal_fsyncs", "Fsyncs of WAL segments.", "wal").labels(wal);
        fsyncSeconds = r.histogram("mantis_wal_fsync_duration_seconds", "Duration of WAL segment fsyncs.",
                FSYNC_BUCKETS, "wal").labels(wal);
        currentSegment = r.gauge("mantis_wal_segment_current", "Number of the WAL segment being written.", "wal")
                .labels(wal);
        truncatedTails = r.counter("mantis_wal_truncated_tails",
                "Torn WAL tails (batches cut short by a crash) truncated at recovery.", "wal").labels(wal);
        corruptionsRepaired = r.counter("mantis_wal_corruptions_repaired",
                "Damaged WAL segments repaired by truncation, losing acknowledged data.", "wal").labels(wal);
    }

    /** Registers (or joins) the WAL metric families in {@code registry} for the WAL named {@code wal}. */
    public static WalMetrics register(MetricRegistry registry, String wal) {
        return new WalMetrics(registry, wal);
    }

    /** Metrics that nobody scrapes, for tools and tests. */
    public static WalMetrics unregistered(String wal) {
        return new WalMetrics(new MetricRegistry(), wal);
    }

    /** The WAL's name: the {@code wal} label, also used in log lines. */
    public String name() {
        return name;
    }

    public long recordsWritten() {
        return (long) records.get();
    }

    public long bytesWritten() {
        return (long) bytes.get();
    }

    public long commits() {
        return (long) commits.get();
    }

    public long fsyncs() {
        return (long) fsyncs.get();
    }

    public long truncatedTails() {
        return (long) truncatedTails.get();
    }

    public long corruptionsRepaired() {
        return (long) corruptionsRepaired.get();
    }
}
