package io.mantis.collector.processor.attributes;

import static io.mantis.collector.Otlp.attrs;
import static io.mantis.collector.Otlp.log;
import static io.mantis.collector.Otlp.logs;
import static io.mantis.collector.Otlp.map;
import static io.mantis.collector.Otlp.metricList;
import static io.mantis.collector.Otlp.metrics;
import static io.mantis.collector.Otlp.records;
import static io.mantis.collector.Otlp.resource;
import static io.mantis.collector.Otlp.scope;
import static io.mantis.collector.Otlp.span;
import static io.mantis.collector.Otlp.spans;
import static io.mantis.collector.Otlp.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.mantis.collector.CapturingExporterFactory;
import io.mantis.collector.ProcessorTests;
import io.mantis.collector.Signal;
import io.mantis.collector.TestCollector;
import io.mantis.collector.component.Processor;
import io.mantis.collector.model.AnyValues;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributesProcessorTest {
    @TempDir
    Path dir;

    private final AttributesProcessorFactory factory = new AttributesProcessorFactory();

    /** Runs one batch through a processor configured by {@code yaml} and returns what it handed on. */
    @SuppressWarnings("unchecked")
    private <T extends Telemetry> T run(String yaml, T batch) throws Exception {
        List<T> out = new ArrayList<>();
        Processor<T> p = ProcessorTests.create(factory, yaml, batch.signal(), out);
        p.consume(batch);
        assertThat(out).hasSize(1);
        return out.getFirst();
    }

    private Map<String, Object> spanAttrs(String yaml, Object... kv) throws Exception {
        Traces out = run(yaml, traces(span("op", kv)));
        return map(spans(out).getFirst().getAttributesList());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    // ---- actions ----

    @Test
    void insertAddsOnlyWhenAbsent() throws Exception {
        String yaml = """
                actions:
                  - {key: env, value: prod, action: insert}
                """;
        assertThat(spanAttrs(yaml, "a", 1)).containsExactly(entry("a", 1L), entry("env", "prod"));
        assertThat(spanAttrs(yaml, "env", "dev")).containsExactly(entry("env", "dev"));
    }

    @Test
    void updateChangesOnlyWhenPresent() throws Exception {
        String yaml = """
                actions:
                  - {key: env, value: prod, action: UPDATE}
                """;
        assertThat(spanAttrs(yaml, "env", "dev", "b", true)).containsExactly(entry("env", "prod"), entry("b", true));
        assertThat(spanAttrs(yaml, "a", 1)).containsExactly(entry("a", 1L));
    }

    @Test
    void upsertInsertsOrUpdatesInPlace() throws Exception {
        String yaml = """
                actions:
                  - {key: env, value: prod, action: upsert}
                """;
        assertThat(spanAttrs(yaml, "env", "dev", "b", 2)).containsExactly(entry("env", "prod"), entry("b", 2L));
        assertThat(spanAttrs(yaml, "b", 2)).containsExactly(entry("b", 2L), entry("env", "prod"));
    }

    @Test
    void valuesKeepTheTypeYamlGivesThem() throws Exception {
        Map<String, Object> a = spanAttrs("""
                actions:
                  - {key: int, value: 123, action: insert}
                  - {key: quoted, value: "123", action: insert}
                  - {key: double, value: 1.5, action: insert}
                  - {key: bool, value: true, action: insert}
                  - {key: list, value: [a, 1], action: insert}
                  - {key: map, value: {k: v}, action: insert}
                """);
        assertThat(a).containsEntry("int", 123L).containsEntry("quoted", "123").containsEntry("double", 1.5)
                .containsEntry("bool", true);
        assertThat(((AnyValue) a.get("list")).getArrayValue().getValuesList())
                .containsExactly(AnyValues.of("a"), AnyValues.of(1L));
        assertThat(AnyValues.asString((AnyValue) a.get("map"))).isEqualTo("{\"k\":\"v\"}");
    }

    @Test
    void fromAttributeCopiesAndDoesNothingWhenTheSourceIsMissing() throws Exception {
        String yaml = """
                actions:
                  - {key: user, from_attribute: enduser.id, action: insert}
                  - {key: region, from_attribute: cloud.region, action: upsert}
                """;
        assertThat(spanAttrs(yaml, "enduser.id", 42)).containsExactly(entry("enduser.id", 42L), entry("user", 42L));
        assertThat(spanAttrs(yaml, "x", "y")).containsExactly(entry("x", "y"));
    }

    @Test
    void deleteByKeyAndByUnanchoredPattern() throws Exception {
        assertThat(spanAttrs("""
                actions:
                  - {key: password, action: delete}
                """, "password", "s3cret", "user", "bob")).containsExactly(entry("user", "bob"));
        assertThat(spanAttrs("""
                actions:
                  - {key: user, pattern: token, action: delete}
                """, "auth.token", "t", "user", "bob", "tokens", 2, "keep", 1)).containsExactly(entry("keep", 1L));
        assertThat(spanAttrs("""
                actions:
                  - {pattern: ^x$, action: delete}
                """, "x", 1, "xx", 2)).containsExactly(entry("xx", 2L));
    }

    @Test
    void hashIsSha256HexOfTheValueBytesAsTheCollectorComputesThem() throws Exception {
        Map<String, Object> a = spanAttrs("""
                actions:
                  - {key: s, action: hash}
                  - {key: i, action: hash}
                  - {key: d, action: hash}
                  - {key: b, action: hash}
                  - {key: empty, action: hash}
                  - {key: missing, action: hash}
                """, "s", "abc", "i", 1, "d", 1.5, "b", true, "empty", "");
        assertThat(a.get("s")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(a.get("i")).isEqualTo(sha256(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1)
                .array()));
        assertThat(a.get("d")).isEqualTo(sha256(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(Double.doubleToRawLongBits(1.5)).array()));
        assertThat(a.get("b")).isEqualTo(sha256(new byte[] {1}));
        assertThat(a.get("empty")).isEqualTo("");
        assertThat(a).doesNotContainKey("missing");
    }

    @Test
    void hashByPatternHashesEveryMatchingKeyAndNonScalarsBecomeEmpty() throws Exception {
        AnyValue map = AnyValue.newBuilder().setKvlistValue(io.opentelemetry.proto.common.v1.KeyValueList
                .newBuilder().addValues(AnyValues.kv("a", "b"))).build();
        Map<String, Object> a = spanAttrs("""
                actions:
                  - {pattern: ^user\\., action: hash}
                """, "user.email", "a@b.c", "user.meta", map, "other", "x");
        assertThat(a.get("user.email")).isEqualTo(sha256("a@b.c".getBytes(StandardCharsets.UTF_8)));
        assertThat(a.get("user.meta")).isEqualTo("");
        assertThat(a.get("other")).isEqualTo("x");
    }

    @Test
    void extractUpsertsNamedGroupsOfAStringValue() throws Exception {
        String yaml = """
                actions:
                  - key: http.url
                    pattern: ^/api/v1/document/(?P<document_id>[^/]+)/(?P<op>update)(?P<suffix>\\.json)?$
                    action: extract
                """;
        assertThat(spanAttrs(yaml, "http.url", "/api/v1/document/12345/update", "op", "old"))
                .containsExactly(entry("http.url", "/api/v1/document/12345/update"), entry("op", "update"),
                        entry("document_id", "12345"), entry("suffix", ""));
        // No match, and a value that is not a string: nothing happens.
        assertThat(spanAttrs(yaml, "http.url", "/health")).containsExactly(entry("http.url", "/health"));
        assertThat(spanAttrs(yaml, "http.url", 7)).containsExactly(entry("http.url", 7L));
    }

    @Test
    void convertChangesTheTypeOrLeavesTheValue() throws Exception {
        Map<String, Object> a = spanAttrs("""
                actions:
                  - {key: s2i, action: convert, converted_type: int}
                  - {key: bad2i, action: convert, converted_type: int}
                  - {key: d2i, action: convert, converted_type: int}
                  - {key: b2i, action: convert, converted_type: int}
                  - {key: s2d, action: convert, converted_type: double}
                  - {key: i2d, action: convert, converted_type: double}
                  - {key: java2d, action: convert, converted_type: double}
                  - {key: i2s, action: convert, converted_type: string}
                  - {key: d2s, action: convert, converted_type: string}
                  - {key: b2s, action: convert, converted_type: string}
                  - {key: missing, action: convert, converted_type: string}
                """, "s2i", "-42", "bad2i", "4.2", "d2i", -3.9, "b2i", true, "s2d", "1e3", "i2d", 7,
                "java2d", "1.5f", "i2s", 12, "d2s", 0.1, "b2s", false);
        assertThat(a).containsEntry("s2i", -42L).containsEntry("bad2i", "4.2").containsEntry("d2i", -3L)
                .containsEntry("b2i", 1L).containsEntry("s2d", 1000.0).containsEntry("i2d", 7.0)
                .containsEntry("java2d", "1.5f").containsEntry("i2s", "12").containsEntry("d2s", "0.1")
                .containsEntry("b2s", "false").doesNotContainKey("missing");
    }

    @Test
    void actionsApplyInOrder() throws Exception {
        assertThat(spanAttrs("""
                actions:
                  - {key: a, value: "5", action: insert}
                  - {key: a, action: convert, converted_type: int}
                  - {key: b, from_attribute: a, action: insert}
                  - {key: a, action: delete}
                """)).containsExactly(entry("b", 5L));
    }

    @Test
    void anUnchangedBatchIsHandedOnAsItCameAndUntouchedSpansAreReused() throws Exception {
        Traces in = traces(span("one", "env", "dev"), span("two", "x", 1));
        String yaml = """
                actions:
                  - {key: env, value: dev, action: update}
                """;
        assertThat(run(yaml, in)).isSameAs(in);

        Traces out = run("""
                actions:
                  - {key: x, value: 2, action: update}
                """, in);
        assertThat(spans(out).get(0)).isSameAs(spans(in).get(0));
        assertThat(map(spans(out).get(1).getAttributesList())).containsExactly(entry("x", 2L));
        assertThat(out.itemCount()).isEqualTo(2);
    }

    // ---- matching ----

    private static final String UPSERT = """
            actions:
              - {key: hit, value: true, action: upsert}
            """;

    private List<String> hits(String yaml, Traces in) throws Exception {
        return spans(run(UPSERT + yaml, in)).stream()
                .filter(s -> AnyValues.get(s.getAttributesList(), "hit") != null).map(Span::getName).toList();
    }

    @Test
    void servicesMatchTheResourceServiceNameAndAMissingOneAsNilServiceName() throws Exception {
        String yaml = """
                include:
                  match_type: strict
                  services: [checkout]
                """;
        assertThat(hits(yaml, traces(span("a")))).containsExactly("a");
        assertThat(hits(yaml, traces(resource("service.name", "cart"), scope("l", ""), span("a")))).isEmpty();
        assertThat(hits("""
                include:
                  match_type: strict
                  services: ["<nil-service-name>"]
                """, traces(resource(), scope("l", ""), span("a")))).containsExactly("a");
    }

    @Test
    void regexpIsUnanchoredGoSyntaxAndAnyListEntryMatches() throws Exception {
        Traces in = traces(span("GET /users"), span("POST /orders"), span("health"));
        assertThat(hits("""
                include:
                  match_type: regexp
                  span_names: ["users", "^POST"]
                """, in)).containsExactly("GET /users", "POST /orders");
        assertThat(hits("""
                include:
                  match_type: regexp
                  span_names: ["(?P<verb>[[:upper:]]+) /"]
                """, in)).containsExactly("GET /users", "POST /orders");
        assertThat(hits("""
                include:
                  match_type: strict
                  span_names: [health, users]
                """, in)).containsExactly("health");
    }

    @Test
    void spanKindsUseTheCollectorsNames() throws Exception {
        Traces in = traces(span("a").toBuilder().setKind(Span.SpanKind.SPAN_KIND_SERVER).build(),
                span("b").toBuilder().setKind(Span.SpanKind.SPAN_KIND_CLIENT).build());
        assertThat(hits("""
                include:
                  match_type: strict
                  span_kinds: [SPAN_KIND_CLIENT]
                """, in)).containsExactly("b");
    }

    @Test
    void attributesMustAllMatchWithTypedValuesOrJustBePresent() throws Exception {
        Traces in = traces(span("int", "code", 123, "env", "prod"), span("str", "code", "123", "env", "prod"),
                span("noenv", "code", 123));
        assertThat(hits("""
                include:
                  match_type: strict
                  attributes:
                    - {key: code, value: 123}
                    - {key: env}
                """, in)).containsExactly("int");
        assertThat(hits("""
                include:
                  match_type: strict
                  attributes: [{key: code, value: "123"}]
                """, in)).containsExactly("str");
        // A pattern matches the text of ints, doubles and bools too.
        assertThat(hits("""
                include:
                  match_type: regexp
                  attributes: [{key: code, value: "^12"}]
                """, in)).containsExactly("int", "str", "noenv");
    }

    @Test
    void resourcesAndLibrariesMatchTheResourceAndScope() throws Exception {
        Traces in = traces(resource("service.name", "checkout", "deployment.environment", "prod"),
                scope("io.opentelemetry.jdbc", "2.1.0"), span("q"));
        assertThat(hits("""
                include:
                  match_type: strict
                  resources: [{key: deployment.environment, value: prod}]
                  libraries: [{name: other}, {name: io.opentelemetry.jdbc, version: 2.1.0}]
                """, in)).containsExactly("q");
        assertThat(hits("""
                include:
                  match_type: strict
                  libraries: [{name: io.opentelemetry.jdbc, version: 1.0.0}]
                """, in)).isEmpty();
        assertThat(hits("""
                include:
                  match_type: regexp
                  libraries: [{name: jdbc}]
                """, in)).containsExactly("q");
    }

    @Test
    void excludeIsCheckedAfterInclude() throws Exception {
        Traces in = traces(span("GET /a", "internal", true), span("GET /b"), span("POST /c"));
        assertThat(hits("""
                include:
                  match_type: regexp
                  span_names: ["^GET"]
                exclude:
                  match_type: strict
                  attributes: [{key: internal, value: true}]
                """, in)).containsExactly("GET /b");
        assertThat(hits("""
                exclude:
                  match_type: regexp
                  span_names: ["^GET"]
                """, in)).containsExactly("POST /c");
    }

    @Test
    void logsMatchOnBodySeverityTextAndAttributes() throws Exception {
        Logs in = logs(log("user logged in", "user", "bob").toBuilder().setSeverityText("INFO").build(),
                log("disk full").toBuilder().setSeverityText("ERROR").build());
        Logs out = run("""
                actions:
                  - {key: user, action: hash}
                  - {key: alert, value: true, action: insert}
                include:
                  match_type: regexp
                  log_bodies: ["full$"]
                  log_severity_texts: [ERR]
                """, in);
        List<LogRecord> r = records(out);
        assertThat(map(r.get(0).getAttributesList())).containsExactly(entry("user", "bob"));
        assertThat(map(r.get(1).getAttributesList())).containsExactly(entry("alert", true));
    }

    @Test
    void metricsActOnDataPointAttributesOfEveryTypeForMatchingMetricNames() throws Exception {
        List<KeyValue> a = attrs("password", "x", "k", "v");
        Metric gauge = Metric.newBuilder().setName("gauge").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(a).setAsDouble(1))).build();
        Metric sum = Metric.newBuilder().setName("sum").setSum(Sum.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(a).setAsInt(1))).build();
        Metric hist = Metric.newBuilder().setName("hist").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.newBuilder().addAllAttributes(a))).build();
        Metric exp = Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().addAllAttributes(a))).build();
        Metric summary = Metric.newBuilder().setName("summary").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().addAllAttributes(a))).build();
        Metric other = Metric.newBuilder().setName("other").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(a))).build();
        Metrics in = metrics(gauge, sum, hist, exp, summary, other);
        Metrics out = run("""
                actions:
                  - {key: password, action: delete}
                include:
                  match_type: regexp
                  metric_names: ["^(gauge|sum|hist|exp|summary)$"]
                """, in);
        List<Metric> m = metricList(out);
        assertThat(map(m.get(0).getGauge().getDataPoints(0).getAttributesList())).containsOnlyKeys("k");
        assertThat(map(m.get(1).getSum().getDataPoints(0).getAttributesList())).containsOnlyKeys("k");
        assertThat(map(m.get(2).getHistogram().getDataPoints(0).getAttributesList())).containsOnlyKeys("k");
        assertThat(map(m.get(3).getExponentialHistogram().getDataPoints(0).getAttributesList())).containsOnlyKeys("k");
        assertThat(map(m.get(4).getSummary().getDataPoints(0).getAttributesList())).containsOnlyKeys("k");
        assertThat(m.get(5)).isSameAs(other);
        assertThat(m.get(1).getSum().getDataPoints(0).getAsInt()).isEqualTo(1);
        assertThat(out.itemCount()).isEqualTo(6);
    }

    // ---- configuration errors ----

    private String error(String processorYaml, String signal) {
        return ProcessorTests.configError(ProcessorTests.collectorYaml(processorYaml, signal, "attributes"), dir);
    }

    @Test
    void fromContextIsRejectedAtItsKey() {
        assertThat(error("""
                attributes:
                  actions:
                    - key: tenant
                      from_context: metadata.x-tenant
                      action: insert
                """, "traces")).contains("collector.yaml:10:23: processors.attributes.actions[0].from_context:"
                + " is not supported: processors in Mantis do not see the request's metadata");
    }

    @Test
    void invalidActionsNameTheKeyAndLine() {
        String e = error("""
                attributes:
                  actions:
                    - {key: a, action: insert}
                    - {key: a, value: 1, from_attribute: b, action: upsert}
                    - {key: a, pattern: "^x", action: insert, value: 1}
                    - {key: a, action: extract}
                    - {key: a, action: extract, pattern: "\\\\d+"}
                    - {key: a, action: extract, pattern: "(?P<n>\\\\d+)-(\\\\d+)"}
                    - {key: a, action: convert}
                    - {key: a, action: convert, converted_type: float}
                    - {action: delete}
                    - {key: a, action: rename}
                    - {key: a, value: 1}
                    - {key: a, action: delete, pattern: "("}
                """, "traces");
        assertThat(e)
                .contains("processors.attributes.actions[0].value: action insert needs value or from_attribute")
                .contains("processors.attributes.actions[1].from_attribute: only one of value and from_attribute")
                .contains("processors.attributes.actions[2].pattern: is not used by action insert")
                .contains("processors.attributes.actions[3].pattern: is required for action extract")
                .contains("processors.attributes.actions[4].pattern: has no named groups")
                .contains("processors.attributes.actions[5].pattern: has an unnamed group")
                .contains("processors.attributes.actions[6].converted_type: is required for action convert")
                .contains("processors.attributes.actions[7].converted_type: expected one of [int, double, string],"
                        + " got 'float'")
                .contains("processors.attributes.actions[8].key: action delete needs key, pattern or both")
                .contains("processors.attributes.actions[9].action: expected one of [insert, update, upsert,"
                        + " delete, hash, extract, convert], got 'rename'")
                .contains("processors.attributes.actions[10].action: missing required key 'action'")
                .contains("processors.attributes.actions[11].pattern: invalid regular expression '('");
    }

    @Test
    void actionsAreRequired() {
        assertThat(error("""
                attributes:
                  include: {match_type: strict, span_names: [a]}
                """, "traces")).contains("processors.attributes.actions: is required: at least one action");
    }

    @Test
    void matchPropertiesAreCheckedForThePipelinesSignal() {
        String base = """
                attributes:
                  actions: [{key: a, value: 1, action: insert}]
                  include:
                    match_type: strict
                """;
        assertThat(error(base + "    log_bodies: [x]\n", "traces"))
                .contains("collector.yaml:11:19: processors.attributes.include.log_bodies: log_bodies cannot select"
                        + " spans (the processor is in a traces pipeline)");
        assertThat(error(base + "    span_names: [x]\n", "logs"))
                .contains("processors.attributes.include.span_names: span_names cannot select log records");
        assertThat(error(base + "    attributes: [{key: x}]\n", "metrics"))
                .contains("processors.attributes.include.attributes: attributes cannot select metrics")
                .contains("for metrics use metric_names, resources");
        assertThat(error(base, "traces")).contains("include must set at least one of services, span_names");
        assertThat(error("""
                attributes:
                  actions: [{key: a, value: 1, action: insert}]
                  include: {span_names: [x]}
                """, "traces")).contains("processors.attributes.include.match_type: missing required key 'match_type'");
        assertThat(error("""
                attributes:
                  actions: [{key: a, value: 1, action: insert}]
                  include: {match_type: expr, expressions: ["x"]}
                """, "metrics")).contains("processors.attributes.include.match_type: expected one of [strict, regexp]");
        assertThat(error("""
                attributes:
                  actions: [{key: a, value: 1, action: insert}]
                  include: {match_type: regexp, attributes: [{key: code, value: 1}]}
                """, "traces")).contains("processors.attributes.include.attributes: match_type regexp needs a string"
                + " value for 'code'");
        assertThat(error("""
                attributes:
                  actions: [{key: a, value: 1, action: insert}]
                  include: {match_type: strict, span_kinds: [SERVER]}
                """, "traces")).contains("unknown span kind 'SERVER'");
    }

    // ---- end to end ----

    @Test
    void otlpHttpRequestIsTransformedBeforeTheExporter() throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        try (TestCollector c = new TestCollector(ProcessorTests.collectorYaml("""
                attributes/scrub:
                  actions:
                    - {key: enduser.email, action: hash}
                    - {key: http.url, pattern: "^/users/(?P<user_id>\\\\d+)$", action: extract}
                    - {key: deployment.environment, value: prod, action: insert}
                  exclude:
                    match_type: strict
                    span_names: [health]
                """, "traces", "attributes/scrub"), dir, sink)) {
            Traces in = traces(span("GET /users", "enduser.email", "a@b.c", "http.url", "/users/42"),
                    span("health"));
            HttpResponse<byte[]> r = ProcessorTests.post(c, "/v1/traces", in.request().toByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            sink.awaitItems(Signal.TRACES, 2);
            List<Span> got = spans((Traces) sink.received.getFirst());
            assertThat(map(got.get(0).getAttributesList())).containsExactly(
                    entry("enduser.email", sha256("a@b.c".getBytes(StandardCharsets.UTF_8))),
                    entry("http.url", "/users/42"), entry("user_id", "42"), entry("deployment.environment", "prod"));
            assertThat(got.get(1).getAttributesList()).isEmpty();
        }
    }
}
