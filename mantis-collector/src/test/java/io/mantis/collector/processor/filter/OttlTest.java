package io.mantis.collector.processor.filter;

import static io.mantis.collector.Otlp.attrs;
import static io.mantis.collector.Otlp.resource;
import static io.mantis.collector.Otlp.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mantis.collector.model.AnyValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

class OttlTest {
    private static Ottl.Item spanItem() {
        Ottl.Item it = new Ottl.Item();
        it.resource = resource("service.name", "checkout", "k8s.namespace.name", "prod");
        it.scope = scope("io.opentelemetry.http", "1.2.0");
        AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(AnyValues.kv("inner", "v"))).build();
        AnyValue list = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValues.of(1L)).addValues(AnyValues.of("x"))).build();
        it.span = Span.newBuilder().setName("GET /users").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .addAllAttributes(attrs("http.status_code", 503, "ratio", 0.25, "sampled", true, "user", "bob",
                        "nested", nested, "list", list, "raw", new byte[] {1, 2}))
                .build();
        return it;
    }

    private static boolean eval(String condition, Ottl.Context ctx, Ottl.Item it) throws Exception {
        return Ottl.parse(condition, ctx).test(it);
    }

    private static boolean span(String condition) throws Exception {
        return eval(condition, Ottl.Context.SPAN, spanItem());
    }

    @Test
    void spanPaths() throws Exception {
        assertThat(span("name == \"GET /users\"")).isTrue();
        assertThat(span("span.name == \"GET /users\"")).isTrue();
        assertThat(span("kind == SPAN_KIND_SERVER")).isTrue();
        assertThat(span("kind == 2")).isTrue();
        assertThat(span("kind != SPAN_KIND_CLIENT")).isTrue();
        assertThat(span("status.code == STATUS_CODE_ERROR")).isTrue();
        assertThat(span("status.message == \"boom\"")).isTrue();
        assertThat(span("attributes[\"user\"] == \"bob\"")).isTrue();
        assertThat(span("attributes[\"nested\"][\"inner\"] == \"v\"")).isTrue();
        assertThat(span("resource.attributes[\"service.name\"] == \"checkout\"")).isTrue();
        assertThat(span("instrumentation_scope.name == \"io.opentelemetry.http\"")).isTrue();
        assertThat(span("instrumentation_scope.version == \"1.2.0\"")).isTrue();
        assertThat(span("attributes[\"missing\"] == nil")).isTrue();
        assertThat(span("attributes[\"missing\"][\"deeper\"] == nil")).isTrue();
    }

    @Test
    void comparisonOperatorsFollowOttlRules() throws Exception {
        assertThat(span("attributes[\"http.status_code\"] >= 500")).isTrue();
        assertThat(span("attributes[\"http.status_code\"] > 503")).isFalse();
        assertThat(span("attributes[\"http.status_code\"] <= 503")).isTrue();
        assertThat(span("attributes[\"http.status_code\"] < 503.5")).isTrue();
        assertThat(span("attributes[\"ratio\"] == 0.25")).isTrue();
        assertThat(span("attributes[\"ratio\"] < 1")).isTrue();
        assertThat(span("attributes[\"ratio\"] > -1")).isTrue();
        assertThat(span("name < \"POST\"")).isTrue();
        assertThat(span("attributes[\"sampled\"] == true")).isTrue();
        assertThat(span("attributes[\"sampled\"] > false")).isTrue();
        // Different types are never equal, and never ordered.
        assertThat(span("attributes[\"http.status_code\"] == \"503\"")).isFalse();
        assertThat(span("attributes[\"http.status_code\"] != \"503\"")).isTrue();
        assertThat(span("attributes[\"user\"] > 1")).isFalse();
        assertThat(span("attributes[\"user\"] < 1")).isFalse();
        // nil equals only nil; orderings with nil are false except nil <= nil and nil >= nil.
        assertThat(span("attributes[\"missing\"] != nil")).isFalse();
        assertThat(span("attributes[\"user\"] != nil")).isTrue();
        assertThat(span("attributes[\"missing\"] < 1")).isFalse();
        assertThat(span("nil >= nil")).isTrue();
        assertThat(span("nil < nil")).isFalse();
        // Maps and lists compare for equality only.
        assertThat(span("attributes[\"nested\"] == attributes[\"nested\"]")).isTrue();
        assertThat(span("attributes[\"nested\"] < attributes[\"nested\"]")).isFalse();
        assertThat(span("attributes[\"list\"] == attributes[\"list\"]")).isTrue();
        assertThat(span("attributes[\"raw\"] == attributes[\"raw\"]")).isTrue();
    }

    @Test
    void booleanOperatorsAndPrecedence() throws Exception {
        assertThat(span("kind == SPAN_KIND_SERVER and name == \"GET /users\"")).isTrue();
        assertThat(span("kind == SPAN_KIND_CLIENT and name == \"GET /users\"")).isFalse();
        assertThat(span("kind == SPAN_KIND_CLIENT or name == \"GET /users\"")).isTrue();
        assertThat(span("not kind == SPAN_KIND_CLIENT")).isTrue();
        assertThat(span("not (kind == SPAN_KIND_SERVER or true)")).isFalse();
        // and binds tighter than or
        assertThat(span("true or false and false")).isTrue();
        assertThat(span("(true or false) and false")).isFalse();
        assertThat(span("false")).isFalse();
        assertThat(span("not false")).isTrue();
    }

    @Test
    void converters() throws Exception {
        assertThat(span("IsMatch(name, \"^GET \")")).isTrue();
        assertThat(span("IsMatch(name, \"users\")")).isTrue();
        assertThat(span("IsMatch(name, \"^users\")")).isFalse();
        assertThat(span("IsMatch(attributes[\"http.status_code\"], \"^5\\\\d\\\\d$\")")).isTrue();
        assertThat(span("IsMatch(attributes[\"ratio\"], \"^0\\\\.25$\")")).isTrue();
        assertThat(span("IsMatch(attributes[\"missing\"], \".*\")")).isFalse();
        assertThat(span("IsMatch(attributes[\"nested\"], \"inner\")")).isTrue();
        assertThat(span("IsMatch(attributes[\"raw\"], \"^0102$\")")).isTrue();
        assertThat(span("not IsMatch(name, \"health\")")).isTrue();
        assertThat(span("IsMatch(name, \"GET\") == true")).isTrue();
        assertThat(span("IsString(attributes[\"user\"]) and IsInt(attributes[\"http.status_code\"])")).isTrue();
        assertThat(span("IsDouble(attributes[\"ratio\"]) and IsBool(attributes[\"sampled\"])")).isTrue();
        assertThat(span("IsMap(attributes[\"nested\"]) and IsList(attributes[\"list\"])")).isTrue();
        assertThat(span("IsString(attributes[\"http.status_code\"])")).isFalse();
    }

    @Test
    void stringLiteralsUseGoEscapes() throws Exception {
        Ottl.Item it = spanItem();
        it.span = it.span.toBuilder().setName("a\"b\\c\n\u00e9").build();
        assertThat(eval("name == \"a\\\"b\\\\c\\n\\u00e9\"", Ottl.Context.SPAN, it)).isTrue();
        assertThat(eval("name == \"a\\x22b\\\\c\\n\\U000000e9\"", Ottl.Context.SPAN, it)).isTrue();
    }

    @Test
    void spanEventContextSeesTheEventAndItsSpan() throws Exception {
        Ottl.Item it = spanItem();
        it.event = Span.Event.newBuilder().setName("exception").addAllAttributes(attrs("exception.type", "IOError"))
                .build();
        assertThat(eval("name == \"exception\" and span.name == \"GET /users\"", Ottl.Context.SPANEVENT, it)).isTrue();
        assertThat(eval("attributes[\"exception.type\"] == \"IOError\"", Ottl.Context.SPANEVENT, it)).isTrue();
        assertThat(eval("span.attributes[\"user\"] == \"bob\" and span.kind == SPAN_KIND_SERVER",
                Ottl.Context.SPANEVENT, it)).isTrue();
        assertThat(eval("spanevent.name == \"exception\"", Ottl.Context.SPANEVENT, it)).isTrue();
    }

    @Test
    void metricAndDataPointContexts() throws Exception {
        Ottl.Item it = new Ottl.Item();
        it.resource = resource("service.name", "checkout");
        it.scope = scope("meter", "");
        it.metric = Metric.newBuilder().setName("http.server.duration").setUnit("ms").setDescription("d")
                .setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)).build();
        it.pointAttributes = attrs("http.route", "/users");
        assertThat(eval("name == \"http.server.duration\" and type == METRIC_DATA_TYPE_SUM", Ottl.Context.METRIC, it))
                .isTrue();
        assertThat(eval("metric.name == \"http.server.duration\"", Ottl.Context.METRIC, it)).isTrue();
        assertThat(eval("unit == \"ms\" and description == \"d\" and is_monotonic == true"
                + " and aggregation_temporality == AGGREGATION_TEMPORALITY_DELTA", Ottl.Context.METRIC, it)).isTrue();
        assertThat(eval("type == METRIC_DATA_TYPE_GAUGE", Ottl.Context.METRIC, it)).isFalse();
        assertThat(eval("metric.name == \"http.server.duration\" and attributes[\"http.route\"] == \"/users\"",
                Ottl.Context.DATAPOINT, it)).isTrue();
        assertThat(eval("metric.type == METRIC_DATA_TYPE_SUM and resource.attributes[\"service.name\"]"
                + " == \"checkout\"", Ottl.Context.DATAPOINT, it)).isTrue();
    }

    @Test
    void logContext() throws Exception {
        Ottl.Item it = new Ottl.Item();
        it.resource = resource();
        it.scope = scope("", "");
        it.log = LogRecord.newBuilder().setBody(AnyValues.of("password=hunter2"))
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_DEBUG).setSeverityText("DEBUG")
                .addAllAttributes(attrs("a", 1)).build();
        assertThat(eval("IsMatch(body, \"password\")", Ottl.Context.LOG, it)).isTrue();
        assertThat(eval("severity_number < SEVERITY_NUMBER_INFO", Ottl.Context.LOG, it)).isTrue();
        assertThat(eval("severity_number >= SEVERITY_NUMBER_WARN", Ottl.Context.LOG, it)).isFalse();
        assertThat(eval("severity_text == \"DEBUG\" and attributes[\"a\"] == 1", Ottl.Context.LOG, it)).isTrue();
        assertThat(eval("log.severity_text == \"DEBUG\"", Ottl.Context.LOG, it)).isTrue();
        it.log = it.log.toBuilder().setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(AnyValues.kv("event", "login")))).build();
        assertThat(eval("body[\"event\"] == \"login\"", Ottl.Context.LOG, it)).isTrue();
    }

    @Test
    void indexingAValueThatIsNotAMapFailsAtEvaluation() throws Exception {
        Ottl.Condition c = Ottl.parse("attributes[\"user\"][\"x\"] == 1", Ottl.Context.SPAN);
        assertThatThrownBy(() -> c.test(spanItem())).isInstanceOf(Ottl.EvaluationException.class)
                .hasMessage("cannot index a string with [\"x\"]");
    }

    private static String parseError(String condition, Ottl.Context ctx) {
        try {
            Ottl.parse(condition, ctx);
        } catch (Ottl.ParseException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a parse error for " + condition);
    }

    @Test
    void anythingOutsideTheSubsetIsAnErrorAtItsPosition() {
        Ottl.Context s = Ottl.Context.SPAN;
        assertThat(parseError("name = \"x\"", s)).isEqualTo("at position 6: '=' is not an operator; use '==' to compare");
        assertThat(parseError("name == 'x'", s)).isEqualTo("at position 9: strings are written in double quotes in OTTL");
        assertThat(parseError("nme == \"x\"", s)).startsWith("at position 1: unknown path 'nme' in the span context"
                + " (available: resource.attributes, ");
        assertThat(parseError("severity_number > 3", s)).startsWith("at position 1: unknown path 'severity_number'");
        assertThat(parseError("kind == SERVER", s)).startsWith("at position 9: unknown enum SERVER in the span context");
        assertThat(parseError("kind == SEVERITY_NUMBER_INFO", s)).startsWith("at position 9: unknown enum");
        assertThat(parseError("name", s)).startsWith("at position 1: a path is not a condition by itself");
        assertThat(parseError("\"x\"", s)).isEqualTo("at position 1: a literal is not a condition by itself");
        assertThat(parseError("name == \"x\" and", s)).isEqualTo("at position 16: expected a value (a path, a literal"
                + " or a converter), got the end of the condition");
        assertThat(parseError("name == \"x\" xor true", s)).isEqualTo("at position 13: expected 'and', 'or' or the"
                + " end of the condition, got 'xor'");
        assertThat(parseError("(name == \"x\"", s)).isEqualTo("at position 13: expected ')', got the end of the"
                + " condition");
        assertThat(parseError("1 < kind < 3", s)).startsWith("at position 10: comparisons cannot be chained");
        assertThat(parseError("attributes[\"a\"] + 1 > 2", s)).startsWith("at position 17: math expressions are not"
                + " supported");
        assertThat(parseError("Len(name) > 2", s)).startsWith("at position 1: converter 'Len' is not supported");
        assertThat(parseError("set(name, \"x\")", s)).startsWith("at position 1: 'set' is an editor or unknown");
        assertThat(parseError("IsMatch(name)", s)).isEqualTo("at position 1: IsMatch takes 2 arguments, got 1");
        assertThat(parseError("IsMatch(name, name)", s)).isEqualTo("at position 15: IsMatch's pattern must be a"
                + " string literal");
        assertThat(parseError("IsMatch(name, \"(\")", s)).startsWith("at position 15: invalid regular expression");
        assertThat(parseError("name == \"\\q\"", s)).startsWith("at position 10: unknown escape \\q");
        assertThat(parseError("name == \"x", s)).isEqualTo("at position 9: string is not closed");
        assertThat(parseError("attributes[0] == 1", s)).startsWith("at position 12: list indexes are not supported");
        assertThat(parseError("name[\"x\"] == 1", s)).isEqualTo("at position 1: 'name' is not a map and cannot be"
                + " indexed");
        assertThat(parseError("trace_id == 0x01", s)).isEqualTo("at position 13: byte literals (0x...) are not"
                + " supported in this version of Mantis");
        assertThat(parseError("trace_id == \"x\"", s)).startsWith("at position 1: unknown path 'trace_id'");
        assertThat(parseError("not not true", s)).isEqualTo("at position 5: 'not' cannot follow 'not'");
        assertThat(parseError("name == \"x\" and", Ottl.Context.LOG)).startsWith("at position 1: unknown path 'name'"
                + " in the log context");
        assertThat(parseError("99999999999999999999 > 1", s)).isEqualTo("at position 1: integer 99999999999999999999"
                + " does not fit in 64 bits");
    }

    @Test
    void bytesAndNumbersCompareAsOttlDoes() throws Exception {
        Ottl.Item it = spanItem();
        it.span = it.span.toBuilder().addAllAttributes(attrs("b", new byte[] {(byte) 0xff})).build();
        assertThat(eval("attributes[\"b\"] > attributes[\"raw\"]", Ottl.Context.SPAN, it)).isTrue();
        assertThat(Ottl.compare(Double.NaN, Double.NaN, Ottl.Op.EQ)).isFalse();
        assertThat(Ottl.compare(3L, 3.0, Ottl.Op.EQ)).isTrue();
        assertThat(Ottl.compare(ByteString.copyFrom(new byte[] {1}), "1", Ottl.Op.NE)).isTrue();
    }
}
