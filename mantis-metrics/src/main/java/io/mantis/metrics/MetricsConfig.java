package io.mantis.metrics;

import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.DataSize;
import io.mantis.common.config.Endpoint;
import io.mantis.common.wal.WalConfig;
import io.mantis.metrics.tsdb.BlockChunkEncoding;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.TranslationSettings;
import java.time.Duration;

/**
 * The {@code metrics:} section: the metrics store (Prometheus' role).
 *
 * @param endpoint        where the Prometheus HTTP API listens; when absent, {@code server.host}:9090
 * @param retention       how long and how much data is kept
 * @param tsdb            storage engine tuning
 * @param wal             the write-ahead log (fsync policy, segment size)
 * @param ingest          write limits shared by remote write, OTLP and the in-process exporter
 * @param otlp            how OTLP metrics are named and labelled as Prometheus series
 * @param adminApi        whether the admin endpoints (series deletion) answer, as Prometheus'
 *                        {@code --web.enable-admin-api}; off by default, as there
 */
public record MetricsConfig(Endpoint endpoint, Retention retention, Tsdb tsdb, WalConfig wal, Ingest ingest,
                            Otlp otlp, boolean adminApi) {
    public static final MetricsConfig DEFAULTS = new MetricsConfig(null, Retention.DEFAULTS, Tsdb.DEFAULTS,
            WalConfig.DEFAULTS, Ingest.DEFAULTS, Otlp.DEFAULTS, false);

    /**
     * @param time blocks older than this behind the newest data are deleted (0: keep forever)
     * @param size the store's blocks are deleted oldest first while it is larger (0: no limit)
     */
    public record Retention(Duration time, DataSize size) {
        public static final Retention DEFAULTS = new Retention(Duration.ofDays(15), DataSize.ofBytes(0));

        public Retention {
            if (time == null || time.isNegative()) {
                throw new ConfigValueException("time", "must be a duration of 0 or more, e.g. 15d");
            }
            if (size == null) {
                throw new ConfigValueException("size", "must be a size, e.g. 50GiB, or 0 for no limit");
            }
        }
    }

    /**
     * @param blockDuration             the time range of a head block (2h as in Prometheus)
     * @param outOfOrderTimeWindow      how far behind a series' newest sample a sample is still
     *                                  accepted (0: out-of-order samples are refused)
     * @param maxExemplars              exemplars kept in memory across all series (0: none)
     * @param blockChunkEncoding        how float samples are stored in new blocks: {@code decimal}
     *                                  (Mantis' own, about half the size) or {@code xor} (blocks
     *                                  stay readable by Prometheus, Thanos and Mimir)
     */
    public record Tsdb(Duration blockDuration, Duration outOfOrderTimeWindow, int maxExemplars,
                       BlockChunkEncoding blockChunkEncoding) {
        public static final Tsdb DEFAULTS = new Tsdb(Duration.ofHours(2), Duration.ZERO, 100_000,
                BlockChunkEncoding.DECIMAL);

        public Tsdb(Duration blockDuration, Duration outOfOrderTimeWindow, int maxExemplars) {
            this(blockDuration, outOfOrderTimeWindow, maxExemplars, BlockChunkEncoding.DECIMAL);
        }

        public Tsdb {
            if (blockDuration == null || blockDuration.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new ConfigValueException("block_duration", "must be at least 1m");
            }
            if (outOfOrderTimeWindow == null || outOfOrderTimeWindow.isNegative()) {
                throw new ConfigValueException("out_of_order_time_window", "must be a duration of 0 or more");
            }
            if (maxExemplars < 0) {
                throw new ConfigValueException("max_exemplars", "must be 0 or more");
            }
            if (blockChunkEncoding == null) {
                throw new ConfigValueException("block_chunk_encoding", "must be decimal or xor");
            }
        }
    }

    /**
     * @param maxRequestSize        largest write body accepted (after decompression)
     * @param maxConcurrentWrites   writes processed or waiting at once; more are answered 429 with Retry-After
     * @param writeThreads          threads that apply HTTP writes (0: twice the cores, at least 4); few
     *                              threads keep per-thread encoding buffers few, enough of them let
     *                              concurrent writes share one WAL fsync
     */
    public record Ingest(DataSize maxRequestSize, int maxConcurrentWrites, int writeThreads) {
        public static final Ingest DEFAULTS = new Ingest(DataSize.ofMebibytes(32), 64, 0);

        public Ingest {
            if (maxRequestSize == null || maxRequestSize.bytes() < 1024 || maxRequestSize.bytes() > Integer.MAX_VALUE) {
                throw new ConfigValueException("max_request_size", "must be between 1KiB and 2GiB");
            }
            if (maxConcurrentWrites < 1) {
                throw new ConfigValueException("max_concurrent_writes", "must be at least 1");
            }
            if (writeThreads < 0 || writeThreads > 1024) {
                throw new ConfigValueException("write_threads", "must be between 0 (automatic) and 1024");
            }
        }

        /** The write threads to start: the configured number, or twice the cores (at least 4). */
        public int effectiveWriteThreads() {
            return writeThreads > 0 ? writeThreads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * @param addMetricSuffixes       append unit and {@code _total} suffixes as Prometheus does
     * @param promoteResourceAttributes copy every resource attribute onto each series (otherwise only
     *                                job/instance, the rest go to {@code target_info})
     */
    public record Otlp(boolean addMetricSuffixes, boolean promoteResourceAttributes) {
        public static final Otlp DEFAULTS = new Otlp(true, false);
    }

    /** The store options these settings give. */
    public TsdbOptions tsdbOptions() {
        HeadOptions head = new HeadOptions(tsdb.blockDuration().toMillis(), tsdb.outOfOrderTimeWindow().toMillis(),
                120, tsdb.maxExemplars());
        return new TsdbOptions(retention.time(), retention.size().bytes(), head, wal, tsdb.blockChunkEncoding());
    }

    /** The OTLP-to-Prometheus translation these settings give. */
    public TranslationSettings translation() {
        return TranslationSettings.defaults().withAddMetricSuffixes(otlp.addMetricSuffixes())
                .withResourceToTelemetryConversion(otlp.promoteResourceAttributes());
    }
}
