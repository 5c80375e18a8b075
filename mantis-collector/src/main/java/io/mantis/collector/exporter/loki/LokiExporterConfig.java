package io.mantis.collector.exporter.loki;

import io.mantis.collector.exporter.helper.HttpPushClient;
import io.mantis.collector.exporter.helper.QueueSettings;
import io.mantis.collector.exporter.helper.RetrySettings;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Required;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code loki} exporter's config.
 *
 * @param endpoint the push URL, e.g. {@code http://127.0.0.1:3100/loki/api/v1/push}
 * @param encoding {@code protobuf} (snappy-compressed, the default) or {@code json}
 * @param indexLabels resource attributes that become stream labels; null keeps Loki's own
 *     default list for OTLP (service.name, service.namespace, k8s.*, ...)
 * @param tenantId sent as {@code X-Scope-OrgID} for multi-tenant Loki
 */
public record LokiExporterConfig(@Required String endpoint, String encoding, List<String> indexLabels, String tenantId,
                                 Map<String, String> headers, Duration timeout, Tls tls, QueueSettings sendingQueue,
                                 RetrySettings retryOnFailure) {
    public static final LokiExporterConfig DEFAULTS = new LokiExporterConfig(null, "protobuf", null, null, Map.of(),
            Duration.ofSeconds(30), Tls.DEFAULTS, QueueSettings.DEFAULTS, RetrySettings.DEFAULTS);

    public record Tls(boolean insecureSkipVerify) {
        public static final Tls DEFAULTS = new Tls(false);
    }

    public LokiExporterConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (endpoint != null) {
            HttpPushClient.validateUrl("endpoint", endpoint, "http://127.0.0.1:3100/loki/api/v1/push");
        }
        if (!"protobuf".equals(encoding) && !"json".equals(encoding)) {
            throw new ConfigValueException("encoding", "expected protobuf or json, got '" + encoding + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigValueException("timeout", "must be a positive duration");
        }
    }
}
