package io.mantis.metrics.ingest;

import io.mantis.common.metrics.CounterFamily;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.otlp.prometheus.PrometheusTranslator;
import io.mantis.otlp.prometheus.RemoteWriteRequest;
import io.mantis.otlp.prometheus.TranslationSettings;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Every way metrics enter the store: remote write, OTLP over HTTP and the collector's in-process
 * exporter. All three become {@link io.mantis.otlp.prometheus.SeriesSink} calls on one
 * {@link AppendingSink}, so validation, refusals and counting are the same whichever way data came.
 *
 * <p>Concurrent writes are bounded: past {@code maxConcurrentWrites} a write is refused with
 * {@link OverloadedException} (answered 429 / RESOURCE_EXHAUSTED with a retry hint) instead of
 * queueing without limit.
 */
public final class Ingest {

    /** The store is busy; the client should retry after the hint. */
    public static final class OverloadedException extends Exception {
        private final long retryAfterSeconds;

        public OverloadedException(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** Outcome of an OTLP write, in OTLP's partial-success terms. */
    public record OtlpResult(long rejectedDataPoints, String message) {
    }

    private final Tsdb tsdb;
    private final PrometheusTranslator translator;
    private final Semaphore writes;
    private final CounterFamily samplesIn;
    private final CounterFamily refused;

    public Ingest(Tsdb tsdb, TranslationSettings settings, int maxConcurrentWrites, MetricRegistry registry) {
        this.tsdb = tsdb;
        this.translator = new PrometheusTranslator(settings);
        this.writes = new Semaphore(maxConcurrentWrites);
        this.samplesIn = registry.counter("mantis_tsdb_ingested_samples",
                "Samples, histograms and exemplars stored, by protocol and kind.", "protocol", "kind");
        this.refused = registry.counter("mantis_tsdb_refused_samples",
                "Samples, histograms and exemplars refused, by protocol and reason.", "protocol", "reason");
    }

    public IngestErrors remoteWrite(RemoteWriteRequest request) throws IOException, OverloadedException {
        acquire();
        try {
            Appender app = tsdb.appender();
            AppendingSink sink = new AppendingSink(app);
            for (RemoteWriteRequest.MetricMetadata m : request.metadata()) {
                sink.metadata(m.familyName(), m.type(), m.unit(), m.help());
            }
            for (RemoteWriteRequest.TimeSeries ts : request.timeseries()) {
                sink.series(ts.labels());
                for (RemoteWriteRequest.Sample s : ts.samples()) {
                    sink.sample(s.timestampMillis(), s.value());
                }
                for (io.mantis.otlp.prometheus.NativeHistogram h : ts.histograms()) {
                    sink.histogram(h);
                }
                for (RemoteWriteRequest.Exemplar e : ts.exemplars()) {
                    sink.exemplar(e.labels(), e.value(), e.timestampMillis());
                }
            }
            commit(app);
            count("remote_write", sink);
            return sink.errors();
        } finally {
            writes.release();
        }
    }

    public OtlpResult otlp(ExportMetricsServiceRequest request) throws IOException, OverloadedException {
        acquire();
        try {
            Appender app = tsdb.appender();
            AppendingSink sink = new AppendingSink(app);
            translator.translate(request, sink);
            commit(app);
            count("otlp", sink);
            IngestErrors errors = sink.errors();
            long rejected = errors.refusedCount() + sink.untranslatable();
            String message = errors.isEmpty() ? "" : errors.message();
            if (sink.untranslatable() > 0) {
                refused.labels(protocol(), "untranslatable").inc(sink.untranslatable());
                String dropped = sink.untranslatable() + " metrics or data points could not be translated, first "
                        + sink.firstUntranslatable();
                message = message.isEmpty() ? dropped : message + "\n" + dropped;
            }
            return new OtlpResult(rejected, message);
        } finally {
            writes.release();
        }
    }

    private static String protocol() {
        return "otlp";
    }

    private void acquire() throws OverloadedException {
        if (!writes.tryAcquire()) {
            refused.labels("any", "overloaded").inc();
            throw new OverloadedException("too many concurrent writes to the metrics store; retry later", 1);
        }
    }

    private static void commit(Appender app) throws IOException {
        try {
            app.commit();
        } catch (IOException | RuntimeException e) {
            app.rollback();
            throw e;
        }
    }

    private void count(String protocol, AppendingSink sink) {
        samplesIn.labels(protocol, "float").inc(sink.samples());
        samplesIn.labels(protocol, "histogram").inc(sink.histograms());
        samplesIn.labels(protocol, "exemplar").inc(sink.exemplars());
        IngestErrors e = sink.errors();
        for (Map.Entry<AppendException.Kind, Integer> k : e.countsByKind().entrySet()) {
            refused.labels(protocol, k.getKey().name().toLowerCase(java.util.Locale.ROOT)).inc(k.getValue());
        }
        if (e.invalidSeriesCount() > 0) {
            refused.labels(protocol, "invalid_labels").inc(e.invalidSeriesCount());
        }
    }
}
