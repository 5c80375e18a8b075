package io.mantis.collector.processor.filter;

import static io.mantis.collector.Otlp.attrs;
import static io.mantis.collector.Otlp.log;
import static io.mantis.collector.Otlp.logs;
import static io.mantis.collector.Otlp.metricList;
import static io.mantis.collector.Otlp.metrics;
import static io.mantis.collector.Otlp.records;
import static io.mantis.collector.Otlp.resource;
import static io.mantis.collector.Otlp.scope;
import static io.mantis.collector.Otlp.span;
import static io.mantis.collector.Otlp.spans;
import static io.mantis.collector.Otlp.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.collector.CapturingExporterFactory;
import io.mantis.collector.ProcessorTests;
import io.mantis.collector.Signal;
import io.mantis.collector.TestCollector;
import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.TextFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterProcessorTest {
    @TempDir
    Path dir;

    private final FilterProcessorFactory factory = new FilterProcessorFactory();
    private final MetricRegistry registry = new MetricRegistry();

    /** What the processor hands on for {@code batch}: null when it hands on nothing. */
    private <T extends Telemetry> T run(String yaml, T batch) throws Exception {
        List<T> out = new ArrayList<>();
        Processor<T> p = factory.create(ProcessorTests.settings("filter/test", registry),
                ProcessorTests.bind(factory, yaml), batch.signal(), out::add);
        p.consume(batch);
        assertThat(out).hasSizeLessThanOrEqualTo(1);
        return out.isEmpty() ? null : out.getFirst();
    }

    private double metric(String series) throws Exception {
        StringBuilder sb = new StringBuilder();
        TextFormat.write004(registry, sb);
        for (String line : sb.toString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    private static List<String> names(Traces t) {
        return spans(t).stream().map(Span::getName).toList();
    }

    @Test
    void spansMatchingAnyConditionAreDroppedAndCounted() throws Exception {
        Traces in = traces(span("GET /health"), span("GET /users", "http.status_code", 200),
                span("POST /orders", "http.status_code", 500));
        Traces out = run("""
                traces:
                  span:
                    - 'name == "GET /health"'
                    - 'attributes["http.status_code"] >= 500'
                """, in);
        assertThat(names(out)).containsExactly("GET /users");
        assertThat(out.itemCount()).isEqualTo(1);
        assertThat(metric("otelcol_processor_filter_spans_filtered_total{filter=\"filter/test\"}")).isEqualTo(2);
    }

    @Test
    void emptyScopesAndResourcesAreRemovedAndUntouchedOnesReused() throws Exception {
        ResourceSpans keep = traces(resource("service.name", "keep"), scope("l", ""), span("a"))
                .request().getResourceSpans(0);
        ResourceSpans gone = traces(resource("service.name", "gone"), scope("l", ""), span("b"), span("c"))
                .request().getResourceSpans(0);
        Traces in = Traces.of(ExportTraceServiceRequest.newBuilder().addResourceSpans(keep).addResourceSpans(gone)
                .build());
        Traces out = run("""
                traces:
                  span: ['resource.attributes["service.name"] == "gone"']
                """, in);
        assertThat(out.request().getResourceSpansList()).containsExactly(keep);
        assertThat(out.request().getResourceSpans(0)).isSameAs(keep);

        Traces none = run("""
                traces:
                  span: ['name == "nothing"']
                """, in);
        assertThat(none).isSameAs(in);
    }

    @Test
    void aBatchWithNothingLeftIsNotHandedOn() throws Exception {
        assertThat(run("""
                traces:
                  span: ['true']
                """, traces(span("a"), span("b")))).isNull();
        assertThat(metric("otelcol_processor_filter_spans_filtered_total{filter=\"filter/test\"}")).isEqualTo(2);
    }

    @Test
    void spanEventsAreDroppedFromSpansThatStay() throws Exception {
        Span s = span("GET /users").toBuilder()
                .addEvents(Span.Event.newBuilder().setName("exception").addAllAttributes(attrs("grpc", true)))
                .addEvents(Span.Event.newBuilder().setName("message")).build();
        Traces out = run("""
                traces:
                  span: ['name == "drop me"']
                  spanevent: ['attributes["grpc"] == true and span.name == "GET /users"']
                """, traces(s, span("drop me")));
        assertThat(spans(out)).hasSize(1);
        assertThat(spans(out).getFirst().getEventsList()).extracting(Span.Event::getName).containsExactly("message");
        assertThat(metric("otelcol_processor_filter_spans_filtered_total{filter=\"filter/test\"}")).isEqualTo(1);
    }

    @Test
    void metricsAndDataPointsAreDroppedAndMetricsLeftWithoutPointsRemoved() throws Exception {
        Metric keep = Metric.newBuilder().setName("keep").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1).addAllAttributes(attrs("env", "prod")))
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(2).addAllAttributes(attrs("env", "dev"))))
                .build();
        Metric devOnly = Metric.newBuilder().setName("dev.only").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.newBuilder().addAllAttributes(attrs("env", "dev")))).build();
        Metric dropped = Metric.newBuilder().setName("drop.me").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder()).addDataPoints(NumberDataPoint.newBuilder())).build();
        Metrics out = run("""
                metrics:
                  metric:
                    - 'name == "drop.me" and type == METRIC_DATA_TYPE_GAUGE'
                  datapoint:
                    - 'attributes["env"] == "dev"'
                """, metrics(keep, devOnly, dropped));
        List<Metric> m = metricList(out);
        assertThat(m).extracting(Metric::getName).containsExactly("keep");
        assertThat(m.getFirst().getGauge().getDataPointsList()).extracting(NumberDataPoint::getAsInt)
                .containsExactly(1L);
        assertThat(out.itemCount()).isEqualTo(1);
        assertThat(metric("otelcol_processor_filter_datapoints_filtered_total{filter=\"filter/test\"}")).isEqualTo(4);
    }

    @Test
    void logRecordsAreDroppedBySeverityAndBody() throws Exception {
        LogRecord debug = log("cache miss").toBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_DEBUG).build();
        LogRecord secret = log("password=hunter2").toBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
                .build();
        LogRecord error = log("disk full").toBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR).build();
        Logs out = run("""
                logs:
                  log_record:
                    - 'severity_number < SEVERITY_NUMBER_INFO'
                    - 'IsMatch(body, "password")'
                """, logs(debug, secret, error));
        assertThat(records(out)).containsExactly(error);
        assertThat(metric("otelcol_processor_filter_logs_filtered_total{filter=\"filter/test\"}")).isEqualTo(2);
    }

    @Test
    void conditionsOfOtherSignalsDoNotApply() throws Exception {
        Traces in = traces(span("a"));
        assertThat(run("""
                logs:
                  log_record: ['true']
                """, in)).isSameAs(in);
    }

    @Test
    void errorModeDecidesWhatAFailingConditionDoes() throws Exception {
        Traces in = traces(span("a", "user", "bob"), span("b"));
        String conditions = """
                traces:
                  span:
                    - 'attributes["user"]["id"] == 1'
                    - 'name == "b"'
                """;
        assertThatThrownBy(() -> run(conditions, in)).isInstanceOfSatisfying(ConsumeException.class, e -> {
            assertThat(e.permanent()).isTrue();
            assertThat(e.getMessage()).isEqualTo("filter processor filter/test: condition"
                    + " \"attributes[\"user\"][\"id\"] == 1\" failed: cannot index a string with [\"id\"]");
        });
        // ignore and silent: the failing condition counts as false, the others still apply.
        assertThat(names(run("error_mode: ignore\n" + conditions, in))).containsExactly("a");
        assertThat(names(run("error_mode: silent\n" + conditions, in))).containsExactly("a");
    }

    // ---- configuration errors ----

    private String error(String processorYaml, String signal) {
        return ProcessorTests.configError(ProcessorTests.collectorYaml(processorYaml, signal, "filter"), dir);
    }

    @Test
    void invalidConditionsAreReportedAtTheirListEntryWithThePosition() {
        String e = error("""
                filter:
                  traces:
                    span:
                      - 'name == "ok"'
                      - 'name = "x"'
                  logs:
                    log_record:
                      - 'severity > 3'
                """, "traces");
        assertThat(e).contains("collector.yaml:11:11: processors.filter.traces.span[1]: invalid condition"
                + " \"name = \"x\"\" at position 6: '=' is not an operator; use '==' to compare");
        assertThat(e).contains("collector.yaml:14:11: processors.filter.logs.log_record[0]: invalid condition"
                + " \"severity > 3\" at position 1: unknown path 'severity' in the log context");
    }

    @Test
    void theLegacyFormAndUnknownErrorModesAreRejected() {
        assertThat(error("""
                filter:
                  metrics:
                    include:
                      match_type: strict
                      metric_names: [a]
                """, "metrics")).contains("collector.yaml:10:9: processors.filter.metrics.include: the filter"
                + " processor's legacy include/exclude form is not supported; write OTTL conditions: metrics:"
                + " {metric: [...], datapoint: [...]}");
        assertThat(error("""
                filter:
                  spans:
                    exclude: {match_type: strict, span_names: [a]}
                """, "traces")).contains("processors.filter.spans: the filter processor's legacy include/exclude"
                + " form is not supported");
        assertThat(error("""
                filter:
                  error_mode: loud
                """, "logs")).contains("processors.filter.error_mode: expected one of [ignore, propagate, silent],"
                + " got 'loud'");
    }

    // ---- end to end ----

    @Test
    void otlpHttpSpansAreFilteredBeforeTheExporter() throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        try (TestCollector c = new TestCollector(ProcessorTests.collectorYaml("""
                filter/health:
                  error_mode: ignore
                  traces:
                    span:
                      - 'IsMatch(attributes["http.target"], "^/(health|ready)$")'
                      - 'kind == SPAN_KIND_INTERNAL and not (status.code == STATUS_CODE_ERROR)'
                """, "traces", "filter/health"), dir, sink)) {
            Traces in = traces(span("GET", "http.target", "/health"), span("GET", "http.target", "/users"),
                    span("work").toBuilder().setKind(Span.SpanKind.SPAN_KIND_INTERNAL).build());
            assertThat(ProcessorTests.post(c, "/v1/traces", in.request().toByteArray()).statusCode()).isEqualTo(200);
            sink.awaitItems(Signal.TRACES, 1);
            assertThat(sink.received).hasSize(1);
            assertThat(spans((Traces) sink.received.getFirst())).extracting(s -> s.getAttributes(0).getValue()
                    .getStringValue()).containsExactly("/users");
            assertThat(c.metric("otelcol_processor_filter_spans_filtered_total{filter=\"filter/health\"}"))
                    .isEqualTo(2);

            // Everything filtered: the request still succeeds and nothing reaches the exporter.
            Traces health = traces(span("GET", "http.target", "/ready"));
            assertThat(ProcessorTests.post(c, "/v1/traces", health.request().toByteArray()).statusCode())
                    .isEqualTo(200);
            assertThat(sink.received).hasSize(1);
        }
    }
}
