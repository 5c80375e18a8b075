package io.mantis.server;

import io.mantis.common.config.Endpoint;
import io.mantis.collector.Signal;
import io.mantis.collector.component.Host;
import io.mantis.collector.component.InProcessStores;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.metrics.MetricsStoreService;
import java.util.Map;
import java.util.Optional;
import io.mantis.collector.service.CollectorService;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.common.lifecycle.Component;
import io.mantis.common.lifecycle.Lifecycle;
import io.mantis.common.lifecycle.LifecycleException;
import io.mantis.common.metrics.JvmMetrics;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.MetricsHttpService;
import io.mantis.server.config.ConfigService;
import io.mantis.server.config.LoadedConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One Mantis process: the roles it runs, wired into a {@link Lifecycle}, plus the services every
 * process has (data directory lock, health, self-metrics).
 */
public final class MantisServer {
    private final LoadedConfig config;
    private final List<Role> roles;
    private final MetricRegistry registry;
    private final Lifecycle lifecycle = new Lifecycle();
    private final List<HttpListener> listeners = new ArrayList<>();
    private final List<HasListeners> listenerOwners = new ArrayList<>();
    private final Instant upSince = Instant.now();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    /** Lifecycle ids of the collector's components in this process. */
    private final Set<String> collectorIds = new LinkedHashSet<>();
    /** The metrics store, when the metrics role runs here. */
    private MetricsStoreService metricsStore;

    /**
     * @param roles the roles to run; each must be {@link Role#built() built}
     */
    public MantisServer(LoadedConfig config, List<Role> roles, MetricRegistry registry) {
        for (Role r : roles) {
            if (!r.built()) {
                throw new IllegalArgumentException("role " + r.cliName() + " is not built yet");
            }
        }
        this.config = config;
        this.roles = List.copyOf(roles);
        this.registry = registry;
        wire();
    }

    private void wire() {
        DataDirectory dataDir = new DataDirectory(config.dataDir());
        lifecycle.add(dataDir);

        JvmMetrics.register(registry);
        registry.gauge("mantis_build_info", "Mantis version and the Java runtime it runs on.", "version",
                "java_version").labels(Version.get(), Runtime.version().toString()).set(1);
        ComponentReadiness.register(registry, lifecycle);

        // Health comes up first so probes get answers (503 on /ready) while stores open.
        if (config.healthCheck() != null) {
            Endpoint e = config.healthEndpoint();
            HealthService health = new HealthService(lifecycle, upSince);
            String path = config.healthCheck().path();
            add(HttpListener.builder("extension/health_check", e.host(), e.port())
                    .purpose("health: /health, /ready" + (path.equals("/") ? ", /" : ", " + path))
                    .urlPath("/ready")
                    .routes(sb -> health.addRoutes(sb, path))
                    .build());
        }
        if (config.selfMetrics() != null) {
            Endpoint e = config.selfMetrics();
            MetricsHttpService metrics = new MetricsHttpService(registry);
            add(HttpListener.builder("telemetry/metrics", e.host(), e.port())
                    .purpose("self-metrics (Prometheus text / OpenMetrics)")
                    .urlPath("/metrics")
                    .routes(sb -> sb.service("/metrics", metrics))
                    .build());
        }
        wireMetrics();
        wireCollector();
        wireDemo();
    }

    /** The metrics store and its API, when the metrics role runs here. */
    private void wireMetrics() {
        if (roles.contains(Role.METRICS)) {
            metricsStore = MetricsWiring.add(this, config);
        }
    }

    /** What this process offers the collector's components: the stores that run here. */
    private Host collectorHost() {
        MetricsStoreService metrics = metricsStore;
        InProcessStores stores = new InProcessStores() {
            @Override
            public Optional<TelemetryConsumer<Telemetry>> consumer(Signal signal) {
                if (signal == Signal.METRICS && metrics != null) {
                    return Optional.of(MetricsWiring.consumer(metrics));
                }
                return Optional.empty();
            }

            @Override
            public Set<String> dependsOn(Signal signal) {
                return signal == Signal.METRICS && metrics != null
                        ? Set.of(MetricsStoreService.ID) : Set.of();
            }
        };
        return Host.of(Map.of(InProcessStores.class, stores));
    }

    /**
     * The demo app, when its role runs and it is enabled. Its classes (and the OpenTelemetry SDK's)
     * are only loaded here, so a Mantis without the demo does not pay for them at start-up.
     */
    private void wireDemo() {
        if (!roles.contains(Role.DEMO) || !config.config().demo().enabled()) {
            return;
        }
        // The demo starts after the collector that receives its telemetry and stops before it, so
        // its final flush still finds a receiver.
        DemoWiring.add(this, config, collectorIds, roles.equals(List.of(Role.DEMO)) ? finished : null);
    }

    /** Adds a component that opens ports, so the start-up table lists them. */
    void addWithListeners(Component c, HasListeners owner) {
        lifecycle.add(c);
        listenerOwners.add(owner);
    }

    /**
     * The URL of this process' collector receiver for OTLP over gRPC or HTTP, when the collector
     * runs here; valid after the collector has started (ports may be chosen at start).
     */
    String localOtlpUrl(boolean grpc) {
        for (HasListeners owner : listenerOwners) {
            for (HttpListener l : owner.listeners()) {
                if (l.id().startsWith("receiver/otlp") && l.id().endsWith(grpc ? "/grpc" : "/http")) {
                    String h = l.host();
                    if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::")) {
                        h = "127.0.0.1";
                    }
                    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + l.port();
                }
            }
        }
        String h = config.config().server().host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        }
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":"
                + (grpc ? ConfigService.OTLP_GRPC_PORT : ConfigService.OTLP_HTTP_PORT);
    }

    /**
     * Completes when the process has done what it was started for and may exit: {@code mantis demo
     * --load R --duration D} once the load has run. Never completes for a server that runs until
     * stopped.
     */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** The collector's receivers, processors and exporters, when the collector role runs. */
    private void wireCollector() {
        if (!roles.contains(Role.COLLECTOR) || config.collectorPlan() == null || config.collectorPlan().isEmpty()) {
            return;
        }
        try {
            List<Component> parts = CollectorService.build(config.collectorPlan(), new CollectorService.Context(
                    registry, config.config().server().host(), config.dataDir(),
                    config.config().server().shutdownTimeout(), collectorHost()));
            for (Component c : parts) {
                lifecycle.add(c);
                collectorIds.add(c.id());
                if (c instanceof HasListeners h) {
                    listenerOwners.add(h);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Factories may throw checked exceptions (I/O while opening a queue, say).
            throw new LifecycleException("cannot create the collector's components: " + e.getMessage(), e);
        }
    }

    private void add(HttpListener l) {
        listeners.add(l);
        lifecycle.add(l);
    }

    /** Adds a component before start; used by the roles' wiring and by tests. */
    public MantisServer addComponent(Component c) {
        lifecycle.add(c);
        return this;
    }

    public void start() {
        lifecycle.start();
    }

    /** Stops within the configured shutdown timeout; true when everything stopped cleanly. */
    public boolean stop() {
        return lifecycle.stop(config.config().server().shutdownTimeout());
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Every port of the process: the server's own and the components'. */
    public List<HttpListener> listeners() {
        List<HttpListener> all = new ArrayList<>(listeners);
        listenerOwners.forEach(o -> all.addAll(o.listeners()));
        return all;
    }

    public MetricRegistry registry() {
        return registry;
    }

    public HttpListener listener(String id) {
        return listeners().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }

    /** The start-up table: every port, what is on it and the URL to open; then the roles not built yet. */
    public String startupTable(String mode, Duration toReady) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Mantis %s (%s) ready in %d ms, data in %s, config %s%n",
                Version.get(), mode, toReady.toMillis(), config.dataDir(), config.source()));
        sb.append(String.format(Locale.ROOT, "  %-6s %-52s %s%n", "PORT", "WHAT", "URL"));
        for (HttpListener l : listeners()) {
            sb.append(String.format(Locale.ROOT, "  %-6d %-52s %s%n", l.port(), l.purpose(), l.url()));
        }
        if (mode.equals("all")) {
            List<String> missing = new ArrayList<>();
            for (Role r : Role.values()) {
                if (!r.built()) {
                    missing.add(r.cliName() + " (" + plannedPorts(r) + ")");
                }
            }
            if (!config.config().demo().enabled()) {
                sb.append("  demo app: off (`mantis all --demo` starts it on ").append(config.demoEndpoint().port())
                        .append(" with a gentle load)").append(System.lineSeparator());
            }
            if (!missing.isEmpty()) {
                sb.append("  not built yet: ").append(String.join(", ", missing)).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private String plannedPorts(Role r) {
        return switch (r) {
            case COLLECTOR -> ConfigService.OTLP_GRPC_PORT + ", " + ConfigService.OTLP_HTTP_PORT;
            case METRICS -> String.valueOf(config.metricsEndpoint().port());
            case LOGS -> String.valueOf(config.logsEndpoint().port());
            case TRACES -> String.valueOf(config.tracesEndpoint().port());
            case UI -> String.valueOf(config.uiEndpoint().port());
            case DEMO -> String.valueOf(config.demoEndpoint().port());
        };
    }
}
