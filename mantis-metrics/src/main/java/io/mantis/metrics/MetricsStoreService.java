package io.mantis.metrics;

import io.mantis.common.config.Endpoint;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.common.lifecycle.Component;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.api.PrometheusApi;
import io.mantis.metrics.api.WriteApi;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.metrics.tsdb.Tsdb;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The metrics role in a Mantis process: the store in {@code <data-dir>/metrics}, opened (and its
 * WAL replayed) on start, and the Prometheus HTTP API on its port. The API's listener comes up only
 * once the store is open, so nothing is accepted that could not be stored.
 */
public final class MetricsStoreService implements Component, HasListeners {

    /** Lifecycle id of the store, for components that must start after it. */
    public static final String ID = "metrics";

    private final MetricsConfig config;
    private final Path dir;
    private final MetricRegistry registry;
    private final PrometheusApi.BuildInfo buildInfo;
    private final HttpListener listener;
    private volatile Tsdb tsdb;
    private volatile Ingest ingest;
    private volatile java.util.concurrent.ThreadPoolExecutor writers;

    public MetricsStoreService(MetricsConfig config, Endpoint endpoint, Path dataDir, MetricRegistry registry,
                               String version) {
        this.config = config;
        this.dir = dataDir.resolve("metrics");
        this.registry = registry;
        this.buildInfo = new PrometheusApi.BuildInfo(version, "", "", "mantis", "", Runtime.version().toString());
        this.listener = HttpListener.builder("metrics/http", endpoint.host(), endpoint.port())
                .purpose("metrics store: Prometheus HTTP API")
                .urlPath("/api/v1/status/buildinfo")
                .dependsOn(Set.of(ID))
                .routes(sb -> {
                    new PrometheusApi(tsdb, buildInfo, config.adminApi()).routes(sb);
                    new WriteApi(ingest, (int) config.ingest().maxRequestSize().bytes(), this::write).routes(sb);
                    io.mantis.metrics.promql.engine.StepwiseEngineFactory engines =
                            new io.mantis.metrics.promql.engine.StepwiseEngineFactory();
                    new io.mantis.metrics.api.QueryApi(timeout -> engines.create(tsdb,
                            io.mantis.metrics.promql.QueryEngine.Options.DEFAULTS.withTimeout(timeout)),
                            io.mantis.metrics.promql.QueryEngine.Options.DEFAULTS.timeout()).routes(sb);
                })
                .build();
    }

    @Override
    public String id() {
        return ID;
    }

    /** The listener is a component of its own, started after the store. */
    public HttpListener listener() {
        return listener;
    }

    @Override
    public List<HttpListener> listeners() {
        return List.of(listener);
    }

    @Override
    public void start() throws Exception {
        Tsdb t = Tsdb.open(dir, config.tsdbOptions(), registry);
        ingest = new Ingest(t, config.translation(), config.ingest().maxConcurrentWrites(),
                (int) config.ingest().maxRequestSize().bytes(), registry);
        int threads = config.ingest().effectiveWriteThreads();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        // A fixed pool with a bounded queue: the write path's per-thread buffers exist once per
        // thread, and writes beyond what the store should hold at once are refused (429), not queued.
        writers = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(config.ingest().maxConcurrentWrites()), r -> {
                    Thread th = new Thread(r, "metrics-write-" + n.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                }, new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
        tsdb = t;
    }

    private void write(Runnable r) {
        java.util.concurrent.ThreadPoolExecutor w = writers;
        if (w == null) {
            throw new java.util.concurrent.RejectedExecutionException("the metrics store is not started");
        }
        w.execute(r);
    }

    @Override
    public void stop() throws Exception {
        java.util.concurrent.ThreadPoolExecutor w = writers;
        if (w != null) {
            w.shutdown();
            if (!w.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                w.shutdownNow();
            }
        }
        Tsdb t = tsdb;
        if (t != null) {
            t.close();
        }
    }

    @Override
    public boolean isReady() {
        Tsdb t = tsdb;
        return t != null && t.isReady();
    }

    /** The store's ingest path, once started (the in-process exporter writes through it). */
    public Ingest ingest() {
        return ingest;
    }

    public Tsdb tsdb() {
        return tsdb;
    }
}
