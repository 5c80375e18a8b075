package io.mantis.collector.exporter.otlp;

import io.mantis.collector.exporter.helper.QueueSettings;
import io.mantis.collector.exporter.helper.RetrySettings;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Required;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code otlp} (gRPC) exporter's config, in the collector's shape.
 *
 * @param endpoint {@code host:port}, or a URL with {@code http://} (plaintext) or {@code https://}
 * @param tls {@code insecure: true} sends plaintext; otherwise TLS with the system's trust store
 * @param compression gzip (default, as the collector) or none
 */
public record OtlpExporterConfig(@Required String endpoint, Tls tls, String compression, Map<String, String> headers,
                                 Duration timeout, QueueSettings sendingQueue, RetrySettings retryOnFailure) {
    public static final OtlpExporterConfig DEFAULTS = new OtlpExporterConfig(null, Tls.DEFAULTS, "gzip", Map.of(),
            Duration.ofSeconds(5), QueueSettings.DEFAULTS, RetrySettings.DEFAULTS);

    public record Tls(boolean insecure, boolean insecureSkipVerify) {
        public static final Tls DEFAULTS = new Tls(false, false);
    }

    public OtlpExporterConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (compression == null || !(compression.equals("gzip") || compression.equals("none")
                || compression.isEmpty())) {
            throw new ConfigValueException("compression", "expected gzip or none, got '" + compression + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigValueException("timeout", "must be a positive duration");
        }
        if (endpoint != null) {
            try {
                uri(endpoint, tls);
            } catch (IllegalArgumentException e) {
                throw new ConfigValueException("endpoint", e.getMessage());
            }
        }
    }

    /** The endpoint as an http(s) URL for the gRPC client. */
    public URI uri() {
        return uri(endpoint, tls);
    }

    static URI uri(String endpoint, Tls tls) {
        String e = endpoint.trim();
        if (e.startsWith("http://") || e.startsWith("https://")) {
            URI u = URI.create(e);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("'" + endpoint + "' has no host");
            }
            return u;
        }
        int colon = e.lastIndexOf(':');
        if (colon <= 0 || colon == e.length() - 1) {
            throw new IllegalArgumentException("expected host:port or an http(s):// URL, got '" + endpoint + "'");
        }
        try {
            int port = Integer.parseInt(e.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range in '" + endpoint + "'");
            }
        } catch (NumberFormatException nfe) {
            throw new IllegalArgumentException("expected host:port, got '" + endpoint + "'");
        }
        boolean plain = tls != null && tls.insecure();
        return URI.create((plain ? "http://" : "https://") + e);
    }
}
