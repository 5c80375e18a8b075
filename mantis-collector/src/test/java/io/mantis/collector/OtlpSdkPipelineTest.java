package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK sends spans, metrics and logs over OTLP/gRPC, OTLP/HTTP protobuf and
 * OTLP/HTTP JSON to collector A (otlp receiver, batch, otlp exporter), which forwards them over
 * OTLP/gRPC to collector B (otlp receiver into a capturing exporter): every item arrives and the
 * self-metrics count them.
 */
class OtlpSdkPipelineTest {
    private static final Resource RESOURCE = Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), "checkout", AttributeKey.stringKey("service.version"), "1.2.3"));

    @TempDir
    Path dir;

    private final CapturingExporterFactory sink = new CapturingExporterFactory();
    private TestCollector b;
    private TestCollector a;

    @BeforeEach
    void start() throws Exception {
        b = new TestCollector("""
                receivers:
                  otlp:
                    protocols:
                      grpc:
                        endpoint: 127.0.0.1:0
                exporters:
                  capture:
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [capture]}
                    metrics: {receivers: [otlp], exporters: [capture]}
                    logs: {receivers: [otlp], exporters: [capture]}
                """, dir.resolve("b"), sink);
        a = new TestCollector("""
                receivers:
                  otlp:
                    protocols:
                      grpc:
                        endpoint: 127.0.0.1:0
                      http:
                        endpoint: 127.0.0.1:0
                processors:
                  batch:
                    timeout: 50ms
                    send_batch_size: 64
                exporters:
                  otlp/b:
                    endpoint: 127.0.0.1:%d
                    tls:
                      insecure: true
                service:
                  pipelines:
                    traces: {receivers: [otlp], processors: [batch], exporters: [otlp/b]}
                    metrics: {receivers: [otlp], processors: [batch], exporters: [otlp/b]}
                    logs: {receivers: [otlp], processors: [batch], exporters: [otlp/b]}
                """.formatted(b.port("otlp/grpc")), dir.resolve("a"));
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static void sendSpans(SpanExporter exporter, String prefix, int n) {
        SdkTracerProvider tp = SdkTracerProvider.builder().setResource(RESOURCE)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(20)).build()).build();
        Tracer tracer = tp.get("io.mantis.test", "0.1");
        for (int i = 0; i < n; i++) {
            tracer.spanBuilder(prefix + "-" + i).setAttribute("i", i).startSpan().end();
        }
        assertThat(tp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        tp.shutdown().join(10, TimeUnit.SECONDS);
    }

    @Test
    void spansArriveOverGrpcHttpProtobufAndHttpJson() throws Exception {
        sendSpans(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + a.port("otlp/grpc")).build(),
                "grpc", 100);
        sendSpans(OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + a.port("otlp/http") + "/v1/traces").build(), "http", 50);

        // OTLP/JSON as the SDK's own marshaller writes it.
        List<SpanData> spans = new ArrayList<>();
        sendSpans(new CollectingSpanExporter(spans), "json", 25);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans).writeJsonTo(json);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + a.port("otlp/http") + "/v1/traces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));

        sink.awaitItems(Signal.TRACES, 175);
        assertThat(sink.items(Signal.TRACES)).isEqualTo(175);
        Set<String> names = new TreeSet<>();
        for (Telemetry t : sink.received) {
            if (t instanceof Traces tr) {
                tr.request().getResourceSpansList().forEach(rs -> {
                    assertThat(rs.getResource().getAttributesList())
                            .anySatisfy(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("checkout"));
                    rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName())));
                });
            }
        }
        assertThat(names).hasSize(175).contains("grpc-0", "http-49", "json-24");

        assertThat(a.metric("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"}"))
                .isEqualTo(100);
        assertThat(a.metric("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"}"))
                .isEqualTo(75);
        assertThat(a.metric("otelcol_receiver_refused_spans_total{receiver=\"otlp\",transport=\"grpc\"}")).isZero();
        awaitMetric(a, "otelcol_exporter_sent_spans_total{exporter=\"otlp/b\"}", 175);
        assertThat(b.metric("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"}"))
                .isEqualTo(175);
        assertThat(a.scrape()).contains("otelcol_processor_batch_batch_send_size_count{processor=\"batch\"}");
    }

    private static void awaitMetric(TestCollector c, String series, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.metric(series) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(c.metric(series)).as(series).isEqualTo(expected);
    }

    private static void sendMetrics(MetricExporter exporter) {
        PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
        SdkMeterProvider mp = SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader)
                .registerView(InstrumentSelector.builder().setName("payload.size").build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                .build();
        Meter meter = mp.get("io.mantis.test");
        var requests = meter.counterBuilder("http.requests").setUnit("{request}").build();
        requests.add(3, Attributes.of(AttributeKey.stringKey("route"), "/a"));
        requests.add(5, Attributes.of(AttributeKey.stringKey("route"), "/b"));
        meter.gaugeBuilder("queue.depth").build().set(7);
        var latency = meter.histogramBuilder("http.duration").setUnit("s").build();
        latency.record(0.2);
        latency.record(1.5);
        var payload = meter.histogramBuilder("payload.size").setUnit("By").build();
        payload.record(100);
        payload.record(2000);
        assertThat(mp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        mp.shutdown().join(10, TimeUnit.SECONDS);
    }

    @Test
    void metricsOfEveryKindArriveOverGrpcAndHttp() throws Exception {
        sendMetrics(OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + a.port("otlp/grpc")).build());
        sendMetrics(OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + a.port("otlp/http") + "/v1/metrics").build());

        // Each export has 2 counter points, 1 gauge, 1 histogram and 1 exponential histogram; the
        // SDK exports at flush and again at shutdown, so count what the receiver accepted.
        double grpc = a.metric("otelcol_receiver_accepted_metric_points_total{receiver=\"otlp\",transport=\"grpc\"}");
        double http = a.metric("otelcol_receiver_accepted_metric_points_total{receiver=\"otlp\",transport=\"http\"}");
        assertThat(grpc).isGreaterThanOrEqualTo(5);
        assertThat(http).isGreaterThanOrEqualTo(5);
        int total = (int) (grpc + http);
        sink.awaitItems(Signal.METRICS, total);
        assertThat(sink.items(Signal.METRICS)).isEqualTo(total);
        Set<String> kinds = new TreeSet<>();
        for (Telemetry t : sink.received) {
            if (t instanceof Metrics m) {
                m.request().getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm ->
                        sm.getMetricsList().forEach((Metric metric) -> kinds.add(metric.getName() + ":"
                                + metric.getDataCase()))));
            }
        }
        // The SDK adds its own otel.sdk.* metrics beside ours.
        assertThat(kinds).contains("http.duration:HISTOGRAM", "http.requests:SUM",
                "payload.size:EXPONENTIAL_HISTOGRAM", "queue.depth:GAUGE");
        awaitMetric(a, "otelcol_exporter_sent_metric_points_total{exporter=\"otlp/b\"}", total);
        assertThat(a.metric("otelcol_receiver_refused_metric_points_total{receiver=\"otlp\",transport=\"grpc\"}"))
                .isZero();
    }

    private static void sendLogs(LogRecordExporter exporter, int n) {
        SdkLoggerProvider lp = SdkLoggerProvider.builder().setResource(RESOURCE)
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(20)).build()).build();
        Logger logger = lp.get("io.mantis.test");
        for (int i = 0; i < n; i++) {
            logger.logRecordBuilder().setBody("order " + i + " placed")
                    .setSeverity(io.opentelemetry.api.logs.Severity.INFO).setSeverityText("INFO")
                    .setAttribute(AttributeKey.longKey("order.id"), (long) i).emit();
        }
        assertThat(lp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        lp.shutdown().join(10, TimeUnit.SECONDS);
    }

    @Test
    void logsArriveOverGrpcAndHttp() throws Exception {
        sendLogs(OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + a.port("otlp/grpc")).build(),
                30);
        sendLogs(OtlpHttpLogRecordExporter.builder()
                .setEndpoint("http://127.0.0.1:" + a.port("otlp/http") + "/v1/logs").build(), 20);
        sink.awaitItems(Signal.LOGS, 50);
        assertThat(sink.items(Signal.LOGS)).isEqualTo(50);
        assertThat(a.metric("otelcol_receiver_accepted_log_records_total{receiver=\"otlp\",transport=\"grpc\"}"))
                .isEqualTo(30);
        assertThat(a.metric("otelcol_receiver_accepted_log_records_total{receiver=\"otlp\",transport=\"http\"}"))
                .isEqualTo(20);
        awaitMetric(a, "otelcol_exporter_sent_log_records_total{exporter=\"otlp/b\"}", 50);
        awaitMetric(b, "otelcol_receiver_accepted_log_records_total{receiver=\"otlp\",transport=\"grpc\"}", 50);
    }

    /** Keeps the SDK's spans so the test can encode them itself. */
    private record CollectingSpanExporter(List<SpanData> spans) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
