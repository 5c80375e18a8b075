package io.mantis.otlp.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official examples of opentelemetry-proto (read in place from the shared conformance folder):
 * they decode to the values their README documents, and survive JSON → proto → binary → proto →
 * JSON → proto unchanged.
 */
class OtlpJsonConformanceTest {

    private static final ByteString TRACE_ID = hex("5B8EFFF798038103D269B633813FC60C");
    private static final ByteString SPAN_ID = hex("EEE19B7EC3C1B174");
    private static final long TIME = 1544712660300000000L;

    @Test
    void traceExampleDecodes() throws Exception {
        ExportTraceServiceRequest req = OtlpJson.parseTraces(ConformanceExamples.read("trace.json"));

        assertThat(req.getResourceSpansCount()).isEqualTo(1);
        assertCommonResourceAndScope(req.getResourceSpans(0).getResource(),
                req.getResourceSpans(0).getScopeSpans(0).getScope());
        assertThat(req.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
        List<Span> spans = req.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertThat(spans).hasSize(1);
        Span span = spans.get(0);
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getTraceId().size()).isEqualTo(16);
        assertThat(span.getSpanId()).isEqualTo(SPAN_ID);
        assertThat(span.getParentSpanId()).isEqualTo(hex("EEE19B7EC3C1B173"));
        assertThat(span.getName()).isEqualTo("I'm a server span");
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getAttributesList()).containsExactly(stringAttr("my.span.attr", "some value"));
    }

    @Test
    void traceExampleIsWrittenInTheStrictForm() throws Exception {
        ExportTraceServiceRequest req = OtlpJson.parseTraces(ConformanceExamples.read("trace.json"));

        // Lowercase hex ids, 64-bit integers as strings, the enum as an integer, defaults omitted,
        // fields in declaration order.
        assertThat(new String(OtlpJson.toBytes(req), StandardCharsets.UTF_8)).isEqualTo("{\"resourceSpans\":[{"
                + "\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"my.service\"}}]},"
                + "\"scopeSpans\":[{\"scope\":{\"name\":\"my.library\",\"version\":\"1.0.0\",\"attributes\":[{\"key\":"
                + "\"my.scope.attribute\",\"value\":{\"stringValue\":\"some scope attribute\"}}]},\"spans\":[{"
                + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
                + "\"parentSpanId\":\"eee19b7ec3c1b173\",\"name\":\"I'm a server span\",\"kind\":2,"
                + "\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\","
                + "\"attributes\":[{\"key\":\"my.span.attr\",\"value\":{\"stringValue\":\"some value\"}}]}]}]}]}");
    }

    @Test
    void metricsExampleDecodes() throws Exception {
        ExportMetricsServiceRequest req = OtlpJson.parseMetrics(ConformanceExamples.read("metrics.json"));

        assertCommonResourceAndScope(req.getResourceMetrics(0).getResource(),
                req.getResourceMetrics(0).getScopeMetrics(0).getScope());
        List<Metric> metrics = req.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
        assertThat(metrics).extracting(Metric::getName)
                .containsExactly("my.counter", "my.gauge", "my.histogram", "my.exponential.histogram");
        assertThat(metrics).extracting(Metric::getDataCase).containsExactly(Metric.DataCase.SUM,
                Metric.DataCase.GAUGE, Metric.DataCase.HISTOGRAM, Metric.DataCase.EXPONENTIAL_HISTOGRAM);
        assertThat(metrics).extracting(Metric::getUnit).containsOnly("1");

        Metric counter = metrics.get(0);
        assertThat(counter.getDescription()).isEqualTo("I am a Counter");
        assertThat(counter.getSum().getIsMonotonic()).isTrue();
        // The README calls it cumulative, but the file says 1, which is DELTA; the file is the truth.
        assertThat(counter.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        NumberDataPoint counterPoint = counter.getSum().getDataPoints(0);
        assertThat(counterPoint.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_DOUBLE);
        assertThat(counterPoint.getAsDouble()).isEqualTo(5.0);
        assertThat(counterPoint.getStartTimeUnixNano()).isEqualTo(TIME);
        assertThat(counterPoint.getTimeUnixNano()).isEqualTo(TIME);
        assertThat(counterPoint.getAttributesList()).containsExactly(stringAttr("my.counter.attr", "some value"));

        NumberDataPoint gaugePoint = metrics.get(1).getGauge().getDataPoints(0);
        assertThat(gaugePoint.getAsDouble()).isEqualTo(10.0);
        assertThat(gaugePoint.getStartTimeUnixNano()).isZero();
        assertThat(gaugePoint.getTimeUnixNano()).isEqualTo(TIME);

        Metric histogram = metrics.get(2);
        assertThat(histogram.getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        HistogramDataPoint h = histogram.getHistogram().getDataPoints(0);
        assertThat(h.getCount()).isEqualTo(2);
        assertThat(h.hasSum()).isTrue();
        assertThat(h.getSum()).isEqualTo(2.0);
        assertThat(h.getBucketCountsList()).containsExactly(1L, 1L);
        assertThat(h.getExplicitBoundsList()).containsExactly(1.0);
        // min is 0 but present: an optional field, so presence matters.
        assertThat(h.hasMin()).isTrue();
        assertThat(h.getMin()).isEqualTo(0.0);
        assertThat(h.getMax()).isEqualTo(2.0);
        assertThat(h.getAttributesList()).containsExactly(stringAttr("my.histogram.attr", "some value"));

        ExponentialHistogramDataPoint e = metrics.get(3).getExponentialHistogram().getDataPoints(0);
        assertThat(metrics.get(3).getExponentialHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        assertThat(e.getCount()).isEqualTo(3);
        assertThat(e.getSum()).isEqualTo(10.0);
        assertThat(e.getScale()).isZero();
        assertThat(e.getZeroCount()).isEqualTo(1);
        assertThat(e.hasPositive()).isTrue();
        assertThat(e.getPositive().getOffset()).isEqualTo(1);
        assertThat(e.getPositive().getBucketCountsList()).containsExactly(0L, 2L);
        assertThat(e.hasNegative()).isFalse();
        assertThat(e.hasMin()).isTrue();
        assertThat(e.getMin()).isEqualTo(0.0);
        assertThat(e.getMax()).isEqualTo(5.0);
        assertThat(e.getZeroThreshold()).isEqualTo(0.0);
        assertThat(e.getAttributesList())
                .containsExactly(stringAttr("my.exponential.histogram.attr", "some value"));
    }

    @Test
    void logsExampleDecodesEveryAnyValueKind() throws Exception {
        ExportLogsServiceRequest req = OtlpJson.parseLogs(ConformanceExamples.read("logs.json"));

        assertCommonResourceAndScope(req.getResourceLogs(0).getResource(),
                req.getResourceLogs(0).getScopeLogs(0).getScope());
        List<LogRecord> records = req.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
        assertThat(records).hasSize(1);
        LogRecord log = records.get(0);
        assertThat(log.getTimeUnixNano()).isEqualTo(TIME);
        assertThat(log.getObservedTimeUnixNano()).isEqualTo(TIME);
        assertThat(log.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO2);
        assertThat(log.getSeverityNumberValue()).isEqualTo(10);
        assertThat(log.getSeverityText()).isEqualTo("Information");
        assertThat(log.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(log.getSpanId()).isEqualTo(SPAN_ID);
        assertThat(log.getBody()).isEqualTo(AnyValue.newBuilder().setStringValue("Example log record").build());
        assertThat(log.getAttributesList()).containsExactly(
                stringAttr("string.attribute", "some string"),
                attr("boolean.attribute", AnyValue.newBuilder().setBoolValue(true).build()),
                attr("int.attribute", AnyValue.newBuilder().setIntValue(10).build()),
                attr("double.attribute", AnyValue.newBuilder().setDoubleValue(637.704).build()),
                attr("array.attribute", AnyValue.newBuilder().setArrayValue(
                        ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("many"))
                                .addValues(AnyValue.newBuilder().setStringValue("values"))).build()),
                attr("map.attribute", AnyValue.newBuilder().setKvlistValue(
                        KeyValueList.newBuilder()
                                .addValues(stringAttr("some.map.key", "some value"))).build()));
    }

    @Test
    void eventsExampleDecodesAsALogRecordWithAnEventName() throws Exception {
        ExportLogsServiceRequest req = OtlpJson.parseLogs(ConformanceExamples.read("events.json"));

        LogRecord event = req.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(event.getEventName()).isEqualTo("browser.page_view");
        assertThat(event.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(event.getSeverityText()).isEqualTo("test severity text");
        assertThat(event.getTraceId()).isEmpty();
        assertThat(event.getAttributesList()).containsExactly(stringAttr("event.attribute", "some event attribute"));
        assertThat(event.getBody().getValueCase()).isEqualTo(AnyValue.ValueCase.KVLIST_VALUE);
        List<KeyValue> body = event.getBody().getKvlistValue().getValuesList();
        assertThat(body).extracting(KeyValue::getKey).containsExactly("type", "url", "referrer", "title");
        // "intValue": "0" is a set oneof member, not an absent value.
        assertThat(body.get(0).getValue().getValueCase()).isEqualTo(AnyValue.ValueCase.INT_VALUE);
        assertThat(body.get(0).getValue().getIntValue()).isZero();
        assertThat(body.get(1).getValue().getStringValue())
                .isEqualTo("https://www.guidgenerator.com/online-guid-generator.aspx");
        assertThat(body.get(3).getValue().getStringValue()).isEqualTo("Free Online GUID Generator");

        String json = new String(OtlpJson.toBytes(req), StandardCharsets.UTF_8);
        assertThat(json).contains("{\"key\":\"type\",\"value\":{\"intValue\":\"0\"}}");
        assertThat(json).contains("\"severityNumber\":9");
        assertThat(json).contains("\"eventName\":\"browser.page_view\"");
    }

    @Test
    void metricsOutputKeepsPresentZerosAndOmitsDefaults() throws Exception {
        ExportMetricsServiceRequest req = OtlpJson.parseMetrics(ConformanceExamples.read("metrics.json"));
        String json = new String(OtlpJson.toBytes(req), StandardCharsets.UTF_8);

        assertThat(json).contains("\"aggregationTemporality\":1", "\"isMonotonic\":true");
        assertThat(json).contains("\"count\":\"2\"", "\"bucketCounts\":[\"1\",\"1\"]", "\"explicitBounds\":[1.0]");
        assertThat(json).contains("\"min\":0.0,\"max\":2.0");
        assertThat(json).contains("\"positive\":{\"offset\":1,\"bucketCounts\":[\"0\",\"2\"]}");
        assertThat(json).contains("\"zeroCount\":\"1\"");
        // scale 0 and zeroThreshold 0 have implicit presence: at their default they are omitted.
        assertThat(json).doesNotContain("\"scale\"", "\"zeroThreshold\"");
    }

    @Test
    void everyExampleRoundTripsThroughBinaryAndJson() throws Exception {
        roundTrip(OtlpJson.parseTraces(ConformanceExamples.read("trace.json")));
        roundTrip(OtlpJson.parseMetrics(ConformanceExamples.read("metrics.json")));
        roundTrip(OtlpJson.parseLogs(ConformanceExamples.read("logs.json")));
        roundTrip(OtlpJson.parseLogs(ConformanceExamples.read("events.json")));
    }

    @Test
    void streamAndArrayInputsDecodeAlike() throws Exception {
        byte[] bytes = ConformanceExamples.read("metrics.json");
        assertThat(OtlpJson.parseMetrics(new ByteArrayInputStream(bytes))).isEqualTo(OtlpJson.parseMetrics(bytes));
    }

    private static void roundTrip(Message fromJson) throws Exception {
        // JSON → proto → protobuf bytes → proto
        Message fromBinary = fromJson.getParserForType().parseFrom(fromJson.toByteArray());
        assertThat(fromBinary).isEqualTo(fromJson);
        // → JSON → proto
        byte[] json = OtlpJson.toBytes(fromBinary);
        Message again = OtlpJson.parse(json, fromJson.getDefaultInstanceForType());
        assertThat(again).isEqualTo(fromJson);
        // The output is canonical: writing the re-read message gives the same bytes.
        assertThat(OtlpJson.toBytes(again)).isEqualTo(json);
    }

    private static void assertCommonResourceAndScope(Resource resource, InstrumentationScope scope) {
        assertThat(resource.getAttributesList()).containsExactly(stringAttr("service.name", "my.service"));
        assertThat(scope.getName()).isEqualTo("my.library");
        assertThat(scope.getVersion()).isEqualTo("1.0.0");
        assertThat(scope.getAttributesList())
                .containsExactly(stringAttr("my.scope.attribute", "some scope attribute"));
    }

    static KeyValue stringAttr(String key, String value) {
        return attr(key, AnyValue.newBuilder().setStringValue(value).build());
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static ByteString hex(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
