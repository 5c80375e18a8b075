package io.mantis.otlp.json;

import static io.mantis.otlp.json.OtlpJsonConformanceTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Encoding: the exact JSON written for responses, ids, 64-bit integers, enums and edge values. */
class OtlpJsonWriterTest {

    @Test
    void partialSuccessResponsesAreWrittenForEachSignal() throws Exception {
        ExportTraceServiceResponse traces = ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3)
                        .setErrorMessage("3 spans had no trace id"))
                .build();
        assertThat(json(traces)).isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"3\","
                + "\"errorMessage\":\"3 spans had no trace id\"}}");

        ExportMetricsServiceResponse metrics = ExportMetricsServiceResponse.newBuilder()
                .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(12))
                .build();
        assertThat(json(metrics)).isEqualTo("{\"partialSuccess\":{\"rejectedDataPoints\":\"12\"}}");

        ExportLogsServiceResponse logs = ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(1)
                        .setErrorMessage("too large"))
                .build();
        assertThat(json(logs))
                .isEqualTo("{\"partialSuccess\":{\"rejectedLogRecords\":\"1\",\"errorMessage\":\"too large\"}}");

        for (Message m : new Message[] {traces, metrics, logs}) {
            assertThat(OtlpJson.parse(OtlpJson.toBytes(m), m.getDefaultInstanceForType())).isEqualTo(m);
        }
    }

    @Test
    void fullSuccessResponsesAreEmptyObjects() {
        // The usual answer of an OTLP/HTTP receiver: partial_success unset.
        assertThat(json(ExportTraceServiceResponse.getDefaultInstance())).isEqualTo("{}");
        // Set but empty is different from unset, and stays so (message fields have presence).
        assertThat(json(ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.getDefaultInstance()).build()))
                .isEqualTo("{\"partialSuccess\":{}}");
    }

    @Test
    void defaultsAreOmittedAndTheResultIsStillAnObject() {
        assertThat(json(ExportTraceServiceRequest.getDefaultInstance())).isEqualTo("{}");
        assertThat(json(Span.getDefaultInstance())).isEqualTo("{}");
        assertThat(json(Span.newBuilder().setName("n").setStatus(Status.getDefaultInstance()).build()))
                .isEqualTo("{\"name\":\"n\",\"status\":{}}");
        assertThat(json(ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.getDefaultInstance()))
                .build()))
                .isEqualTo("{\"resourceSpans\":[{\"scopeSpans\":[{}]}]}");
    }

    @Test
    void idsAreLowercaseHexAndTimesAndEnumsFollowOtlp() {
        Span span = Span.newBuilder()
                .setTraceId(hex("5B8EFFF798038103D269B633813FC60C"))
                .setSpanId(hex("EEE19B7EC3C1B174"))
                .setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
                .setStartTimeUnixNano(-1L)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
                .build();
        assertThat(json(span)).isEqualTo("{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"spanId\":\"eee19b7ec3c1b174\","
                + "\"kind\":5,\"startTimeUnixNano\":\"18446744073709551615\",\"status\":{\"code\":1}}");
    }

    @Test
    void anyValueKindsAreWrittenAsTheirJsonForms() {
        assertThat(json(AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()))
                .isEqualTo("{\"intValue\":\"-9223372036854775808\"}");
        assertThat(json(AnyValue.newBuilder().setIntValue(0).build())).isEqualTo("{\"intValue\":\"0\"}");
        assertThat(json(AnyValue.newBuilder().setBoolValue(false).build())).isEqualTo("{\"boolValue\":false}");
        assertThat(json(AnyValue.newBuilder().setStringValue("").build())).isEqualTo("{\"stringValue\":\"\"}");
        assertThat(json(AnyValue.newBuilder().setDoubleValue(0.0).build())).isEqualTo("{\"doubleValue\":0.0}");
        ByteString bytes = ByteString.copyFrom(new byte[] {(byte) 0xfb, (byte) 0xff, 1, 2});
        assertThat(json(AnyValue.newBuilder().setBytesValue(bytes).build())).isEqualTo("{\"bytesValue\":\"+/8BAg==\"}");
        assertThat(json(KeyValue.newBuilder().setKey("k").setValue(AnyValue.getDefaultInstance()).build()))
                .isEqualTo("{\"key\":\"k\",\"value\":{}}");
    }

    @Test
    void doublesKeepTheirSignAndNonFiniteValuesBecomeStrings() throws Exception {
        NumberDataPoint negativeZero = NumberDataPoint.newBuilder().setAsDouble(-0.0).build();
        assertThat(json(negativeZero)).isEqualTo("{\"asDouble\":-0.0}");
        assertThat(OtlpJson.parse(OtlpJson.toBytes(negativeZero), NumberDataPoint.getDefaultInstance()))
                .isEqualTo(negativeZero);

        assertThat(json(NumberDataPoint.newBuilder().setAsDouble(Double.NaN).build()))
                .isEqualTo("{\"asDouble\":\"NaN\"}");
        assertThat(json(NumberDataPoint.newBuilder().setAsDouble(Double.NEGATIVE_INFINITY).build()))
                .isEqualTo("{\"asDouble\":\"-Infinity\"}");
        assertThat(json(AnyValue.newBuilder().setDoubleValue(637.704).build())).isEqualTo("{\"doubleValue\":637.704}");
        assertThat(json(AnyValue.newBuilder().setDoubleValue(1e-7).build())).isEqualTo("{\"doubleValue\":1.0E-7}");
    }

    @Test
    void stringsAreEscapedAndNonAsciiIsUtf8() throws Exception {
        Span span = Span.newBuilder().setName("q\"b\\s/n\n\u0001 \u00e9\u4e2d\ud83d\ude00").build();
        byte[] bytes = OtlpJson.toBytes(span);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"q\\\"b\\\\s/n\\n\\u0001 \u00e9\u4e2d\ud83d\ude00\"}");
        assertThat(OtlpJson.parse(bytes, Span.getDefaultInstance())).isEqualTo(span);
    }

    @Test
    void writeFlushesButDoesNotCloseTheStream() throws Exception {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OtlpJson.write(ExportTraceServiceResponse.getDefaultInstance(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(closed[0]).isFalse();
    }

    private static String json(Message m) {
        return new String(OtlpJson.toBytes(m), StandardCharsets.UTF_8);
    }
}
