package io.mantis.collector.exporter.otlphttp;

import io.mantis.collector.Signal;
import io.mantis.collector.exporter.helper.QueueSettings;
import io.mantis.collector.exporter.helper.RetrySettings;
import io.mantis.common.config.ConfigValueException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code otlphttp} exporter's config, in the collector's shape.
 *
 * @param endpoint base URL; {@code /v1/traces}, {@code /v1/metrics} or {@code /v1/logs} is
 *     appended to its path for a signal without its own endpoint
 * @param tracesEndpoint full URL for traces, used as is (likewise metrics and logs)
 * @param encoding {@code proto} (default) or {@code json}
 * @param compression {@code gzip} (default), {@code zstd} or {@code none}
 * @param timeout how long one request may take, response included
 */
public record OtlpHttpExporterConfig(String endpoint, String tracesEndpoint, String metricsEndpoint,
                                     String logsEndpoint, String encoding, String compression,
                                     Map<String, String> headers, Duration timeout, Tls tls,
                                     QueueSettings sendingQueue, RetrySettings retryOnFailure) {
    public static final OtlpHttpExporterConfig DEFAULTS = new OtlpHttpExporterConfig(null, null, null, null,
            "proto", "gzip", Map.of(), Duration.ofSeconds(30), Tls.DEFAULTS, QueueSettings.DEFAULTS,
            RetrySettings.DEFAULTS);

    /**
     * @param insecure accepted for pasted configs; over HTTP the URL's scheme alone decides
     *     between plaintext ({@code http://}) and TLS ({@code https://})
     * @param insecureSkipVerify TLS without checking the server's certificate
     */
    public record Tls(boolean insecure, boolean insecureSkipVerify) {
        public static final Tls DEFAULTS = new Tls(false, false);
    }

    public OtlpHttpExporterConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        tls = tls == null ? Tls.DEFAULTS : tls;
        if (encoding == null || !(encoding.equals("proto") || encoding.equals("json"))) {
            throw new ConfigValueException("encoding", "expected proto or json, got '" + encoding + "'");
        }
        if (compression == null || !(compression.equals("gzip") || compression.equals("zstd")
                || compression.equals("none") || compression.isEmpty())) {
            throw new ConfigValueException("compression", "expected gzip, zstd or none, got '" + compression + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigValueException("timeout", "must be a positive duration");
        }
        check("endpoint", endpoint, true);
        check("traces_endpoint", tracesEndpoint, false);
        check("metrics_endpoint", metricsEndpoint, false);
        check("logs_endpoint", logsEndpoint, false);
    }

    private static void check(String key, String url, boolean base) {
        if (url == null) {
            return;
        }
        try {
            URI u = parse(url);
            if (base && (u.getRawQuery() != null || u.getRawFragment() != null)) {
                throw new IllegalArgumentException("a base endpoint takes no query or fragment; use the"
                        + " signal's own endpoint for a full URL");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(key, e.getMessage());
        }
    }

    private static URI parse(String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
            throw new IllegalArgumentException("'" + url + "' must start with http:// or https://");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' has no host");
        }
        return u;
    }

    /** Whether some endpoint is set; the factory reports a config with none. */
    boolean hasAnyEndpoint() {
        return endpoint != null || tracesEndpoint != null || metricsEndpoint != null || logsEndpoint != null;
    }

    /**
     * The URL a signal's requests go to: its own endpoint, else the base endpoint with the
     * signal's path appended (after exactly one '/', as the collector joins them).
     *
     * @throws IllegalArgumentException neither is set
     */
    public URI url(Signal signal) {
        String own = switch (signal) {
            case TRACES -> tracesEndpoint;
            case METRICS -> metricsEndpoint;
            case LOGS -> logsEndpoint;
        };
        if (own != null) {
            return parse(own);
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("otlphttp has no endpoint for " + signal.id() + ": set endpoint or "
                    + signal.id() + "_endpoint");
        }
        String base = endpoint.trim();
        String path = "v1/" + signal.id();
        return parse(base.endsWith("/") ? base + path : base + "/" + path);
    }
}
