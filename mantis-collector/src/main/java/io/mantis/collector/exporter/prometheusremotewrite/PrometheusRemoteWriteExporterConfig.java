package io.mantis.collector.exporter.prometheusremotewrite;

import io.mantis.collector.exporter.helper.HttpPushClient;
import io.mantis.collector.exporter.helper.QueueSettings;
import io.mantis.collector.exporter.helper.RetrySettings;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Required;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code prometheusremotewrite} exporter's config, in the collector's shape.
 *
 * @param endpoint the remote-write URL, e.g. {@code http://127.0.0.1:9090/api/v1/write}
 * @param remoteWriteQueue the exporter's queue, as the collector names it for this exporter
 * @param maxBatchSizeBytes the largest uncompressed body sent; bigger batches go out in parts
 */
public record PrometheusRemoteWriteExporterConfig(@Required String endpoint, String namespace,
                                                  Map<String, String> externalLabels, Map<String, String> headers,
                                                  Duration timeout, Tls tls, Enabled resourceToTelemetryConversion,
                                                  Enabled targetInfo, Enabled exportCreatedMetric,
                                                  boolean addMetricSuffixes, boolean sendMetadata,
                                                  int maxBatchSizeBytes, RemoteWriteQueue remoteWriteQueue,
                                                  RetrySettings retryOnFailure) {
    public static final PrometheusRemoteWriteExporterConfig DEFAULTS = new PrometheusRemoteWriteExporterConfig(null,
            null, Map.of(), Map.of(), Duration.ofSeconds(5), Tls.DEFAULTS, new Enabled(false), new Enabled(true),
            new Enabled(false), true, false, 3_000_000, RemoteWriteQueue.DEFAULTS, RetrySettings.DEFAULTS);

    public record Enabled(boolean enabled) {
    }

    public record Tls(boolean insecureSkipVerify) {
        public static final Tls DEFAULTS = new Tls(false);
    }

    /** {@code remote_write_queue}: the sending queue under this exporter's own name. */
    public record RemoteWriteQueue(boolean enabled, int queueSize, int numConsumers) {
        public static final RemoteWriteQueue DEFAULTS = new RemoteWriteQueue(true, 10_000, 5);

        public RemoteWriteQueue {
            if (queueSize < 1) {
                throw new ConfigValueException("queue_size", "must be at least 1");
            }
            if (numConsumers < 1) {
                throw new ConfigValueException("num_consumers", "must be at least 1");
            }
        }

        QueueSettings toQueueSettings() {
            return new QueueSettings(enabled, numConsumers, queueSize, null, false);
        }
    }

    public PrometheusRemoteWriteExporterConfig {
        externalLabels = externalLabels == null ? Map.of() : Map.copyOf(externalLabels);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (endpoint != null) {
            HttpPushClient.validateUrl("endpoint", endpoint, "http://127.0.0.1:9090/api/v1/write");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigValueException("timeout", "must be a positive duration");
        }
        if (maxBatchSizeBytes < 1024) {
            throw new ConfigValueException("max_batch_size_bytes", "must be at least 1024");
        }
    }
}
