package io.mantis.demo;

import io.mantis.common.config.Endpoint;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.common.lifecycle.Component;
import io.mantis.demo.DemoConfig.Protocol;
import io.mantis.demo.app.InventoryService;
import io.mantis.demo.app.PaymentsService;
import io.mantis.demo.app.ShopService;
import io.mantis.demo.app.Simulation;
import io.mantis.demo.load.LoadGenerator;
import io.mantis.demo.load.LoadStats;
import io.mantis.demo.load.ProgressLine;
import io.mantis.demo.load.RequestMix;
import io.mantis.demo.telemetry.ExportSettings;
import io.mantis.demo.telemetry.LogbackBridge;
import io.mantis.demo.telemetry.SdkDiagnostics;
import io.mantis.demo.telemetry.ServiceTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo app as one lifecycle component: three services (shop, inventory, payments), each with
 * its own OpenTelemetry SDK and port, and optionally the load generator that drives the shop.
 *
 * <p>Start order is SDKs, then the downstream services, then the shop, then the load; stop is the
 * reverse, and ends by flushing the SDKs within {@link Options#flushTimeout()}, so what the demo did
 * last still reaches the collector.
 */
public final class DemoService implements Component, HasListeners {
    public static final String ID = "demo";
    private static final Logger log = LoggerFactory.getLogger(DemoService.class);

    /**
     * How the demo is embedded.
     *
     * @param version {@code service.version} of the three services
     * @param env the environment (the {@code OTEL_*} variables override the configuration)
     * @param localCollector the URL of the local collector's receiver for a protocol, the default
     *     export target
     * @param simulation failure chances and simulated latencies
     * @param progress where the load generator's progress line goes, or null for nowhere
     * @param dependsOn lifecycle ids to start before the demo and stop after it (the collector that
     *     receives its telemetry)
     * @param flushTimeout the most the final flush of each SDK may take
     */
    public record Options(String version, Map<String, String> env, Function<Protocol, String> localCollector,
                          Simulation simulation, ProgressLine progress, Set<String> dependsOn,
                          Duration flushTimeout) {
        public static Options defaults(String version) {
            return new Options(version, System.getenv(), p -> "http://127.0.0.1:" + (p == Protocol.GRPC ? 4317 : 4318),
                    Simulation.LIFELIKE, ProgressLine.console(), Set.of(), Duration.ofSeconds(5));
        }

        public Options withEnv(Map<String, String> e) {
            return new Options(version, e, localCollector, simulation, progress, dependsOn, flushTimeout);
        }

        public Options withLocalCollector(Function<Protocol, String> c) {
            return new Options(version, env, c, simulation, progress, dependsOn, flushTimeout);
        }

        public Options withSimulation(Simulation s) {
            return new Options(version, env, localCollector, s, progress, dependsOn, flushTimeout);
        }

        public Options withProgress(ProgressLine p) {
            return new Options(version, env, localCollector, simulation, p, dependsOn, flushTimeout);
        }

        public Options withDependsOn(Set<String> d) {
            return new Options(version, env, localCollector, simulation, progress, Set.copyOf(d), flushTimeout);
        }

        public Options withFlushTimeout(Duration t) {
            return new Options(version, env, localCollector, simulation, progress, dependsOn, t);
        }
    }

    private final DemoConfig config;
    private final Options options;
    private final HttpListener shopListener;
    private final HttpListener inventoryListener;
    private final HttpListener paymentsListener;
    private final CompletableFuture<LoadStats> loadFinished = new CompletableFuture<>();
    /** Handlers block like servlet code; virtual threads make that cheap at any rate. */
    private final ExecutorService handlers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("mantis-demo-handler-", 0).factory());

    private volatile ShopService shop;
    private volatile InventoryService inventory;
    private volatile PaymentsService payments;
    private final List<ServiceTelemetry> telemetry = new ArrayList<>();
    private final List<LogbackBridge> bridges = new ArrayList<>();
    private SdkDiagnostics diagnostics;
    private HttpClient downstreamHttp;
    private LoadGenerator load;
    private ExportSettings export;

    /**
     * @param shopEndpoint where the shop listens (the configured endpoint resolved against
     *     {@code server.host})
     */
    public DemoService(DemoConfig config, Endpoint shopEndpoint, Options options) {
        this.config = config;
        this.options = options;
        this.inventoryListener = HttpListener.builder(ID + "/inventory", "127.0.0.1", config.inventoryPort())
                .purpose("demo: inventory service (called by the shop)")
                .urlPath("/health")
                .routes(sb -> inventory.addRoutes(sb, handlers))
                .drainTime(Duration.ofSeconds(2))
                .build();
        this.paymentsListener = HttpListener.builder(ID + "/payments", "127.0.0.1", config.paymentsPort())
                .purpose("demo: payments service (called by the shop)")
                .urlPath("/health")
                .routes(sb -> payments.addRoutes(sb, handlers))
                .drainTime(Duration.ofSeconds(2))
                .build();
        this.shopListener = HttpListener.builder(ID + "/shop", shopEndpoint.host(), shopEndpoint.port())
                .purpose("demo app: shop (users, orders, slow and failing calls)")
                .urlPath("/api/orders")
                .routes(sb -> shop.addRoutes(sb, handlers))
                .drainTime(Duration.ofSeconds(3))
                .build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> dependsOn() {
        return options.dependsOn();
    }

    @Override
    public List<HttpListener> listeners() {
        return List.of(shopListener, inventoryListener, paymentsListener);
    }

    /** Where the three services export, valid after start. */
    public ExportSettings exportSettings() {
        return export;
    }

    /** The shop's base URL, valid after start. */
    public URI shopUrl() {
        String h = shopListener.host();
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        }
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + shopListener.port());
    }

    /**
     * Completes with the load generator's final statistics when a load with a duration has run its
     * course; never completes when there is no load or it runs until stopped.
     */
    public CompletableFuture<LoadStats> loadFinished() {
        return loadFinished;
    }

    /** The running load generator, or null. */
    public LoadGenerator load() {
        return load;
    }

    @Override
    public void start() throws Exception {
        try {
            startParts();
        } catch (Exception | Error e) {
            stopParts();
            throw e;
        }
    }

    private void startParts() throws Exception {
        export = ExportSettings.resolve(config, options.localCollector(), options.env());
        diagnostics = SdkDiagnostics.install();
        ServiceTelemetry shopTelemetry = service("shop", ShopService.LOGGER);
        ServiceTelemetry inventoryTelemetry = service("inventory", InventoryService.LOGGER);
        ServiceTelemetry paymentsTelemetry = service("payments", PaymentsService.LOGGER);

        Random random = new Random();
        inventory = new InventoryService(inventoryTelemetry, options.simulation(), random);
        payments = new PaymentsService(paymentsTelemetry, options.simulation(), random);
        inventoryListener.start();
        paymentsListener.start();
        downstreamHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        shop = new ShopService(shopTelemetry, options.simulation(), random,
                URI.create("http://127.0.0.1:" + inventoryListener.port()),
                URI.create("http://127.0.0.1:" + paymentsListener.port()), downstreamHttp);
        shopListener.start();
        log.info("demo app: shop on {}, inventory on 127.0.0.1:{}, payments on 127.0.0.1:{}; telemetry to {}",
                shopUrl(), inventoryListener.port(), paymentsListener.port(), describe(export));

        DemoConfig.Load l = config.load();
        if (l.enabled()) {
            load = new LoadGenerator(shopUrl(), l.rate(), l.duration(), RequestMix.standard(), new SplittableRandom(),
                    options.progress());
            load.finished().whenComplete((stats, error) -> {
                if (stats != null && !l.duration().isZero()) {
                    loadFinished.complete(stats);
                }
            });
            load.start();
            log.info("demo load: {} requests per second to the shop{}", l.rate(),
                    l.duration().isZero() ? " until stopped" : " for " + io.mantis.common.config.Durations.format(l.duration()));
        }
    }

    private static String describe(ExportSettings e) {
        if (e.traces().equals(e.metrics()) && e.traces().equals(e.logs())) {
            return "OTLP " + e.traces();
        }
        return "OTLP traces " + e.traces() + ", metrics " + e.metrics() + ", logs " + e.logs();
    }

    private ServiceTelemetry service(String name, String logger) {
        ServiceTelemetry t = ServiceTelemetry.create(name, options.version(), config.environment(), export);
        telemetry.add(t);
        LogbackBridge b = LogbackBridge.attach(logger, t.openTelemetry());
        if (b != null) {
            bridges.add(b);
        }
        return t;
    }

    @Override
    public void stop() {
        stopParts();
    }

    private void stopParts() {
        if (load != null) {
            load.close();
            load = null;
        }
        stopListener(shopListener);
        // The shop's keep-alive connections would hold the downstream listeners in their drain.
        if (downstreamHttp != null) {
            downstreamHttp.shutdownNow();
            downstreamHttp = null;
        }
        stopListener(inventoryListener);
        stopListener(paymentsListener);
        handlers.shutdown();
        // Bridges first: a log written while an SDK shuts down would go to a closed provider.
        bridges.forEach(LogbackBridge::close);
        bridges.clear();
        // The three SDKs flush side by side, each on a thread of its own (the common pool may have
        // a single thread on a small machine), all within one flush timeout.
        List<CompletableFuture<Boolean>> flushes = new ArrayList<>();
        for (ServiceTelemetry t : telemetry) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("mantis-demo-flush-" + t.serviceName())
                    .start(() -> f.complete(t.shutdown(options.flushTimeout())));
            flushes.add(f);
        }
        long deadline = System.nanoTime() + options.flushTimeout().toNanos() + 200_000_000L;
        for (int i = 0; i < flushes.size(); i++) {
            boolean ok;
            try {
                ok = flushes.get(i).get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                ok = false;
            }
            if (!ok) {
                log.warn("demo: {} could not export everything within {} on stop", telemetry.get(i).serviceName(),
                        io.mantis.common.config.Durations.format(options.flushTimeout()));
            }
        }
        telemetry.clear();
        if (diagnostics != null) {
            diagnostics.close();
            diagnostics = null;
        }
    }

    private static void stopListener(HttpListener l) {
        try {
            l.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("stopping {}: {}", l.id(), e.toString());
        }
    }

    @Override
    public boolean isReady() {
        return shopListener.isReady() && inventoryListener.isReady() && paymentsListener.isReady();
    }
}
