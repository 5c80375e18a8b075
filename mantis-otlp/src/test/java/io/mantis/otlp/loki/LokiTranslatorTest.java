package io.mantis.otlp.loki;

import static io.mantis.otlp.loki.Otlp.array;
import static io.mantis.otlp.loki.Otlp.b;
import static io.mantis.otlp.loki.Otlp.bytes;
import static io.mantis.otlp.loki.Otlp.d;
import static io.mantis.otlp.loki.Otlp.hex;
import static io.mantis.otlp.loki.Otlp.i;
import static io.mantis.otlp.loki.Otlp.kv;
import static io.mantis.otlp.loki.Otlp.map;
import static io.mantis.otlp.loki.Otlp.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LokiTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L + NOW.getNano();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final LokiTranslatorSettings NO_LEVEL = LokiTranslatorSettings.defaults().withDetectLevel(false);

    private static ResourceLogs resource(List<KeyValue> attributes, LogRecord... records) {
        return ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(attributes))
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))
                .build();
    }

    private static LogRecord record(String body, long time) {
        return LogRecord.newBuilder().setBody(str(body)).setTimeUnixNano(time).build();
    }

    private static ExportLogsServiceRequest request(ResourceLogs... resources) {
        return ExportLogsServiceRequest.newBuilder().addAllResourceLogs(List.of(resources)).build();
    }

    private static List<LokiStream> translate(LokiTranslatorSettings settings, ResourceLogs... resources) {
        return new LokiTranslator(settings, CLOCK).translate(request(resources));
    }

    private static LokiEntry single(List<LokiStream> streams) {
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).entries()).hasSize(1);
        return streams.get(0).entries().get(0);
    }

    private static String meta(LokiEntry entry, String name) {
        return entry.structuredMetadata().stream().filter(p -> p.name().equals(name)).map(LabelPair::value)
                .findFirst().orElse(null);
    }

    // ---- stream labels ----

    @Test
    void defaultIndexLabelsComeFromResourceAttributesWithSanitisedNames() {
        List<KeyValue> attrs = List.of(
                kv("service.name", "checkout"),
                kv("service.namespace", "shop"),
                kv("deployment.environment.name", "prod"),
                kv("k8s.namespace.name", "default"),
                kv("k8s.pod.name", "checkout-abc"),
                kv("cloud.region", "eu-west-1"),
                kv("host.name", "node-1"),
                kv("process.pid", i(1234)));
        List<LokiStream> streams = translate(NO_LEVEL, resource(attrs, record("hi", 1)));
        LokiStream stream = streams.get(0);
        assertThat(stream.labels()).isEqualTo(Labels.of(
                "service_name", "checkout",
                "service_namespace", "shop",
                "deployment_environment_name", "prod",
                "k8s_namespace_name", "default",
                "k8s_pod_name", "checkout-abc",
                "cloud_region", "eu-west-1"));
        // Resource attributes that are not index labels are structured metadata.
        LokiEntry entry = single(streams);
        assertThat(meta(entry, "host_name")).isEqualTo("node-1");
        assertThat(meta(entry, "process_pid")).isEqualTo("1234");
        assertThat(meta(entry, "service_name")).isNull();
    }

    @Test
    void everyDefaultIndexAttributeBecomesALabel() {
        List<KeyValue> attrs = new ArrayList<>();
        for (String a : LokiTranslatorSettings.DEFAULT_INDEX_LABEL_ATTRIBUTES) {
            attrs.add(kv(a, "v"));
        }
        LokiStream stream = translate(NO_LEVEL, resource(attrs, record("x", 1))).get(0);
        assertThat(stream.labels().size()).isEqualTo(18);
        assertThat(stream.labels().has("k8s_cronjob_name")).isTrue();
        assertThat(stream.labels().has("deployment_environment")).isTrue();
        assertThat(stream.entries().get(0).structuredMetadata()).isEmpty();
    }

    @Test
    void missingServiceNameBecomesUnknownService() {
        LokiStream stream = translate(NO_LEVEL, resource(List.of(kv("host.name", "h")), record("x", 1))).get(0);
        assertThat(stream.labels()).isEqualTo(Labels.of("service_name", "unknown_service"));
    }

    @Test
    void emptyServiceNameCountsAsMissing() {
        LokiStream stream = translate(NO_LEVEL, resource(List.of(kv("service.name", "")), record("x", 1))).get(0);
        assertThat(stream.labels()).isEqualTo(Labels.of("service_name", "unknown_service"));
    }

    @Test
    void serviceNameIsDiscoveredFromOtherIndexLabelsInDiscoveryOrder() {
        List<KeyValue> attrs = List.of(kv("k8s.job.name", "nightly"), kv("k8s.container.name", "worker"));
        LokiStream stream = translate(NO_LEVEL, resource(attrs, record("x", 1))).get(0);
        // k8s_container_name comes before k8s_job_name in Loki's discovery list.
        assertThat(stream.labels().get("service_name")).isEqualTo("worker");
        assertThat(stream.labels().get("k8s_job_name")).isEqualTo("nightly");
    }

    @Test
    void emptyDiscoveryListAddsNoServiceName() {
        LokiTranslatorSettings settings = NO_LEVEL.withServiceNameDiscovery(List.of());
        LokiStream stream = translate(settings, resource(List.of(kv("k8s.pod.name", "p")), record("x", 1))).get(0);
        assertThat(stream.labels()).isEqualTo(Labels.of("k8s_pod_name", "p"));
    }

    @Test
    void indexLabelListIsConfigurable() {
        LokiTranslatorSettings settings = NO_LEVEL
                .withAddedIndexLabelAttributes("service.group")
                .withoutIndexLabelAttributes("k8s.pod.name", "service.instance.id");
        List<KeyValue> attrs = List.of(kv("service.name", "api"), kv("service.group", "payments"),
                kv("k8s.pod.name", "api-1"), kv("service.instance.id", "abc"));
        List<LokiStream> streams = translate(settings, resource(attrs, record("x", 1)));
        assertThat(streams.get(0).labels()).isEqualTo(Labels.of("service_name", "api", "service_group", "payments"));
        LokiEntry entry = single(streams);
        assertThat(meta(entry, "k8s_pod_name")).isEqualTo("api-1");
        assertThat(meta(entry, "service_instance_id")).isEqualTo("abc");

        LokiTranslatorSettings only = NO_LEVEL.withIndexLabelAttributes(List.of("service.group"));
        assertThat(translate(only, resource(attrs, record("x", 1))).get(0).labels())
                .isEqualTo(Labels.of("service_group", "payments"));
    }

    @Test
    void nonStringAndNestedIndexAttributes() {
        LokiTranslatorSettings settings = NO_LEVEL.withIndexLabelAttributes(List.of("service.name", "shard", "k8s"));
        List<KeyValue> attrs = List.of(kv("service.name", "a"), kv("shard", i(3)),
                kv("k8s", map(kv("pod.name", str("p")), kv("empty", str("")))));
        assertThat(translate(settings, resource(attrs, record("x", 1))).get(0).labels())
                .isEqualTo(Labels.of("service_name", "a", "shard", "3", "k8s_pod_name", "p"));
    }

    // ---- structured metadata ----

    @Test
    void structuredMetadataHoldsRecordFieldsResourceAndScopeInLokisOrder() {
        LogRecord record = LogRecord.newBuilder()
                .setTimeUnixNano(1_700_000_000_000_000_001L)
                .setObservedTimeUnixNano(1_700_000_000_500_000_000L)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
                .setSeverityText("WARNING")
                .setDroppedAttributesCount(2)
                .setFlags(1)
                .setTraceId(hex("5b8efff798038103d269b633813fc60c"))
                .setSpanId(hex("eee19b7ec3c1b174"))
                .setBody(str("disk almost full"))
                .addAttributes(kv("http.method", "GET"))
                .build();
        ResourceLogs rl = ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "api"))
                        .addAttributes(kv("host.name", "node-1")))
                .addScopeLogs(ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.app.Logger").setVersion("1.2.3")
                                .setDroppedAttributesCount(4).addAttributes(kv("scope.attr", "s")))
                        .addLogRecords(record))
                .build();
        LokiEntry entry = single(translate(NO_LEVEL, rl));
        assertThat(entry.line()).isEqualTo("disk almost full");
        assertThat(entry.timestampNanos()).isEqualTo(1_700_000_000_000_000_001L);
        assertThat(entry.structuredMetadata()).containsExactly(
                new LabelPair("http_method", "GET"),
                new LabelPair("observed_timestamp", "1700000000500000000"),
                new LabelPair("severity_number", "13"),
                new LabelPair("severity_text", "WARNING"),
                new LabelPair("dropped_attributes_count", "2"),
                new LabelPair("flags", "1"),
                new LabelPair("trace_id", "5b8efff798038103d269b633813fc60c"),
                new LabelPair("span_id", "eee19b7ec3c1b174"),
                new LabelPair("host_name", "node-1"),
                new LabelPair("scope_attr", "s"),
                new LabelPair("scope_name", "io.app.Logger"),
                new LabelPair("scope_version", "1.2.3"),
                new LabelPair("scope_dropped_attributes_count", "4"));
    }

    @Test
    void unsetRecordFieldsAddNoMetadata() {
        LogRecord record = LogRecord.newBuilder().setTimeUnixNano(5).setBody(str("x"))
                .setTraceId(hex("00000000000000000000000000000000")).setSpanId(hex("0000000000000000")).build();
        LokiEntry entry = single(translate(NO_LEVEL, resource(List.of(kv("service.name", "a")), record)));
        assertThat(entry.structuredMetadata()).isEmpty();
    }

    @Test
    void nonStringAttributeValuesAreStringified() {
        LogRecord record = LogRecord.newBuilder().setTimeUnixNano(1).setBody(str("x"))
                .addAttributes(kv("int", i(10)))
                .addAttributes(kv("double", d(637.704)))
                .addAttributes(kv("bool", b(true)))
                .addAttributes(kv("bytes", bytes((byte) 1, (byte) 2)))
                .addAttributes(kv("array", array(str("many"), str("values"))))
                .addAttributes(kv("map", map(kv("some.map.key", str("some value")),
                        kv("nested", map(kv("deep", i(1)))))))
                .addAttributes(kv("empty", AnyValue.getDefaultInstance()))
                .addAttributes(kv("", str("nameless is dropped")))
                .build();
        LokiEntry entry = single(translate(NO_LEVEL, resource(List.of(kv("service.name", "a")), record)));
        assertThat(entry.structuredMetadata()).containsExactly(
                new LabelPair("int", "10"),
                new LabelPair("double", "637.704"),
                new LabelPair("bool", "true"),
                new LabelPair("bytes", "AQI="),
                new LabelPair("array", "[\"many\",\"values\"]"),
                new LabelPair("map_some_map_key", "some value"),
                new LabelPair("map_nested_deep", "1"),
                new LabelPair("empty", ""));
    }

    // ---- body and timestamp ----

    @Test
    void bodyKinds() {
        assertThat(lineOf(str("plain text"))).isEqualTo("plain text");
        assertThat(lineOf(i(7))).isEqualTo("7");
        assertThat(lineOf(d(1.5))).isEqualTo("1.5");
        assertThat(lineOf(b(false))).isEqualTo("false");
        assertThat(lineOf(bytes((byte) 0xff))).isEqualTo("/w==");
        assertThat(lineOf(map(kv("msg", str("hi")), kv("code", i(200))))).isEqualTo("{\"code\":200,\"msg\":\"hi\"}");
        assertThat(lineOf(array(str("a"), i(1)))).isEqualTo("[\"a\",1]");
        assertThat(lineOf(AnyValue.getDefaultInstance())).isEmpty();
    }

    private static String lineOf(AnyValue body) {
        LogRecord record = LogRecord.newBuilder().setTimeUnixNano(1).setBody(body).build();
        return single(translate(NO_LEVEL, resource(List.of(), record))).line();
    }

    @Test
    void timestampFallsBackToObservedTimeThenNow() {
        LogRecord both = LogRecord.newBuilder().setTimeUnixNano(100).setObservedTimeUnixNano(200).build();
        LogRecord observedOnly = LogRecord.newBuilder().setObservedTimeUnixNano(200).build();
        LogRecord neither = LogRecord.newBuilder().build();
        List<LokiEntry> entries = translate(NO_LEVEL, resource(List.of(), both, observedOnly, neither))
                .get(0).entries();
        assertThat(entries).extracting(LokiEntry::timestampNanos).containsExactly(100L, 200L, NOW_NANOS);
        // observed_timestamp is only extra information when the record has its own time.
        assertThat(meta(entries.get(0), "observed_timestamp")).isEqualTo("200");
        assertThat(meta(entries.get(1), "observed_timestamp")).isNull();
        assertThat(meta(entries.get(2), "observed_timestamp")).isNull();
    }

    // ---- grouping ----

    @Test
    void entriesAreGroupedByLabelSetPreservingOrder() {
        ResourceLogs a1 = resource(List.of(kv("service.name", "a"), kv("host.name", "h1")),
                record("a1", 10), record("a2", 5));
        ResourceLogs b = resource(List.of(kv("service.name", "b")), record("b1", 7));
        // Same labels as a1 (host.name is metadata), different resource: joins stream "a".
        ResourceLogs a2 = resource(List.of(kv("host.name", "h2"), kv("service.name", "a")), record("a3", 1));
        List<LokiStream> streams = translate(NO_LEVEL, a1, b, a2);
        assertThat(streams).extracting(s -> s.labels().get("service_name")).containsExactly("a", "b");
        assertThat(streams.get(0).entries()).extracting(LokiEntry::line).containsExactly("a1", "a2", "a3");
        assertThat(streams.get(0).entries()).extracting(e -> meta(e, "host_name")).containsExactly("h1", "h1", "h2");
        assertThat(streams.get(1).entries()).extracting(LokiEntry::line).containsExactly("b1");
    }

    @Test
    void multipleScopesShareTheResourceStream() {
        ResourceLogs rl = ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "a")))
                .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s1"))
                        .addLogRecords(record("one", 1)))
                .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s2"))
                        .addLogRecords(record("two", 2)))
                .build();
        List<LokiStream> streams = translate(NO_LEVEL, rl);
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).entries()).extracting(e -> meta(e, "scope_name")).containsExactly("s1", "s2");
    }

    @Test
    void sinkReceivesEntriesInInputOrderWithSharedLabelsInstance() {
        List<Labels> seen = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        new LokiTranslator(NO_LEVEL, CLOCK).translate(
                request(resource(List.of(kv("service.name", "a")), record("1", 1), record("2", 2))),
                (labels, ts, line, metadata) -> {
                    seen.add(labels);
                    lines.add(line);
                });
        assertThat(lines).containsExactly("1", "2");
        assertThat(seen.get(0)).isSameAs(seen.get(1));
    }

    // ---- detected_level ----

    private static String detectedLevel(LogRecord.Builder record, KeyValue... resourceAttributes) {
        LokiEntry entry = single(new LokiTranslator(LokiTranslatorSettings.defaults(), CLOCK)
                .translate(request(resource(List.of(resourceAttributes), record.setTimeUnixNano(1).build()))));
        return meta(entry, "detected_level");
    }

    @Test
    void detectedLevelFromSeverityNumber() {
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(1))).isEqualTo("trace");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(8))).isEqualTo("debug");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(10).setSeverityText("Information")))
                .isEqualTo("info");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(13))).isEqualTo("warn");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(20))).isEqualTo("error");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(24))).isEqualTo("fatal");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(25))).isEqualTo("unknown");
    }

    @Test
    void detectedLevelPrefersLevelFieldsOverSeverityNumber() {
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(9)
                .addAttributes(kv("level", "Critical")))).isEqualTo("Critical");
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(9), kv("severity", "high")))
                .isEqualTo("high");
    }

    @Test
    void detectedLevelFromTheLine() {
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(str("{\"msg\":\"x\",\"level\":\"WARNING\"}"))))
                .isEqualTo("warn");
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(str("{\"log\":{\"lvl\":\"dbg\"}}"))))
                .isEqualTo("debug");
        // Deeper than the default depth of 2: falls back to keywords ("info" is not in the line).
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(str("{\"a\":{\"b\":{\"level\":\"fatal\"}}}"))))
                .isEqualTo("unknown");
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(str("ts=1 LEVEL=\"ERR\" msg=\"boom\""))))
                .isEqualTo("error");
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(str("2024 WARN disk low")))).isEqualTo("warn");
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(str("nothing to see")))).isEqualTo("unknown");
        assertThat(detectedLevel(LogRecord.newBuilder().setBody(map(kv("level", str("trace"))))))
                .isEqualTo("trace");
    }

    @Test
    void detectedLevelCanBeDisabledAndIsNotOverwritten() {
        LogRecord record = LogRecord.newBuilder().setTimeUnixNano(1).setSeverityNumberValue(17).build();
        LokiEntry off = single(translate(NO_LEVEL, resource(List.of(), record)));
        assertThat(meta(off, "detected_level")).isNull();
        assertThat(detectedLevel(LogRecord.newBuilder().setSeverityNumberValue(17)
                .addAttributes(kv("detected_level", "custom")))).isEqualTo("custom");
    }

    // ---- the official OTLP example ----

    /**
     * The record of opentelemetry-proto's examples/logs.json, built with the protobuf builders
     * (this module has no OTLP/JSON reader yet).
     */
    @Test
    void officialLogsExample() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "my.service")))
                .addScopeLogs(ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("my.library").setVersion("1.0.0")
                                .addAttributes(kv("my.scope.attribute", "some scope attribute")))
                        .addLogRecords(LogRecord.newBuilder()
                                .setTimeUnixNano(1544712660300000000L)
                                .setObservedTimeUnixNano(1544712660300000000L)
                                .setSeverityNumberValue(10)
                                .setSeverityText("Information")
                                .setTraceId(hex("5B8EFFF798038103D269B633813FC60C"))
                                .setSpanId(hex("EEE19B7EC3C1B174"))
                                .setBody(str("Example log record"))
                                .addAttributes(kv("string.attribute", "some string"))
                                .addAttributes(kv("boolean.attribute", b(true)))
                                .addAttributes(kv("int.attribute", i(10)))
                                .addAttributes(kv("double.attribute", d(637.704)))
                                .addAttributes(kv("array.attribute", array(str("many"), str("values"))))
                                .addAttributes(kv("map.attribute", map(kv("some.map.key", str("some value"))))))))
                .build();
        List<LokiStream> streams = new LokiTranslator(LokiTranslatorSettings.defaults(), CLOCK).translate(request);
        assertThat(streams.get(0).labels().toLabelString()).isEqualTo("{service_name=\"my.service\"}");
        LokiEntry entry = single(streams);
        assertThat(entry.timestampNanos()).isEqualTo(1544712660300000000L);
        assertThat(entry.line()).isEqualTo("Example log record");
        assertThat(entry.structuredMetadata()).containsExactly(
                new LabelPair("string_attribute", "some string"),
                new LabelPair("boolean_attribute", "true"),
                new LabelPair("int_attribute", "10"),
                new LabelPair("double_attribute", "637.704"),
                new LabelPair("array_attribute", "[\"many\",\"values\"]"),
                new LabelPair("map_attribute_some_map_key", "some value"),
                new LabelPair("observed_timestamp", "1544712660300000000"),
                new LabelPair("severity_number", "10"),
                new LabelPair("severity_text", "Information"),
                new LabelPair("trace_id", "5b8efff798038103d269b633813fc60c"),
                new LabelPair("span_id", "eee19b7ec3c1b174"),
                new LabelPair("my_scope_attribute", "some scope attribute"),
                new LabelPair("scope_name", "my.library"),
                new LabelPair("scope_version", "1.0.0"),
                new LabelPair("detected_level", "info"));
    }
}
