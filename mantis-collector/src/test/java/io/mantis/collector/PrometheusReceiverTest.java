package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import io.mantis.collector.model.Metrics;
import io.mantis.common.config.ConfigException;
import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.Histogram;
import io.mantis.common.metrics.JvmMetrics;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.MetricsHttpService;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The prometheus receiver against real HTTP servers on loopback. */
class PrometheusReceiverTest {
    @TempDir
    Path dir;

    private final CapturingExporterFactory sink = new CapturingExporterFactory();
    private final List<HttpListener> servers = new ArrayList<>();
    private TestCollector collector;

    @AfterEach
    void stop() throws Exception {
        if (collector != null) {
            collector.close();
        }
        for (HttpListener l : servers) {
            l.stop();
        }
    }

    private int serve(String path, HttpService service) {
        HttpListener l = HttpListener.builder("test/" + servers.size(), "127.0.0.1", 0)
                .routes(sb -> sb.service(path, service)).build();
        l.start();
        servers.add(l);
        return l.port();
    }

    private TestCollector collector(String scrapeConfigs) throws Exception {
        collector = new TestCollector("""
                receivers:
                  prometheus:
                    config:
                      scrape_configs:
                %s
                exporters:
                  capture:
                service:
                  pipelines:
                    metrics: {receivers: [prometheus], exporters: [capture]}
                """.formatted(scrapeConfigs.indent(8).stripTrailing()), dir, sink);
        return collector;
    }

    // ---------------------------------------------------------------- helpers over what was captured

    private List<ResourceMetrics> resources() {
        List<ResourceMetrics> out = new ArrayList<>();
        sink.received.forEach(t -> out.addAll(((Metrics) t).request().getResourceMetricsList()));
        return out;
    }

    private static Map<String, String> attrs(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
        return m;
    }

    private static String instance(ResourceMetrics rm) {
        return attrs(rm.getResource().getAttributesList()).get("service.instance.id");
    }

    /** The metrics named {@code name} of the scrapes of {@code instance}, in arrival order. */
    private List<Metric> metrics(String instance, String name) {
        List<Metric> out = new ArrayList<>();
        for (ResourceMetrics rm : resources()) {
            if (!instance.equals(instance(rm))) {
                continue;
            }
            rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().stream()
                    .filter(m -> m.getName().equals(name)).forEach(out::add));
        }
        return out;
    }

    private void await(String what, Predicate<Void> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.test(null)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; captured " + resources().size()
                        + " resource metrics");
            }
            Thread.sleep(20);
        }
    }

    private List<Double> ups(String instance) {
        return metrics(instance, "up").stream().map(m -> m.getGauge().getDataPoints(0).getAsDouble()).toList();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void scrapesAMantisSelfMetricsEndpointIntoOtlp() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        JvmMetrics.register(registry);
        registry.counter("otelcol_receiver_accepted_spans", "Spans pushed into the pipeline.", "receiver",
                "transport").labels("otlp", "grpc").inc(42);
        registry.gauge("mantis_queue_size", "Items in the queue.").unlabelled().set(7);
        Histogram h = registry.histogram("mantis_export_seconds", "Export latency.", new double[] {0.1, 1},
                "exporter").labels("otlp");
        h.observe(0.05);
        h.observe(0.5);
        h.observe(3);
        int port = serve("/metrics", new MetricsHttpService(registry));
        String instance = "127.0.0.1:" + port;

        collector("""
                - job_name: mantis
                  scrape_interval: 300ms
                  static_configs:
                    - targets: ['%s']
                      labels: {role: self}
                """.formatted(instance));
        await("two scrapes", v -> metrics(instance, "up").size() >= 2);

        ResourceMetrics rm = resources().stream().filter(r -> instance.equals(instance(r))).findFirst().orElseThrow();
        assertThat(attrs(rm.getResource().getAttributesList())).containsExactly(
                Map.entry("service.name", "mantis"),
                Map.entry("service.instance.id", instance),
                Map.entry("server.port", Integer.toString(port)),
                Map.entry("url.scheme", "http"));
        assertThat(rm.getScopeMetrics(0).getScope().getName()).isEqualTo("io.mantis.collector.receiver.prometheus");

        // MetricsHttpService answered in OpenMetrics (the receiver prefers it), gzipped.
        Metric spans = metrics(instance, "otelcol_receiver_accepted_spans").get(0);
        assertThat(spans.getDescription()).isEqualTo("Spans pushed into the pipeline.");
        assertThat(spans.getSum().getIsMonotonic()).isTrue();
        NumberDataPoint sp = spans.getSum().getDataPoints(0);
        assertThat(sp.getAsDouble()).isEqualTo(42);
        assertThat(attrs(sp.getAttributesList())).containsExactly(Map.entry("receiver", "otlp"),
                Map.entry("role", "self"), Map.entry("transport", "grpc"));

        assertThat(metrics(instance, "mantis_queue_size").get(0).getGauge().getDataPoints(0).getAsDouble())
                .isEqualTo(7);
        HistogramDataPoint hp = metrics(instance, "mantis_export_seconds").get(0).getHistogram().getDataPoints(0);
        assertThat(hp.getExplicitBoundsList()).containsExactly(0.1, 1.0);
        assertThat(hp.getBucketCountsList()).containsExactly(1L, 1L, 1L);
        assertThat(hp.getCount()).isEqualTo(3);
        assertThat(hp.getSum()).isEqualTo(3.55);
        assertThat(metrics(instance, "jvm_threads_current")).isNotEmpty();

        assertThat(ups(instance)).allMatch(v -> v == 1.0);
        assertThat(metrics(instance, "scrape_duration_seconds").get(0).getGauge().getDataPoints(0).getAsDouble())
                .isPositive().isLessThan(10);
        assertThat(metrics(instance, "scrape_samples_scraped").get(0).getGauge().getDataPoints(0).getAsDouble())
                .isGreaterThan(10);

        // A later scrape keeps the counter's start time (no _created from the registry).
        registry.counter("otelcol_receiver_accepted_spans", "Spans pushed into the pipeline.", "receiver",
                "transport").labels("otlp", "grpc").inc(8);
        await("the increment", v -> metrics(instance, "otelcol_receiver_accepted_spans").stream()
                .anyMatch(m -> m.getSum().getDataPoints(0).getAsDouble() == 50));
        List<Metric> all = metrics(instance, "otelcol_receiver_accepted_spans");
        NumberDataPoint last = all.getLast().getSum().getDataPoints(0);
        assertThat(last.getStartTimeUnixNano()).isEqualTo(sp.getStartTimeUnixNano());
        assertThat(last.getTimeUnixNano()).isGreaterThan(sp.getTimeUnixNano());

        assertThat(collector.metric("otelcol_receiver_accepted_metric_points_total"
                + "{receiver=\"prometheus\",transport=\"http\"}")).isGreaterThan(20);
    }

    @Test
    void readsThe004TextFormatAndSendsParamsAndScrapeHeaders() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        int port = serve("/probe", (ctx, req) -> {
            requests.add(ctx.request().uri().getRawQuery() + " | " + req.headers().get("accept") + " | "
                    + req.headers().get("x-prometheus-scrape-timeout-seconds") + " | "
                    + req.headers().get("accept-encoding"));
            return HttpResponse.of(HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), """
                    # HELP probe_success Whether the probe worked.
                    # TYPE probe_success gauge
                    probe_success{module="http_2xx"} 1
                    # TYPE probe_requests_total counter
                    probe_requests_total 12
                    """);
        });
        String instance = "localhost:" + port;
        collector("""
                - job_name: blackbox
                  scrape_interval: 300ms
                  scrape_timeout: 250ms
                  metrics_path: /probe
                  params: {module: [http_2xx], target: ['example.org']}
                  enable_compression: false
                  static_configs:
                    - targets: ['%s']
                """.formatted(instance));
        await("a scrape", v -> !metrics(instance, "probe_requests").isEmpty());
        assertThat(requests.get(0)).isEqualTo("module=http_2xx&target=example.org | "
                + "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
                + " | 0.25 | null");
        Metric counter = metrics(instance, "probe_requests").get(0);
        assertThat(counter.getSum().getDataPoints(0).getAsDouble()).isEqualTo(12);
        assertThat(metrics(instance, "probe_success").get(0).getDescription()).isEqualTo("Whether the probe worked.");
    }

    @Test
    void failingTargetsReportUpZeroAndAreLoggedOncePerStateChange() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.mantis.collector.receiver.prometheus.ScrapeLoop");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            int refused;
            try (ServerSocket s = new ServerSocket(0)) {
                refused = s.getLocalPort();
            }
            AtomicReference<String> body = new AtomicReference<>(null);
            int flaky = serve("/metrics", (ctx, req) -> body.get() == null
                    ? HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8, "boom")
                    : HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, body.get()));
            int garbage = serve("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                    MediaType.parse("application/openmetrics-text; version=1.0.0"), "ok 1\nthis is not {openmetrics\n"));
            String refusedI = "127.0.0.1:" + refused;
            String flakyI = "127.0.0.1:" + flaky;
            String garbageI = "127.0.0.1:" + garbage;
            collector("""
                    - job_name: broken
                      scrape_interval: 250ms
                      static_configs:
                        - targets: ['%s', '%s', '%s']
                    """.formatted(refusedI, flakyI, garbageI));
            await("three failed scrapes of each", v -> ups(refusedI).size() >= 3 && ups(flakyI).size() >= 3
                    && ups(garbageI).size() >= 3);
            assertThat(ups(refusedI)).allMatch(u -> u == 0);
            assertThat(ups(flakyI)).allMatch(u -> u == 0);
            assertThat(ups(garbageI)).allMatch(u -> u == 0);

            body.set("# TYPE ok gauge\nok 1\n");
            await("recovery", v -> ups(flakyI).getLast() == 1.0);
            body.set(null);
            await("a second failure", v -> ups(flakyI).getLast() == 0.0);
            int stale = (int) metrics(flakyI, "ok").stream().filter(m -> m.getGauge().getDataPoints(0).getFlags() == 1)
                    .count();
            assertThat(stale).as("the gauge went stale once when the target failed again").isEqualTo(1);

            collector.close();
            collector = null;
            List<String> lines = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines.stream().filter(l -> l.contains(refusedI))).hasSize(1).allSatisfy(l -> assertThat(l)
                    .contains("failed: cannot connect to " + refusedI));
            assertThat(lines.stream().filter(l -> l.contains(garbageI))).hasSize(1).allSatisfy(l -> assertThat(l)
                    .contains("cannot parse the response: line 2: invalid value 'is'"));
            assertThat(lines.stream().filter(l -> l.contains(flakyI))).hasSize(3).satisfiesExactly(
                    l -> assertThat(l).contains("failed: server returned HTTP status 500"),
                    l -> assertThat(l).contains("succeeds again"),
                    l -> assertThat(l).contains("failed: server returned HTTP status 500"));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void aSlowTargetTimesOut() throws Exception {
        int port = serve("/metrics", (ctx, req) -> HttpResponse.delayed(
                HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "late 1\n"), Duration.ofSeconds(3)));
        String instance = "127.0.0.1:" + port;
        collector("""
                - job_name: slow
                  scrape_interval: 300ms
                  scrape_timeout: 100ms
                  static_configs:
                    - targets: ['%s']
                """.formatted(instance));
        await("a timed-out scrape", v -> !ups(instance).isEmpty());
        assertThat(ups(instance).get(0)).isZero();
        double duration = metrics(instance, "scrape_duration_seconds").get(0).getGauge().getDataPoints(0).getAsDouble();
        assertThat(duration).isBetween(0.09, 1.0);
    }

    @Test
    void unsupportedPrometheusFeaturesAreRejectedWithTheKeyNamed() {
        assertThatThrownBy(() -> collector("""
                - job_name: k8s
                  kubernetes_sd_configs: [{role: pod}]
                  metric_relabel_configs: [{action: drop}]
                  relabel_configs: []
                  basic_auth: {username: u}
                  static_configs: [{targets: ['a:1']}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kubernetes_sd_configs: 'kubernetes_sd_configs' is not supported by the"
                        + " prometheus receiver (service discovery is not implemented; list the targets under"
                        + " static_configs)")
                .hasMessageContaining("'metric_relabel_configs' is not supported by the prometheus receiver"
                        + " (relabeling is not implemented")
                .hasMessageContaining("'relabel_configs' is not supported")
                .hasMessageContaining("'basic_auth' is not supported");
    }

    @Test
    void invalidScrapeConfigsAreReportedWithTheirLocation() {
        assertThatThrownBy(() -> collector("""
                - job_name: a
                  scrape_interval: 5s
                  scrape_timeout: 10s
                  static_configs: [{targets: ['h:1']}]
                - job_name: b
                  scheme: ftp
                  static_configs: [{targets: ['h:1']}]
                - job_name: e
                  static_configs: [{targets: ['http://h:1']}]
                - job_name: f
                  static_configs: [{targets: ['h:2'], labels: {'bad-name': x}}]
                - job_name: c
                  scrape_intervall: 5s
                  static_configs: [{targets: ['h:3']}]
                - job_name: d
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scrape_timeout 10s is greater than scrape_interval 5s")
                .hasMessageContaining("expected http or https, got 'ftp'")
                .hasMessageContaining("target 'http://h:1' must be host:port without a scheme")
                .hasMessageContaining("invalid label name 'bad-name'")
                .hasMessageContaining("unknown key 'scrape_intervall'")
                .hasMessageContaining("did you mean 'scrape_interval'?")
                .hasMessageContaining("job 'd' has no static_configs");

        assertThatThrownBy(() -> new TestCollector("""
                receivers:
                  prometheus:
                    config:
                      rule_files: [a.yml]
                      global: {scrape_interval: 1s, scrape_timeout: 2s, sample_limit: 5}
                      scrape_configs:
                        - job_name: x
                          static_configs: [{targets: ['h:1']}]
                        - job_name: x
                          static_configs: [{targets: ['h:1']}]
                exporters:
                  capture:
                service:
                  pipelines:
                    metrics: {receivers: [prometheus], exporters: [capture]}
                """, dir, sink))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'rule_files' is not supported by the prometheus receiver")
                .hasMessageContaining("'sample_limit' is not supported by the prometheus receiver")
                .hasMessageContaining("global scrape_timeout 2s is greater than scrape_interval 1s");

        assertThatThrownBy(() -> new TestCollector("""
                receivers:
                  prometheus:
                    config:
                      scrape_configs:
                        - job_name: x
                          static_configs: [{targets: ['h:1']}]
                        - job_name: x
                          static_configs: [{targets: ['h:1']}]
                exporters:
                  capture:
                service:
                  pipelines:
                    metrics: {receivers: [prometheus], exporters: [capture]}
                """, dir, sink))
                .hasMessageContaining("found multiple scrape configs with job name 'x'");

        assertThatThrownBy(() -> new TestCollector("""
                receivers:
                  prometheus:
                    target_allocator: {endpoint: 'http://ta'}
                    trim_metric_suffixes: true
                    config: {scrape_configs: []}
                exporters:
                  capture:
                service:
                  pipelines:
                    metrics: {receivers: [prometheus], exporters: [capture]}
                """, dir, sink))
                .hasMessageContaining("receivers.prometheus.trim_metric_suffixes: is not supported");

        assertThatThrownBy(() -> new TestCollector("""
                receivers:
                  prometheus:
                exporters:
                  capture:
                service:
                  pipelines:
                    metrics: {receivers: [prometheus], exporters: [capture]}
                """, dir, sink))
                .hasMessageContaining("receivers.prometheus.config: missing required key 'config'");

        assertThatThrownBy(() -> new TestCollector("""
                receivers:
                  prometheus:
                    config: {scrape_configs: [{job_name: a, static_configs: [{targets: ['h:1']}]}]}
                exporters:
                  capture:
                service:
                  pipelines:
                    traces: {receivers: [prometheus], exporters: [capture]}
                """, dir, sink))
                .hasMessageContaining("receiver 'prometheus' does not support traces (it supports [metrics])");
    }

    @Test
    void aSampleLimitFailsTheScrape() throws Exception {
        int port = serve("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
                "a 1\nb 2\nc 3\n"));
        String instance = "127.0.0.1:" + port;
        collector("""
                - job_name: limited
                  scrape_interval: 100ms
                  sample_limit: 2
                  static_configs: [{targets: ['%s']}]
                """.formatted(instance));
        await("a scrape", v -> !ups(instance).isEmpty());
        assertThat(ups(instance).get(0)).isZero();
        assertThat(metrics(instance, "a")).isEmpty();
    }
}
