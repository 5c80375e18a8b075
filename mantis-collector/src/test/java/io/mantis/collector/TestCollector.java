package io.mantis.collector;

import io.mantis.collector.component.ComponentFactory;
import io.mantis.collector.component.Factories;
import io.mantis.collector.service.CollectorConfig;
import io.mantis.collector.service.CollectorPlan;
import io.mantis.collector.service.CollectorService;
import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigLoader;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.common.lifecycle.Component;
import io.mantis.common.lifecycle.Lifecycle;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.TextFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A collector built from a YAML {@code collector:} section, as the server builds it, for tests.
 * Extra factories are added to the built-in ones, replacing a built-in of the same kind and type.
 */
public final class TestCollector implements AutoCloseable {
    public final MetricRegistry registry = new MetricRegistry();
    final Lifecycle lifecycle = new Lifecycle();
    private final List<HttpListener> listeners = new ArrayList<>();

    public TestCollector(String yaml, Path dataDir, ComponentFactory<?>... extra) throws Exception {
        ConfigNode node = ConfigLoader.parse(yaml, "collector.yaml", Map.of());
        ConfigProblems problems = new ConfigProblems();
        CollectorConfig cfg = ConfigBinder.bind(node, CollectorConfig.class, CollectorConfig.DEFAULTS, problems);
        Factories factories = factories(extra);
        CollectorPlan plan = cfg == null ? null : CollectorService.plan(cfg, node, factories, problems);
        problems.throwIfAny();
        for (Component c : CollectorService.build(plan, new CollectorService.Context(registry, "127.0.0.1", dataDir,
                Duration.ofSeconds(10)))) {
            lifecycle.add(c);
            if (c instanceof HasListeners h) {
                listeners.addAll(h.listeners());
            }
        }
        lifecycle.start();
    }

    private static Factories factories(ComponentFactory<?>... extra) {
        Factories builtIn = Collectors.builtIn();
        List<ComponentFactory<?>> all = new ArrayList<>(List.of(extra));
        for (ComponentKind kind : ComponentKind.values()) {
            for (String type : builtIn.types(kind)) {
                if (all.stream().noneMatch(f -> f.kind() == kind && f.type().equals(type))) {
                    all.add(builtIn.get(kind, type));
                }
            }
        }
        return new Factories(all);
    }

    /** Port of the listener whose id ends with {@code suffix}, e.g. "otlp/grpc". */
    public int port(String suffix) {
        return listeners.stream().filter(l -> l.id().endsWith(suffix)).findFirst().orElseThrow().port();
    }

    public String scrape() {
        StringBuilder sb = new StringBuilder();
        try {
            TextFormat.write004(registry, sb);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sb.toString();
    }

    /** The value of one sample line in the scrape, or 0 when absent. */
    public double metric(String series) {
        for (String line : scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        lifecycle.stop(Duration.ofSeconds(10));
    }
}
