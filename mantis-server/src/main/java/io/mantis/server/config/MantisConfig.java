package io.mantis.server.config;

import io.mantis.collector.service.CollectorConfig;
import io.mantis.demo.DemoConfig;
import io.mantis.metrics.MetricsConfig;

/** The whole configuration file: one section per role plus {@code server:}. */
public record MantisConfig(ServerConfig server, CollectorConfig collector, MetricsConfig metrics, RoleConfig logs,
                           RoleConfig traces, RoleConfig ui, DemoConfig demo) {
    public static final MantisConfig DEFAULTS = new MantisConfig(ServerConfig.DEFAULTS, CollectorConfig.DEFAULTS,
            MetricsConfig.DEFAULTS, RoleConfig.DEFAULTS, RoleConfig.DEFAULTS, RoleConfig.DEFAULTS, DemoConfig.DEFAULTS);
}
