package io.mantis.server.config;

import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Endpoint;

/**
 * The collector's {@code health_check} extension, as the OpenTelemetry Collector configures it.
 * Mantis serves the collector's status document on {@code path}, and {@code /health} (liveness)
 * and {@code /ready} (readiness of every component of the process) beside it.
 *
 * @param endpoint host:port; when absent, {@code server.host}:8889
 * @param path where the collector-style status answers
 */
public record HealthCheckConfig(Endpoint endpoint, String path) {
    public static final HealthCheckConfig DEFAULTS = new HealthCheckConfig(null, "/");

    public HealthCheckConfig {
        if (path == null || !path.startsWith("/")) {
            throw new ConfigValueException("path", "must start with '/'");
        }
    }
}
