package io.mantis.collector.exporter.prometheusremotewrite;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.exporter.helper.BaseExporter;
import io.mantis.collector.exporter.helper.HttpPushClient;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.PrometheusTranslator;
import io.mantis.otlp.prometheus.SeriesSink;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.otlp.prometheus.TranslationSettings;
import io.mantis.otlp.prometheus.TranslationStats;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus remote write 1.0 (snappy protobuf) with the OpenTelemetry → Prometheus translation
 * shared with the metrics store. Metrics the translation refuses (delta temporality, unusable
 * exponential histograms) are logged once per name and counted as failed; the rest is sent.
 */
final class PrometheusRemoteWriteExporter extends BaseExporter {
    private static final Logger log = LoggerFactory.getLogger(PrometheusRemoteWriteExporter.class);

    private final PrometheusRemoteWriteExporterConfig config;
    private final PrometheusTranslator translator;
    private final Set<String> reportedDrops = ConcurrentHashMap.newKeySet();
    private final HttpPushClient client;
    private final Map<String, String> headers;

    PrometheusRemoteWriteExporter(ComponentSettings settings, PrometheusRemoteWriteExporterConfig config,
                                  Set<Signal> signals) {
        super(settings, signals, config.remoteWriteQueue().toQueueSettings(), config.retryOnFailure());
        this.config = config;
        this.client = new HttpPushClient(config.endpoint(), config.timeout(), config.tls().insecureSkipVerify());
        Map<String, String> h = new java.util.LinkedHashMap<>(RemoteWriteEncoder.headers("mantis"));
        h.remove("Content-Type");
        h.putAll(config.headers());
        this.headers = Map.copyOf(h);
        this.translator = new PrometheusTranslator(TranslationSettings.defaults()
                .withAddMetricSuffixes(config.addMetricSuffixes())
                .withResourceToTelemetryConversion(config.resourceToTelemetryConversion().enabled())
                .withDisableTargetInfo(!config.targetInfo().enabled())
                .withNamespace(config.namespace())
                .withExternalLabels(config.externalLabels())
                .withExportCreatedMetric(config.exportCreatedMetric().enabled()));
    }

    @Override
    protected void startClient() {
        client.start();
    }

    @Override
    protected void stopClient() {
        client.stop();
    }

    @Override
    protected void send(Telemetry batch) throws ConsumeException {
        Set<String> droppedNames = new java.util.HashSet<>();
        RemoteWriteEncoder encoder = new RemoteWriteEncoder(config.sendMetadata());
        SeriesSink sink = new SeriesSink() {
            @Override
            public void series(Labels labels) {
                encoder.series(labels);
            }

            @Override
            public void sample(long tsMillis, double value) {
                encoder.sample(tsMillis, value);
            }

            @Override
            public void histogram(NativeHistogram h) {
                encoder.histogram(h);
            }

            @Override
            public void exemplar(Labels labels, double value, long tsMillis) {
                encoder.exemplar(labels, value, tsMillis);
            }

            @Override
            public void metadata(String family, MetricType type, String unit, String help) {
                encoder.metadata(family, type, unit, help);
            }

            @Override
            public void dropped(String metric, String reason) {
                encoder.dropped(metric, reason);
                droppedNames.add(metric);
                if (reportedDrops.add(metric + reason)) {
                    log.warn("{}: metric '{}' is not sent: {}", id(), metric, reason);
                }
            }
        };
        ExportMetricsServiceRequest request = ((Metrics) batch).request();
        TranslationStats stats = translator.translate(request, sink);
        if (!encoder.isEmpty()) {
            for (byte[] body : encoder.toSnappyBatches(config.maxBatchSizeBytes())) {
                post(body);
            }
        }
        if (stats.droppedMetrics() > 0 || stats.droppedPoints() > 0) {
            long rejected = stats.droppedPoints() + pointsOfDroppedMetrics(request, droppedNames, stats);
            // The rest went out; these points cannot be sent in any form, so retrying is useless.
            throw ConsumeException.partial(rejected, rejected + " data points could not be translated to Prometheus"
                    + " series (metrics " + droppedNames + ")");
        }
    }

    /** Points of the metrics the translator refused whole (it counts metrics, not their points). */
    private static long pointsOfDroppedMetrics(ExportMetricsServiceRequest request, Set<String> names,
                                               TranslationStats stats) {
        if (stats.droppedMetrics() == 0) {
            return 0;
        }
        long n = 0;
        for (var rm : request.getResourceMetricsList()) {
            for (var sm : rm.getScopeMetricsList()) {
                for (var m : sm.getMetricsList()) {
                    if (names.contains(m.getName())) {
                        n += Metrics.dataPoints(m);
                    }
                }
            }
        }
        return Math.max(0, n - stats.droppedPoints());
    }

    private void post(byte[] body) throws ConsumeException {
        client.post(body, RemoteWriteEncoder.CONTENT_TYPE, headers);
    }

    List<String> droppedSoFar() {
        return List.copyOf(reportedDrops);
    }
}
