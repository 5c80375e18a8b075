package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.collector.model.Metrics;
import io.mantis.collector.receiver.prometheus.Exposition;
import io.mantis.collector.receiver.prometheus.ExpositionFormat;
import io.mantis.collector.receiver.prometheus.ExpositionParser;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP in over HTTP, the prometheus exporter's scrape endpoint out over HTTP, and back through the receiver. */
class PrometheusExporterTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long T1 = T0 + 10_000_000_000L;
    static final long T2 = T1 + 10_000_000_000L;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<TestCollector> collectors = new ArrayList<>();

    @AfterEach
    void stop() {
        collectors.forEach(TestCollector::close);
    }

    private TestCollector exporting(String exporterSettings) throws Exception {
        TestCollector c = new TestCollector("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                exporters:
                  prometheus:
                %s
                service:
                  pipelines:
                    metrics: {receivers: [otlp], exporters: [prometheus]}
                """.formatted(exporterSettings.indent(4).stripTrailing()), dir);
        collectors.add(c);
        return c;
    }

    private void send(TestCollector c, ExportMetricsServiceRequest request) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + c.port("otlp/http") + "/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private HttpResponse<byte[]> get(TestCollector c, String accept, String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + c.port("exporter/prometheus/http") + "/metrics")).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (encoding != null) {
            b.header("Accept-Encoding", encoding);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String scrape(TestCollector c) throws Exception {
        HttpResponse<byte[]> r = get(c, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- OTLP building

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static KeyValue kv(String k, long v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
    }

    static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout"))
                        .addAttributes(kv("service.namespace", "shop"))
                        .addAttributes(kv("service.instance.id", "pod-1"))
                        .addAttributes(kv("host.name", "node-a")))
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.test").setVersion("1.0"))
                        .addAllMetrics(List.of(metrics)))).build();
    }

    static NumberDataPoint.Builder number(long start, long time) {
        return NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time);
    }

    static Metric gauge(String name, String unit, String help, double v) {
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription(help)
                .setGauge(Gauge.newBuilder().addDataPoints(number(0, T1).setAsDouble(v))).build();
    }

    static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality t, long start, long time,
                      long v) {
        return Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder().setIsMonotonic(monotonic)
                .setAggregationTemporality(t).addDataPoints(number(start, time).setAsInt(v))).build();
    }

    static ExportMetricsServiceRequest everyType() {
        Metric histogram = Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
                .setDescription("Request duration.").setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(T0).setTimeUnixNano(T1)
                                .addAttributes(kv("http.request.method", "GET"))
                                .addAttributes(kv("http.response.status_code", 200))
                                .addAllExplicitBounds(List.of(0.1, 1.0)).addAllBucketCounts(List.of(2L, 3L, 1L))
                                .setCount(6).setSum(4.25))).build();
        Metric summary = Metric.newBuilder().setName("rpc.latency").setUnit("ms").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setStartTimeUnixNano(T0).setTimeUnixNano(T1).setCount(10)
                        .setSum(2.5)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.1))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99)
                                .setValue(0.5)))).build();
        Metric exponential = Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram
                .newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T1).setCount(1)))
                .build();
        return request(
                histogram,
                sum("http.server.requests", "{request}", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                        T0, T1, 10),
                sum("jobs.done", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, T0, T1, 3),
                gauge("process.memory.usage", "By", "Memory in use.\nIn bytes.", 1024),
                gauge("cpu.utilization", "1", "", 0.25),
                sum("queue.depth", "", false, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, T0, T1, 5),
                sum("delta.updown", "", false, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, T0, T1, 1),
                summary,
                exponential);
    }

    static final String LABELS = "env=\"test\",instance=\"pod-1\",job=\"shop/checkout\",otel_scope_name=\"io.test\","
            + "otel_scope_version=\"1.0\"";

    // ---------------------------------------------------------------- tests

    @Test
    void exposesWhatOtlpSentInTheTextFormat() throws Exception {
        TestCollector c = exporting("""
                endpoint: 127.0.0.1:0
                const_labels: {env: test}
                """);
        send(c, everyType());
        // A second delta continuing the first is added up; a cumulative point replaces the last one.
        send(c, request(sum("jobs.done", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, T1, T2, 4),
                sum("http.server.requests", "{request}", true,
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, T0, T2, 12)));

        String L = LABELS;
        assertThat(scrape(c)).isEqualTo("""
                # TYPE cpu_utilization_ratio gauge
                cpu_utilization_ratio{%1$s} 0.25
                # HELP http_server_request_duration_seconds Request duration.
                # TYPE http_server_request_duration_seconds histogram
                http_server_request_duration_seconds_bucket{%2$s,le="0.1"} 2
                http_server_request_duration_seconds_bucket{%2$s,le="1.0"} 5
                http_server_request_duration_seconds_bucket{%2$s,le="+Inf"} 6
                http_server_request_duration_seconds_sum{%2$s} 4.25
                http_server_request_duration_seconds_count{%2$s} 6
                # TYPE http_server_requests_total counter
                http_server_requests_total{%1$s} 12
                # TYPE jobs_done_total counter
                jobs_done_total{%1$s} 7
                # HELP process_memory_usage_bytes Memory in use.\\nIn bytes.
                # TYPE process_memory_usage_bytes gauge
                process_memory_usage_bytes{%1$s} 1024
                # TYPE queue_depth gauge
                queue_depth{%1$s} 5
                # TYPE rpc_latency_milliseconds summary
                rpc_latency_milliseconds{%1$s,quantile="0.5"} 0.1
                rpc_latency_milliseconds{%1$s,quantile="0.99"} 0.5
                rpc_latency_milliseconds_sum{%1$s} 2.5
                rpc_latency_milliseconds_count{%1$s} 10
                # HELP target_info Target metadata
                # TYPE target_info gauge
                target_info{host_name="node-a",instance="pod-1",job="shop/checkout"} 1
                """.formatted(L, "env=\"test\",http_request_method=\"GET\",http_response_status_code=\"200\","
                + "instance=\"pod-1\",job=\"shop/checkout\",otel_scope_name=\"io.test\",otel_scope_version=\"1.0\""));

        assertThat(c.metric("mantis_exporter_prometheus_dropped_metric_points_total"
                + "{exporter=\"prometheus\",reason=\"exponential_histogram\"}")).isEqualTo(1);
        assertThat(c.metric("mantis_exporter_prometheus_dropped_metric_points_total"
                + "{exporter=\"prometheus\",reason=\"delta_non_monotonic_sum\"}")).isEqualTo(1);
        assertThat(c.metric("otelcol_exporter_sent_metric_points_total{exporter=\"prometheus\"}")).isEqualTo(11);
    }

    @Test
    void theScrapeParsesBackAndTheReceiverRoundTripsIt() throws Exception {
        TestCollector c = exporting("""
                endpoint: 127.0.0.1:0
                enable_open_metrics: true
                """);
        send(c, everyType());

        // Both formats parse with the receiver's parser.
        Exposition text = ExpositionParser.parse(get(c, null, null).body(), ExpositionFormat.TEXT_004);
        HttpResponse<byte[]> omResponse = get(c, "application/openmetrics-text;version=1.0.0", null);
        assertThat(omResponse.headers().firstValue("content-type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        String om = new String(omResponse.body(), StandardCharsets.UTF_8);
        Exposition openMetrics = ExpositionParser.parse(omResponse.body(), ExpositionFormat.OPENMETRICS);
        assertThat(text.samples()).hasSize(15);
        assertThat(openMetrics.samples()).as("plus four _created lines").hasSize(19);
        assertThat(om).contains("# TYPE http_server_requests counter\n")
                .contains("http_server_requests_created{instance=\"pod-1\",job=\"shop/checkout\","
                        + "otel_scope_name=\"io.test\",otel_scope_version=\"1.0\"} 1700000000.000\n")
                .contains("# TYPE process_memory_usage_bytes gauge\n# UNIT process_memory_usage_bytes bytes\n")
                .contains("# TYPE target info\n")
                .endsWith("# EOF\n");

        // A second collector scrapes the first one, as a Prometheus federating it would.
        int port = c.port("exporter/prometheus/http");
        CapturingExporterFactory sink = new CapturingExporterFactory();
        TestCollector scraper = new TestCollector("""
                receivers:
                  prometheus:
                    config:
                      scrape_configs:
                        - job_name: federate
                          scrape_interval: 300ms
                          honor_labels: true
                          static_configs: [{targets: ['127.0.0.1:%d']}]
                exporters:
                  capture:
                service:
                  pipelines:
                    metrics: {receivers: [prometheus], exporters: [capture]}
                """.formatted(port), dir, sink);
        collectors.add(scraper);
        ResourceMetrics app = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (app == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            for (var t : sink.received) {
                for (ResourceMetrics rm : ((Metrics) t).request().getResourceMetricsList()) {
                    if (attrs(rm.getResource().getAttributesList()).get("service.name").equals("shop/checkout")) {
                        app = rm;
                    }
                }
            }
        }
        assertThat(app).as("the federated resource").isNotNull();
        assertThat(attrs(app.getResource().getAttributesList())).containsEntry("service.instance.id", "pod-1")
                .containsEntry("host_name", "node-a");
        ScopeMetrics scope = app.getScopeMetrics(0);
        assertThat(scope.getScope().getName()).isEqualTo("io.test");
        assertThat(scope.getScope().getVersion()).isEqualTo("1.0");
        Map<String, Metric> byName = new LinkedHashMap<>();
        scope.getMetricsList().forEach(m -> byName.put(m.getName(), m));
        assertThat(byName).containsOnlyKeys("cpu_utilization_ratio", "http_server_request_duration_seconds",
                "http_server_requests", "jobs_done", "process_memory_usage_bytes", "queue_depth",
                "rpc_latency_milliseconds");

        HistogramDataPoint h = byName.get("http_server_request_duration_seconds").getHistogram().getDataPoints(0);
        assertThat(h.getExplicitBoundsList()).containsExactly(0.1, 1.0);
        assertThat(h.getBucketCountsList()).containsExactly(2L, 3L, 1L);
        assertThat(h.getCount()).isEqualTo(6);
        assertThat(h.getSum()).isEqualTo(4.25);
        assertThat(h.getStartTimeUnixNano()).as("from _created").isEqualTo(T0);
        assertThat(attrs(h.getAttributesList())).containsExactly(Map.entry("http_request_method", "GET"),
                Map.entry("http_response_status_code", "200"));
        assertThat(byName.get("http_server_request_duration_seconds").getUnit()).isEqualTo("s");
        assertThat(byName.get("http_server_request_duration_seconds").getDescription()).isEqualTo("Request duration.");

        NumberDataPoint requests = byName.get("http_server_requests").getSum().getDataPoints(0);
        assertThat(byName.get("http_server_requests").getSum().getIsMonotonic()).isTrue();
        assertThat(requests.getAsDouble()).isEqualTo(10);
        assertThat(requests.getStartTimeUnixNano()).isEqualTo(T0);
        assertThat(byName.get("jobs_done").getSum().getDataPoints(0).getAsDouble()).isEqualTo(3);
        assertThat(byName.get("process_memory_usage_bytes").getGauge().getDataPoints(0).getAsDouble())
                .isEqualTo(1024);
        assertThat(byName.get("process_memory_usage_bytes").getUnit()).isEqualTo("By");
        assertThat(byName.get("cpu_utilization_ratio").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(0.25);
        assertThat(byName.get("queue_depth").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(5);
        SummaryDataPoint s = byName.get("rpc_latency_milliseconds").getSummary().getDataPoints(0);
        assertThat(s.getQuantileValuesList()).extracting(q -> q.getQuantile() + "=" + q.getValue())
                .containsExactly("0.5=0.1", "0.99=0.5");
        assertThat(s.getCount()).isEqualTo(10);
        assertThat(s.getSum()).isEqualTo(2.5);
    }

    @Test
    void seriesExpireAndStaleMarkersRemoveThem() throws Exception {
        TestCollector c = exporting("""
                endpoint: 127.0.0.1:0
                metric_expiration: 400ms
                """);
        send(c, request(gauge("a", "", "", 1), gauge("b", "", "", 2)));
        assertThat(scrape(c)).contains("\na{").contains("\nb{").contains("target_info{");

        Metric staleB = Metric.newBuilder().setName("b").setGauge(Gauge.newBuilder()
                .addDataPoints(number(0, T2).setAsDouble(Double.NaN).setFlags(1))).build();
        send(c, request(staleB));
        assertThat(scrape(c)).contains("\na{").doesNotContain("\nb{");

        Thread.sleep(700);
        assertThat(scrape(c)).as("expired, target_info with it").isEmpty();
        send(c, request(gauge("a", "", "", 3)));
        assertThat(scrape(c)).contains("} 3\n");
    }

    @Test
    void resourceAttributesBecomeLabelsWhenAskedAndTimestampsAreSent() throws Exception {
        TestCollector c = exporting("""
                endpoint: 127.0.0.1:0
                namespace: shop
                send_timestamps: true
                add_metric_suffixes: false
                resource_to_telemetry_conversion: {enabled: true}
                """);
        send(c, request(gauge("process.memory.usage", "By", "", 1),
                sum("orders", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, T0, T1, 2)));
        String labels = "host_name=\"node-a\",instance=\"pod-1\",job=\"shop/checkout\",otel_scope_name=\"io.test\","
                + "otel_scope_version=\"1.0\",service_instance_id=\"pod-1\",service_name=\"checkout\","
                + "service_namespace=\"shop\"";
        assertThat(scrape(c)).contains("# TYPE shop_orders counter\nshop_orders{" + labels + "} 2 1700000010000\n")
                .contains("# TYPE shop_process_memory_usage gauge\nshop_process_memory_usage{" + labels
                        + "} 1 1700000010000\n");
    }

    @Test
    void servesGzipHeadAndRefusesOtherMethodsAndOpenMetricsWhenDisabled() throws Exception {
        TestCollector c = exporting("endpoint: 127.0.0.1:0\n");
        send(c, request(gauge("a", "", "", 1)));
        HttpResponse<byte[]> gz = get(c, "application/openmetrics-text;version=1.0.0", "gzip");
        assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gz.headers().firstValue("content-type")).as("OpenMetrics is off by default")
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(scrape(c));

        URI uri = URI.create("http://127.0.0.1:" + c.port("exporter/prometheus/http") + "/metrics");
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(body.length());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                "x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void configIsCheckedAsTheCollectorDoes() {
        assertThatThrownBy(() -> exporting("namespace: x\n"))
                .hasMessageContaining("exporters.prometheus.endpoint: missing required key 'endpoint'");
        assertThatThrownBy(() -> exporting("endpoint: 127.0.0.1:0\ntls: {cert_file: a.pem}\n"))
                .hasMessageContaining("exporters.prometheus.tls: is not supported");
        assertThatThrownBy(() -> exporting("endpoint: 127.0.0.1:0\nconst_labels: {'a.b': x}\n"))
                .hasMessageContaining("invalid label name 'a.b'");
        assertThatThrownBy(() -> exporting("endpoint: 127.0.0.1:0\nmetric_expiration: 0s\n"))
                .hasMessageContaining("metric_expiration: must be a positive duration");
        assertThatThrownBy(() -> new TestCollector("""
                receivers:
                  otlp: {protocols: {http: {endpoint: '127.0.0.1:0'}}}
                exporters:
                  prometheus: {endpoint: '127.0.0.1:0'}
                service:
                  pipelines:
                    logs: {receivers: [otlp], exporters: [prometheus]}
                """, dir)).hasMessageContaining("exporter 'prometheus' does not support logs");
    }

    private static Map<String, String> attrs(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
        return m;
    }
}
