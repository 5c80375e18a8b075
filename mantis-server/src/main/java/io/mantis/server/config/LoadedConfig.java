package io.mantis.server.config;

import io.mantis.collector.service.CollectorPlan;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.Endpoint;
import java.nio.file.Path;

/**
 * A configuration that passed every check, with every endpoint resolved against
 * {@code server.host}, so the wiring code never sees a half-specified value.
 *
 * @param root the merged YAML tree, for components that bind their own sections later
 * @param healthCheck the health_check extension, or null when the service does not enable it
 * @param selfMetrics the self-metrics endpoint, or null when telemetry metrics level is none
 * @param collectorPlan the checked collector pipelines (empty when none are configured)
 */
public record LoadedConfig(String source, ConfigNode root, MantisConfig config, Path dataDir, CollectorPlan collectorPlan,
                           HealthCheckConfig healthCheck, Endpoint healthEndpoint, Endpoint selfMetrics,
                           Endpoint metricsEndpoint, Endpoint logsEndpoint, Endpoint tracesEndpoint,
                           Endpoint uiEndpoint, Endpoint demoEndpoint) {
}
