package io.mantis.otlp.json;

import static io.mantis.otlp.json.OtlpJsonConformanceTest.hex;
import static io.mantis.otlp.json.OtlpJsonConformanceTest.stringAttr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding: what is accepted beyond the strict form, and how each kind of bad input is reported. */
class OtlpJsonReaderTest {

    // ---- malformed JSON ----

    @Test
    void malformedJsonReportsLineColumnAndPath() {
        String json = """
                {"resourceSpans": [
                  {"resource": {"attributes": []},
                   "scopeSpans": [ {"spans": [ {"name": "a",, } ] } ]
                  }
                ]}
                """;
        OtlpJsonException e = traceError(json);

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(45);
        assertThat(e.path()).isEqualTo("resourceSpans[0].scopeSpans[0].spans[0]");
        assertThat(e.getMessage())
                .startsWith("resourceSpans[0].scopeSpans[0].spans[0]: Unexpected character (',' (code 44))")
                .endsWith("(line 3, column 45)");
    }

    @Test
    void truncatedBodyIsAnError() {
        OtlpJsonException e = traceError("{\"resourceSpans\": [{\"scopeSpans\": [");
        assertThat(e.getMessage()).contains("end-of-input").contains("line 1");
        assertThat(e.path()).isEqualTo("resourceSpans[0].scopeSpans");
    }

    @Test
    void documentMustBeOneObject() {
        assertThat(traceError("").getMessage()).isEqualTo("expected a JSON object, got an empty document (line 1)");
        assertThat(traceError("  [1]").getMessage())
                .isEqualTo("expected a JSON object, got an array (line 1, column 3)");
        assertThat(traceError("{} {}").getMessage())
                .isEqualTo("expected the end of the document after the top-level object, got an object"
                        + " (line 1, column 4)");
        assertThat(traceError("{} x").getMessage()).startsWith("Unrecognized token 'x'");
    }

    @Test
    void invalidUtf8IsAnError() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        OtlpJsonException e = catchThrowableOfType(OtlpJsonException.class, () -> OtlpJson.parseTraces(bad));
        assertThat(e.getMessage()).containsIgnoringCase("utf-8");
    }

    // ---- ids ----

    @Test
    void badHexIdIsReportedWithItsFullPath() {
        String json = """
                {"resourceSpans": [{"scopeSpans": [
                  {"spans": []},
                  {"spans": [{}, {}, {},
                    {"name": "fourth",
                     "traceId": "xyz"}]}
                ]}]}
                """;
        OtlpJsonException e = traceError(json);

        assertThat(e.path()).isEqualTo("resourceSpans[0].scopeSpans[1].spans[3].traceId");
        assertThat(e.reason()).isEqualTo("expected 32 hex digits, got 'xyz'");
        assertThat(e.getMessage()).isEqualTo("resourceSpans[0].scopeSpans[1].spans[3].traceId:"
                + " expected 32 hex digits, got 'xyz' (line 5, column 17)");
    }

    @Test
    void hexIdsMustHaveTheRightLengthAndDigits() {
        assertThat(spanError("\"spanId\": \"0123456789abcde\"").getMessage())
                .startsWith("resourceSpans[0].scopeSpans[0].spans[0].spanId:"
                        + " expected 16 hex digits, got '0123456789abcde'");
        assertThat(spanError("\"parentSpanId\": \"0123456789abcdeg\"").reason())
                .isEqualTo("expected 16 hex digits, got '0123456789abcdeg'");
        // Base64 of 16 bytes, as a generic proto3 JSON encoder would write it, is not accepted.
        assertThat(spanError("\"traceId\": \"W47/95gDgQPSabYzgT/GDA==\"").reason())
                .isEqualTo("expected 32 hex digits, got 'W47/95gDgQPSabYzgT/GDA=='");
        // Non-ASCII digits are not hex digits, whatever Character.digit thinks.
        assertThat(spanError("\"spanId\": \"０１２３４５６７８９ａｂｃｄｅｆ\"").reason())
                .startsWith("expected 16 hex digits");
        assertThat(spanError("\"spanId\": 1234").reason()).isEqualTo("expected a hex string, got number 1234");
    }

    @Test
    void hexIdsAreCaseInsensitiveAndEmptyMeansAbsent() throws Exception {
        Span span = parseSpan("\"traceId\": \"5B8EFFF798038103d269b633813fc60c\", \"spanId\": \"eEe19b7eC3c1b174\","
                + " \"parentSpanId\": \"\"");
        assertThat(span.getTraceId()).isEqualTo(hex("5b8efff798038103d269b633813fc60c"));
        assertThat(span.getSpanId()).isEqualTo(hex("eee19b7ec3c1b174"));
        assertThat(span.getParentSpanId()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void idsInLinksLogsAndExemplarsAreHexToo() throws Exception {
        Span span = parseSpan("\"links\": [{\"traceId\": \"000102030405060708090A0B0C0D0E0F\","
                + " \"spanId\": \"0001020304050607\"}]");
        assertThat(span.getLinks(0).getTraceId()).isEqualTo(hex("000102030405060708090a0b0c0d0e0f"));
        assertThat(span.getLinks(0).getSpanId()).isEqualTo(hex("0001020304050607"));

        ExportLogsServiceRequest logs = OtlpJson.parseLogs(utf8("""
                {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"traceId": "000102030405060708090a0b0c0d0e0f",
                                                                 "spanId": "0001020304050607"}]}]}]}"""));
        LogRecord log = logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(log.getTraceId()).isEqualTo(hex("000102030405060708090a0b0c0d0e0f"));
        assertThat(log.getSpanId()).isEqualTo(hex("0001020304050607"));

        OtlpJsonException e = catchThrowableOfType(OtlpJsonException.class, () -> OtlpJson.parseMetrics(utf8("""
                {"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"gauge": {"dataPoints": [
                  {"exemplars": [{"spanId": "0001020304050607"}, {"traceId": "00"}]}]}}]}]}]}""")));
        assertThat(e.path()).isEqualTo(
                "resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].exemplars[1].traceId");
        assertThat(e.reason()).isEqualTo("expected 32 hex digits, got '00'");
    }

    // ---- types that do not fit ----

    @Test
    void stringWhereAnObjectIsExpected() {
        OtlpJsonException e = traceError("{\"resourceSpans\": [{\"resource\": \"my.service\"}]}");
        assertThat(e.getMessage())
                .isEqualTo("resourceSpans[0].resource: expected an object, got string 'my.service'"
                        + " (line 1, column 33)");
    }

    @Test
    void objectWhereAnArrayIsExpected() {
        assertThat(traceError("{\"resourceSpans\": {}}").getMessage())
                .isEqualTo("resourceSpans: expected an array, got an object (line 1, column 19)");
    }

    @Test
    void wrongScalarTypesAreNamed() {
        assertThat(spanError("\"name\": 5").reason()).isEqualTo("expected a string, got number 5");
        assertThat(spanError("\"name\": {\"a\": 1}").reason()).isEqualTo("expected a string, got an object");
        assertThat(spanError("\"startTimeUnixNano\": true").reason())
                .isEqualTo("expected an unsigned 64-bit integer, got true");
        assertThat(spanError("\"startTimeUnixNano\": \"soon\"").reason())
                .isEqualTo("expected an unsigned 64-bit integer, got string 'soon'");
        assertThat(spanError("\"droppedAttributesCount\": [1]").reason())
                .isEqualTo("expected an unsigned 32-bit integer, got an array");
        assertThat(spanError("\"kind\": true").reason())
                .isEqualTo("expected an integer or a value name of enum SpanKind, got true");
        assertThat(anyValueError("{\"boolValue\": 1}").reason()).isEqualTo("expected true or false, got number 1");
        assertThat(anyValueError("{\"doubleValue\": \"fast\"}").reason())
                .isEqualTo("expected a number or one of \"NaN\", \"Infinity\", \"-Infinity\", got string 'fast'");
    }

    @Test
    void longBadValuesAreAbbreviatedAndControlCharactersEscaped() {
        String longValue = "x".repeat(200);
        assertThat(spanError("\"traceId\": \"" + longValue + "\"").reason())
                .isEqualTo("expected 32 hex digits, got '" + "x".repeat(64) + "... (200 characters)'");
        assertThat(spanError("\"spanId\": \"a\\nb\"").reason()).isEqualTo("expected 16 hex digits, got 'a\\u000ab'");
    }

    @Test
    void nullArrayElementsAreRejected() {
        OtlpJsonException e = traceError("{\"resourceSpans\": [{}, null]}");
        assertThat(e.path()).isEqualTo("resourceSpans[1]");
        assertThat(e.reason()).isEqualTo("null is not allowed as an array element");
    }

    @Test
    void twoMembersOfOneOneofAreRejected() {
        OtlpJsonException e = anyValueError("{\"stringValue\": \"a\", \"intValue\": \"1\"}");
        assertThat(e.path()).endsWith("attributes[0].value.intValue");
        assertThat(e.reason()).isEqualTo("'stringValue' is already set, and only one field of oneof 'value' may be");
    }

    @Test
    void aNullOneofMemberDoesNotCountAsSet() throws Exception {
        AnyValue v = parseAnyValue("{\"stringValue\": null, \"intValue\": \"7\", \"boolValue\": null}");
        assertThat(v).isEqualTo(AnyValue.newBuilder().setIntValue(7).build());
    }

    // ---- forward compatibility and leniency ----

    @Test
    void unknownFieldsAreIgnoredWhateverTheirShape() throws Exception {
        String json = """
                {"resourceSpans": [{
                   "futureObject": {"a": [1, {"b": [{}, []]}], "c": null, "d": {"e": {"f": "g"}}},
                   "scopeSpans": [{"spans": [{
                       "name": "x",
                       "futureArray": [[1], [2, [3, {"h": [true]}]], "s", null],
                       "futureScalar": 5.5,
                       "futureString": "{not json}",
                       "futureNull": null,
                       "kind": 3}]}],
                   "futureTrue": true
                 }],
                 "futureTopLevel": {"resourceSpans": "not an array"}}
                """;
        ExportTraceServiceRequest expected = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setName("x").setKind(Span.SpanKind.SPAN_KIND_CLIENT))))
                .build();
        assertThat(OtlpJson.parseTraces(utf8(json))).isEqualTo(expected);
    }

    @Test
    void nullMeansDefault() throws Exception {
        Span span = parseSpan("\"name\": null, \"attributes\": null, \"status\": null, \"kind\": null,"
                + " \"traceId\": null, \"startTimeUnixNano\": null");
        assertThat(span).isEqualTo(Span.getDefaultInstance());

        ExportTraceServiceRequest req = OtlpJson.parseTraces(utf8("{\"resourceSpans\": [{\"resource\": null}]}"));
        assertThat(req.getResourceSpans(0).hasResource()).isFalse();
    }

    @Test
    void snakeCaseFieldNamesAreAccepted() throws Exception {
        String json = """
                {"resource_spans": [{"scope_spans": [{"spans": [{
                    "trace_id": "5b8efff798038103d269b633813fc60c",
                    "parent_span_id": "eee19b7ec3c1b173",
                    "start_time_unix_nano": "12",
                    "dropped_attributes_count": 2}]}],
                  "schema_url": "https://opentelemetry.io/schemas/1.30.0"}]}
                """;
        ExportTraceServiceRequest req = OtlpJson.parseTraces(utf8(json));
        Span span = req.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getTraceId()).isEqualTo(hex("5b8efff798038103d269b633813fc60c"));
        assertThat(span.getParentSpanId()).isEqualTo(hex("eee19b7ec3c1b173"));
        assertThat(span.getStartTimeUnixNano()).isEqualTo(12);
        assertThat(span.getDroppedAttributesCount()).isEqualTo(2);
        assertThat(req.getResourceSpans(0).getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.30.0");
    }

    @Test
    void enumNamesAreAcceptedAsWellAsIntegers() throws Exception {
        Span span = parseSpan("\"kind\": \"SPAN_KIND_SERVER\", \"status\": {\"code\": \"STATUS_CODE_ERROR\"}");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);

        assertThat(parseSpan("\"kind\": 4").getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
        assertThat(parseSpan("\"kind\": \"3\"").getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);

        ExportMetricsServiceRequest metrics = OtlpJson.parseMetrics(utf8("""
                {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
                  {"sum": {"aggregationTemporality": "AGGREGATION_TEMPORALITY_CUMULATIVE"}}]}]}]}"""));
        assertThat(metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);

        ExportLogsServiceRequest logs = OtlpJson.parseLogs(utf8("""
                {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"severityNumber": "SEVERITY_NUMBER_WARN"}]}]}]}"""));
        assertThat(logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSeverityNumber())
                .isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    }

    @Test
    void unknownEnumNamesAreRejectedButUnknownNumbersKept() throws Exception {
        assertThat(spanError("\"kind\": \"SPAN_KIND_TELEPATHIC\"").reason())
                .isEqualTo("expected an integer or a value name of enum SpanKind, got string 'SPAN_KIND_TELEPATHIC'");

        // An enum value from a newer schema survives, as it does in the binary format.
        Span span = parseSpan("\"kind\": 42");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.UNRECOGNIZED);
        assertThat(span.getKindValue()).isEqualTo(42);
        assertThat(new String(OtlpJson.toBytes(span), StandardCharsets.UTF_8)).isEqualTo("{\"kind\":42}");
    }

    @Test
    void sixtyFourBitIntegersAreAcceptedAsNumbersAndStrings() throws Exception {
        Span span = parseSpan("\"startTimeUnixNano\": 1544712660000000000,"
                + " \"endTimeUnixNano\": \"1544712661000000000\"");
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);

        assertThat(parseAnyValue("{\"intValue\": -9223372036854775808}").getIntValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(parseAnyValue("{\"intValue\": \"9223372036854775807\"}").getIntValue()).isEqualTo(Long.MAX_VALUE);
        // Integral values in exponent or fraction form, as protobuf's JSON parser accepts them.
        assertThat(parseAnyValue("{\"intValue\": 1e3}").getIntValue()).isEqualTo(1000);
        assertThat(parseAnyValue("{\"intValue\": \"5.0\"}").getIntValue()).isEqualTo(5);

        HistogramDataPoint h = parseHistogramPoint("\"count\": 3, \"bucketCounts\": [1, \"2\", 18446744073709551615,"
                + " \"18446744073709551615\"]");
        assertThat(h.getCount()).isEqualTo(3);
        // uint64 max is all bits set, i.e. -1 as a Java long.
        assertThat(h.getBucketCountsList()).containsExactly(1L, 2L, -1L, -1L);
        assertThat(new String(OtlpJson.toBytes(h), StandardCharsets.UTF_8))
                .contains("\"bucketCounts\":[\"1\",\"2\",\"18446744073709551615\",\"18446744073709551615\"]");
    }

    @Test
    void integersOutOfRangeOrFractionalAreRejected() {
        assertThat(anyValueError("{\"intValue\": 9223372036854775808}").reason())
                .isEqualTo("expected a 64-bit integer, got number 9223372036854775808, which is out of range");
        assertThat(anyValueError("{\"intValue\": \"-9223372036854775809\"}").reason())
                .isEqualTo("expected a 64-bit integer, got string '-9223372036854775809', which is out of range");
        assertThat(anyValueError("{\"intValue\": 1.5}").reason())
                .isEqualTo("expected a 64-bit integer, got the fraction '1.5'");
        assertThat(anyValueError("{\"intValue\": 1e999999999}").reason()).endsWith("which is out of range");
        assertThat(spanError("\"startTimeUnixNano\": -1").reason())
                .isEqualTo("expected an unsigned 64-bit integer, got number -1, which is out of range");
        assertThat(spanError("\"startTimeUnixNano\": \"18446744073709551616\"").reason())
                .isEqualTo("expected an unsigned 64-bit integer, got string '18446744073709551616',"
                        + " which is out of range");
        assertThat(spanError("\"droppedAttributesCount\": 4294967296").reason())
                .isEqualTo("expected an unsigned 32-bit integer, got number 4294967296, which is out of range");
        assertThat(spanError("\"droppedAttributesCount\": -1").reason())
                .isEqualTo("expected an unsigned 32-bit integer, got number -1, which is out of range");
        assertThat(spanError("\"kind\": 2147483648").reason())
                .isEqualTo("expected a 32-bit integer, got number 2147483648, which is out of range");
    }

    @Test
    void unsignedThirtyTwoBitFieldsUseTheFullRange() throws Exception {
        Span span = parseSpan("\"droppedAttributesCount\": 4294967295, \"flags\": \"2147483648\"");
        assertThat(span.getDroppedAttributesCount()).isEqualTo(-1);
        assertThat(span.getFlags()).isEqualTo(Integer.MIN_VALUE);
        assertThat(new String(OtlpJson.toBytes(span), StandardCharsets.UTF_8))
                .isEqualTo("{\"flags\":2147483648,\"droppedAttributesCount\":4294967295}");
    }

    @Test
    void nonFiniteDoublesAreAcceptedAsStrings() throws Exception {
        HistogramDataPoint h = parseHistogramPoint("\"sum\": \"NaN\", \"min\": \"-Infinity\","
                + " \"max\": \"Infinity\", \"explicitBounds\": [\"-Infinity\", 0, \"1.5\", 2e0]");
        assertThat(h.getSum()).isNaN();
        assertThat(h.getMin()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(h.getMax()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(h.getExplicitBoundsList()).containsExactly(Double.NEGATIVE_INFINITY, 0.0, 1.5, 2.0);

        assertThat(new String(OtlpJson.toBytes(h), StandardCharsets.UTF_8))
                .isEqualTo("{\"sum\":\"NaN\",\"explicitBounds\":[\"-Infinity\",0.0,1.5,2.0],"
                        + "\"min\":\"-Infinity\",\"max\":\"Infinity\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"nan\"", "\"inf\"", "\"+Infinity\"", "\"0x1p3\"", "\"1d\"", "\" 1\"", "\"\"", "\"01\"",
            "1e400", "\"-1e400\""})
    void badDoublesAreRejected(String value) {
        OtlpJsonException e = anyValueError("{\"doubleValue\": " + value + "}");
        assertThat(e.path()).endsWith(".value.doubleValue");
        assertThat(e.reason()).matches("expected a number or one of .*|number out of range for a double: .*");
    }

    @Test
    void bytesValuesAreBase64InEitherAlphabet() throws Exception {
        ByteString bytes = ByteString.copyFrom(new byte[] {(byte) 0xfb, (byte) 0xff, 0x01});
        assertThat(parseAnyValue("{\"bytesValue\": \"+/8B\"}").getBytesValue()).isEqualTo(bytes);
        assertThat(parseAnyValue("{\"bytesValue\": \"-_8B\"}").getBytesValue()).isEqualTo(bytes);
        ByteString one = ByteString.copyFrom(new byte[] {1});
        assertThat(parseAnyValue("{\"bytesValue\": \"AQ==\"}").getBytesValue()).isEqualTo(one);
        assertThat(parseAnyValue("{\"bytesValue\": \"AQ\"}").getBytesValue()).isEqualTo(one);
        assertThat(parseAnyValue("{\"bytesValue\": \"\"}").getValueCase()).isEqualTo(AnyValue.ValueCase.BYTES_VALUE);
        assertThat(anyValueError("{\"bytesValue\": \"not base64!\"}").reason())
                .isEqualTo("expected a base64 string, got string 'not base64!'");
    }

    @Test
    void quotedBooleansAreAccepted() throws Exception {
        assertThat(parseAnyValue("{\"boolValue\": \"true\"}").getBoolValue()).isTrue();
        assertThat(parseAnyValue("{\"boolValue\": \"false\"}").getValueCase()).isEqualTo(AnyValue.ValueCase.BOOL_VALUE);
    }

    @Test
    void duplicateKeysMergeLikeTheBinaryFormat() throws Exception {
        // Last scalar wins, messages merge, repeated fields concatenate.
        Span span = parseSpan("\"name\": \"a\", \"status\": {\"code\": 2}, \"attributes\": [{\"key\": \"k1\"}],"
                + " \"name\": \"b\", \"status\": {\"message\": \"m\"}, \"attributes\": [{\"key\": \"k2\"}]");
        assertThat(span.getName()).isEqualTo("b");
        assertThat(span.getStatus()).isEqualTo(Status.newBuilder().setCodeValue(2).setMessage("m").build());
        assertThat(span.getAttributesList()).extracting(KeyValue::getKey).containsExactly("k1", "k2");
    }

    @Test
    void deeplyNestedValuesStopAtProtobufsRecursionLimit() throws Exception {
        // Each level of arrayValue nesting is two messages (AnyValue, ArrayValue). The request,
        // ResourceLogs, ScopeLogs and LogRecord add four, so 48 levels reach depth 100.
        byte[] ok = utf8(logWithNestedBody(48));
        ExportLogsServiceRequest req = OtlpJson.parseLogs(ok);
        // Whatever the JSON reader accepts, protobuf's binary parser must read back.
        assertThat(ExportLogsServiceRequest.parseFrom(req.toByteArray())).isEqualTo(req);

        OtlpJsonException e = catchThrowableOfType(OtlpJsonException.class,
                () -> OtlpJson.parseLogs(utf8(logWithNestedBody(49))));
        assertThat(e.reason()).isEqualTo("messages nested more than 100 deep");
    }

    @Test
    void responsesAndOtherMessagesCanBeParsedGenerically() throws Exception {
        ExportTraceServiceResponse r = OtlpJson.parse(
                utf8("{\"partialSuccess\": {\"rejectedSpans\": \"3\", \"errorMessage\": \"too old\"}}"),
                ExportTraceServiceResponse.getDefaultInstance());
        assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
        assertThat(r.getPartialSuccess().getErrorMessage()).isEqualTo("too old");
    }

    @Test
    void theInputStreamIsNotClosed() throws Exception {
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream(utf8("{\"resourceSpans\": []}")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertThat(OtlpJson.parseTraces(in)).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(closed[0]).isFalse();
    }

    @Test
    void utf16InputIsDetected() throws Exception {
        byte[] json = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"name\": \"h\u00e9\"}]}]}]}"
                .getBytes(StandardCharsets.UTF_16BE);
        assertThat(OtlpJson.parseTraces(json).getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
                .isEqualTo("h\u00e9");
    }

    @Test
    void kvlistAndArrayValuesDecode() throws Exception {
        AnyValue v = parseAnyValue("""
                {"kvlistValue": {"values": [
                  {"key": "a", "value": {"arrayValue": {"values": [{"intValue": 1}, {"doubleValue": 2}, {}]}}},
                  {"key": "b"}]}}""");
        assertThat(v.getKvlistValue().getValuesList()).containsExactly(
                KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(1))
                        .addValues(AnyValue.newBuilder().setDoubleValue(2))
                        .addValues(AnyValue.getDefaultInstance()))).build(),
                KeyValue.newBuilder().setKey("b").build());
        assertThat(v.getKvlistValue().getValues(1).hasValue()).isFalse();
        assertThat(stringAttr("k", "v").getValue().getStringValue()).isEqualTo("v");
    }

    @Test
    void metricDataCasesDecode() throws Exception {
        ExportMetricsServiceRequest req = OtlpJson.parseMetrics(utf8("""
                {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
                  {"name": "g", "gauge": {"dataPoints": [{"asInt": "-5"}]}},
                  {"name": "s", "summary": {"dataPoints": [{"count": 4, "sum": 10,
                      "quantileValues": [{"quantile": 0.5, "value": 2}, {"quantile": 1, "value": 4}]}]}}]}]}]}"""));
        Metric gauge = req.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
        assertThat(gauge.getGauge().getDataPoints(0).getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_INT);
        assertThat(gauge.getGauge().getDataPoints(0).getAsInt()).isEqualTo(-5);
        Metric summary = req.getResourceMetrics(0).getScopeMetrics(0).getMetrics(1);
        assertThat(summary.getSummary().getDataPoints(0).getCount()).isEqualTo(4);
        assertThat(summary.getSummary().getDataPoints(0).getQuantileValues(1).getValue()).isEqualTo(4.0);

        OtlpJsonException e = catchThrowableOfType(OtlpJsonException.class, () -> OtlpJson.parseMetrics(utf8("""
                {"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"gauge": {}, "sum": {}}]}]}]}""")));
        assertThat(e.getMessage()).startsWith("resourceMetrics[0].scopeMetrics[0].metrics[0].sum:"
                + " 'gauge' is already set, and only one field of oneof 'data' may be");
    }

    // ---- helpers ----

    private static String logWithNestedBody(int levels) {
        String body = "{\"stringValue\": \"leaf\"}";
        for (int i = 0; i < levels; i++) {
            body = "{\"arrayValue\": {\"values\": [" + body + "]}}";
        }
        return "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [{\"body\": " + body + "}]}]}]}";
    }

    private static Span parseSpan(String fields) throws OtlpJsonException {
        return OtlpJson.parseTraces(utf8(spanDocument(fields))).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    private static OtlpJsonException spanError(String fields) {
        return traceError(spanDocument(fields));
    }

    private static String spanDocument(String fields) {
        return "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{" + fields + "}]}]}]}";
    }

    private static AnyValue parseAnyValue(String anyValue) throws OtlpJsonException {
        return parseSpan("\"attributes\": [{\"key\": \"k\", \"value\": " + anyValue + "}]").getAttributes(0).getValue();
    }

    private static OtlpJsonException anyValueError(String anyValue) {
        return spanError("\"attributes\": [{\"key\": \"k\", \"value\": " + anyValue + "}]");
    }

    private static HistogramDataPoint parseHistogramPoint(String fields) throws OtlpJsonException {
        return OtlpJson.parseMetrics(utf8("{\"resourceMetrics\": [{\"scopeMetrics\": [{\"metrics\": [{\"histogram\":"
                + " {\"dataPoints\": [{" + fields + "}]}}]}]}]}"))
                .getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getHistogram().getDataPoints(0);
    }

    private static OtlpJsonException traceError(String json) {
        OtlpJsonException e = catchThrowableOfType(OtlpJsonException.class, () -> OtlpJson.parseTraces(utf8(json)));
        assertThat(e).as("expected an OtlpJsonException for %s", json).isNotNull();
        return e;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
