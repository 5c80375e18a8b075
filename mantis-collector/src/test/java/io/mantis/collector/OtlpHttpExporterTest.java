package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.common.config.ConfigException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The otlphttp exporter against a Mantis OTLP receiver and against a scripted HTTP server. */
class OtlpHttpExporterTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private TestCollector collector(String yaml, Path data, CapturingExporterFactory... sinks) throws Exception {
        TestCollector c = new TestCollector(yaml, data, sinks);
        closing.add(c);
        return c;
    }

    /** A Mantis with an OTLP/HTTP receiver feeding a capture sink. */
    private TestCollector receiverInto(CapturingExporterFactory sink, String httpExtra) throws Exception {
        return collector("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                %s
                exporters:
                  capture:
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [capture]}
                    metrics: {receivers: [otlp], exporters: [capture]}
                    logs: {receivers: [otlp], exporters: [capture]}
                """.formatted(httpExtra), dir.resolve("b"), sink);
    }

    /** A Mantis whose OTLP/HTTP receiver feeds an otlphttp exporter configured by {@code exporter}. */
    private TestCollector forwarder(String exporter) throws Exception {
        return collector("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                exporters:
                  otlphttp:
                %s
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [otlphttp]}
                    metrics: {receivers: [otlp], exporters: [otlphttp]}
                    logs: {receivers: [otlp], exporters: [otlphttp]}
                """.formatted(exporter.indent(4)), dir.resolve("a"));
    }

    private java.net.http.HttpResponse<byte[]> post(TestCollector c, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port("otlp/http") + path))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static ExportTraceServiceRequest spans(int n, String prefix) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (int i = 0; i < n; i++) {
            byte[] trace = new byte[16];
            trace[15] = (byte) i;
            trace[0] = 1;
            ss.addSpans(Span.newBuilder().setName(prefix + i).setTraceId(ByteString.copyFrom(trace))
                    .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i}))
                    .setStartTimeUnixNano(1_700_000_000_000_000_000L + i).setEndTimeUnixNano(1_700_000_000_100_000_000L)
                    .addAttributes(attr("http.route", "/orders/{id}")));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "checkout")))
                .addScopeSpans(ss)).build();
    }

    private static ExportMetricsServiceRequest points(int n) {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < n; i++) {
            g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L + i)
                    .setAsDouble(i * 1.5).addAttributes(attr("cpu", "cpu" + i)));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
                        .setName("system.cpu.utilization").setUnit("1").setGauge(g)))).build();
    }

    private static ExportLogsServiceRequest logs(int n) {
        ScopeLogs.Builder sl = ScopeLogs.newBuilder();
        for (int i = 0; i < n; i++) {
            sl.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L + i)
                    .setSeverityText("WARN").setBody(AnyValue.newBuilder().setStringValue("disk at 9" + i + "% ✓")));
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(sl))
                .build();
    }

    private static <T extends Telemetry> List<T> of(CapturingExporterFactory sink, Class<T> type) {
        return sink.received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @ParameterizedTest
    @CsvSource({"proto, gzip", "json, gzip", "proto, none", "json, none", "proto, zstd", "json, zstd"})
    void forwardsEverySignalToAMantisReceiverUnchanged(String encoding, String compression) throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        TestCollector b = receiverInto(sink, "");
        TestCollector a = forwarder("""
                endpoint: http://127.0.0.1:%d
                encoding: %s
                compression: %s
                """.formatted(b.port("otlp/http"), encoding, compression));

        ExportTraceServiceRequest traces = spans(7, "op");
        ExportMetricsServiceRequest metrics = points(4);
        ExportLogsServiceRequest logRecords = logs(3);
        assertThat(post(a, "/v1/traces", traces.toByteArray()).statusCode()).isEqualTo(200);
        assertThat(post(a, "/v1/metrics", metrics.toByteArray()).statusCode()).isEqualTo(200);
        assertThat(post(a, "/v1/logs", logRecords.toByteArray()).statusCode()).isEqualTo(200);
        sink.awaitItems(Signal.TRACES, 7);
        sink.awaitItems(Signal.METRICS, 4);
        sink.awaitItems(Signal.LOGS, 3);

        // Byte-for-byte the same requests, whatever the encoding on the way.
        assertThat(of(sink, Traces.class)).singleElement().extracting(Traces::request).isEqualTo(traces);
        assertThat(of(sink, Metrics.class)).singleElement().extracting(Metrics::request).isEqualTo(metrics);
        assertThat(of(sink, Logs.class)).singleElement().extracting(Logs::request).isEqualTo(logRecords);
        // The sink has the data before the exporter has read the answer and counted it.
        awaitMetric(a, "otelcol_exporter_sent_spans_total{exporter=\"otlphttp\"}", 7);
        awaitMetric(a, "otelcol_exporter_sent_metric_points_total{exporter=\"otlphttp\"}", 4);
        awaitMetric(a, "otelcol_exporter_sent_log_records_total{exporter=\"otlphttp\"}", 3);
        assertThat(a.metric("otelcol_exporter_sent_spans_total{exporter=\"otlphttp\"}")).isEqualTo(7);
        assertThat(a.metric("otelcol_exporter_sent_metric_points_total{exporter=\"otlphttp\"}")).isEqualTo(4);
        assertThat(a.metric("otelcol_exporter_sent_log_records_total{exporter=\"otlphttp\"}")).isEqualTo(3);
        assertThat(a.metric("otelcol_exporter_send_failed_spans_total{exporter=\"otlphttp\"}")).isZero();
    }

    @Test
    void aSignalsOwnEndpointIsUsedAsIs() throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        TestCollector b = receiverInto(sink, "        traces_url_path: /ingest/spans");
        int port = b.port("otlp/http");
        TestCollector a = forwarder("""
                endpoint: http://127.0.0.1:%d/
                traces_endpoint: http://127.0.0.1:%d/ingest/spans
                """.formatted(port, port));
        assertThat(post(a, "/v1/traces", spans(2, "x").toByteArray()).statusCode()).isEqualTo(200);
        assertThat(post(a, "/v1/logs", logs(2).toByteArray()).statusCode()).isEqualTo(200);
        sink.awaitItems(Signal.TRACES, 2);
        sink.awaitItems(Signal.LOGS, 2);
        assertThat(sink.items(Signal.TRACES)).isEqualTo(2);
        assertThat(sink.items(Signal.LOGS)).isEqualTo(2);
    }

    /** What a scripted server saw of one request. */
    record Seen(String path, String contentType, String contentEncoding, String header, byte[] body) {
    }

    private Server server(List<Seen> seen, Function<Integer, HttpResponse> answer) {
        AtomicInteger n = new AtomicInteger();
        Server s = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0)
                .serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate()
                        .thenApply((AggregatedHttpRequest r) -> {
                            seen.add(new Seen(r.path(), r.headers().get("content-type"),
                                    r.headers().get("content-encoding"), r.headers().get("x-tenant"),
                                    r.content().array()));
                            return answer.apply(n.incrementAndGet());
                        }))).build();
        s.start().join();
        closing.add(() -> s.stop().join());
        return s;
    }

    private static byte[] gunzip(byte[] b) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return in.readAllBytes();
        }
    }

    private static void awaitMetric(TestCollector c, String series, double value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (c.metric(series) < value && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void retryAfterOn503IsHonouredAndTheDataArrivesOnce() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Server s = server(seen, n -> n <= 2
                ? HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                        .add("retry-after", "1").build())
                : HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                        .contentType(MediaType.parse("application/x-protobuf")).build(),
                        HttpData.wrap(ExportTraceServiceResponse.getDefaultInstance().toByteArray())));
        // Back-off alone would wait 20 s: only honouring Retry-After makes the retries this quick.
        TestCollector a = forwarder("""
                endpoint: http://127.0.0.1:%d
                headers:
                  X-Tenant: acme
                retry_on_failure:
                  initial_interval: 20s
                  max_interval: 20s
                """.formatted(s.activeLocalPort()));
        ExportTraceServiceRequest sent = spans(5, "r");
        long start = System.nanoTime();
        assertThat(post(a, "/v1/traces", sent.toByteArray()).statusCode()).isEqualTo(200);
        awaitMetric(a, "otelcol_exporter_sent_spans_total{exporter=\"otlphttp\"}", 5);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(a.metric("otelcol_exporter_sent_spans_total{exporter=\"otlphttp\"}")).isEqualTo(5);
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
        Thread.sleep(300);
        assertThat(seen).hasSize(3); // two refusals, one success: nothing sent after it
        for (Seen r : seen) {
            assertThat(r.path()).isEqualTo("/v1/traces");
            assertThat(r.contentType()).isEqualTo("application/x-protobuf");
            assertThat(r.contentEncoding()).isEqualTo("gzip");
            assertThat(r.header()).isEqualTo("acme");
            assertThat(ExportTraceServiceRequest.parseFrom(gunzip(r.body()))).isEqualTo(sent);
        }
        assertThat(a.metric("otelcol_exporter_send_failed_spans_total{exporter=\"otlphttp\"}")).isZero();
    }

    @Test
    void a400IsPermanentCountedAsFailedAndItsMessageReachesTheSender() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Server s = server(seen, n -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.BAD_REQUEST)
                        .contentType(MediaType.parse("application/x-protobuf")).build(),
                HttpData.wrap(com.google.rpc.Status.newBuilder().setCode(3)
                        .setMessage("span r1 has an end before its start").build().toByteArray())));
        // Queued: the receiver answers 200, the sender drops the batch at once and counts it.
        TestCollector queued = forwarder("endpoint: http://127.0.0.1:" + s.activeLocalPort());
        assertThat(post(queued, "/v1/traces", spans(4, "r").toByteArray()).statusCode()).isEqualTo(200);
        awaitMetric(queued, "otelcol_exporter_send_failed_spans_total{exporter=\"otlphttp\"}", 4);
        assertThat(queued.metric("otelcol_exporter_send_failed_spans_total{exporter=\"otlphttp\"}")).isEqualTo(4);
        assertThat(queued.metric("otelcol_exporter_sent_spans_total{exporter=\"otlphttp\"}")).isZero();
        assertThat(seen).hasSize(1);

        // Unqueued: the error travels back to the receiver's caller, message included.
        TestCollector direct = collector("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                exporters:
                  otlphttp:
                    endpoint: http://127.0.0.1:%d
                    sending_queue: {enabled: false}
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [otlphttp]}
                """.formatted(s.activeLocalPort()), dir.resolve("direct"));
        java.net.http.HttpResponse<byte[]> r = post(direct, "/v1/traces", spans(2, "r").toByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
                .isEqualTo("http://127.0.0.1:" + s.activeLocalPort()
                        + "/v1/traces answered 400 Bad Request: span r1 has an end before its start");
        assertThat(direct.metric("otelcol_exporter_send_failed_spans_total{exporter=\"otlphttp\"}")).isEqualTo(2);
        assertThat(seen).hasSize(2);
    }

    @Test
    void aJsonErrorBodyIsReadForJsonRequests() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Server s = server(seen, n -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
                .contentType(MediaType.JSON).build(), HttpData.ofUtf8("{\"code\":16,\"message\":\"bad token\"}")));
        TestCollector direct = forwarder("""
                endpoint: http://127.0.0.1:%d
                encoding: json
                compression: none
                sending_queue: {enabled: false}
                """.formatted(s.activeLocalPort()));
        java.net.http.HttpResponse<byte[]> r = post(direct, "/v1/traces", spans(1, "j").toByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage()).endsWith("401 Unauthorized: bad token");
        assertThat(seen.getFirst().contentType()).isEqualTo("application/json");
        assertThat(new String(seen.getFirst().body())).startsWith("{\"resourceSpans\":[");
    }

    @Test
    void aPartialSuccessIsLoggedWithTheRejectedCountAndNotRetried() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Server s = server(seen, n -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                        .contentType(MediaType.parse("application/x-protobuf")).build(),
                HttpData.wrap(ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess
                        .newBuilder().setRejectedSpans(2).setErrorMessage("2 spans are older than 7 days"))
                        .build().toByteArray())));
        try (LogCapture logs = new LogCapture(Class.forName(
                "io.mantis.collector.exporter.otlphttp.OtlpHttpExporter"))) {
            TestCollector a = forwarder("endpoint: http://127.0.0.1:" + s.activeLocalPort());
            assertThat(post(a, "/v1/traces", spans(5, "p").toByteArray()).statusCode()).isEqualTo(200);
            awaitMetric(a, "otelcol_exporter_sent_spans_total{exporter=\"otlphttp\"}", 5);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("accepted the batch partially, rejecting 2 of 5 spans: 2 spans are older than 7 days");
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void configProblemsAreReportedBeforeAnythingStarts() {
        assertThatThrownBy(() -> forwarder("compression: gzip"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("otlphttp needs an endpoint");
        assertThatThrownBy(() -> forwarder("endpoint: http://h\nencoding: protobuf"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("encoding")
                .hasMessageContaining("expected proto or json");
        assertThatThrownBy(() -> forwarder("endpoint: http://h\nsending_queue: {storage: redis}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("only the file_storage extension can hold a sending queue");
        assertThatThrownBy(() -> forwarder("traces_endpoint: http://h/t"))
                .hasMessageContaining("no endpoint for metrics");
    }
}
