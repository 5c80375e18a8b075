package io.mantis.collector.component;

import io.mantis.collector.ComponentId;
import io.mantis.collector.ComponentKind;
import io.mantis.common.metrics.MetricRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What every component gets at creation besides its config.
 *
 * @param lifecycleId the component's id in the process lifecycle, e.g. {@code receiver/otlp}
 * @param defaultHost {@code server.host}: the address listeners bind to when their endpoint names none
 * @param dataDir the data directory; components keep files under {@code <dataDir>/collector/}
 * @param shutdownTimeout the process' stop budget; draining a queue must fit in it
 * @param host what the process offers besides config (in-process stores, ...)
 */
public record ComponentSettings(ComponentId id, ComponentKind kind, String lifecycleId, MetricRegistry registry,
                                String defaultHost, Path dataDir, Duration shutdownTimeout, Host host) {

    /** Settings of a component whose host offers nothing (a collector on its own, tests). */
    public ComponentSettings(ComponentId id, ComponentKind kind, String lifecycleId, MetricRegistry registry,
                             String defaultHost, Path dataDir, Duration shutdownTimeout) {
        this(id, kind, lifecycleId, registry, defaultHost, dataDir, shutdownTimeout, Host.EMPTY);
    }
}
