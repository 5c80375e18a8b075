package io.mantis.otlp.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Message;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Property tests: messages built with the protobuf builders (every metric point type, every AnyValue
 * kind, links, events, status, edge values) survive write → parse unchanged, and so do the same
 * documents rewritten into every lenient form the reader accepts.
 */
class OtlpJsonRoundTripTest {

    private static final int SEEDS = 300;

    @Test
    void tracesRoundTrip() throws Exception {
        check(seed -> new RandomOtlp(seed).traces());
    }

    @Test
    void metricsRoundTrip() throws Exception {
        check(seed -> new RandomOtlp(seed).metrics());
    }

    @Test
    void logsRoundTrip() throws Exception {
        check(seed -> new RandomOtlp(seed).logs());
    }

    @Test
    void responsesRoundTrip() throws Exception {
        check(seed -> new RandomOtlp(seed).traceResponse());
        check(seed -> new RandomOtlp(seed).metricsResponse());
        check(seed -> new RandomOtlp(seed).logsResponse());
    }

    @Test
    void theGeneratorCoversWhatItShould() {
        // Guards the property tests against a generator that silently stopped producing a case.
        Set<Metric.DataCase> dataCases = new HashSet<>();
        Set<AnyValue.ValueCase> valueCases = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            RandomOtlp random = new RandomOtlp(seed);
            random.metrics().getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
                    .forEach(sm -> sm.getMetricsList().forEach(m -> dataCases.add(m.getDataCase()))));
            valueCases.add(random.anyValue(0).getValueCase());
        }
        assertThat(dataCases).containsExactlyInAnyOrder(Metric.DataCase.values());
        assertThat(valueCases)
                .containsExactlyInAnyOrder(AnyValue.ValueCase.values());
    }

    private static void check(LongFunction<Message> generator) throws Exception {
        for (long seed = 0; seed < SEEDS; seed++) {
            Message original = generator.apply(seed);
            byte[] json = OtlpJson.toBytes(original);
            String text = new String(json, StandardCharsets.UTF_8);

            Message parsed = OtlpJson.parse(json, original.getDefaultInstanceForType());
            assertThat(parsed).as("seed %d, JSON %s", seed, text).isEqualTo(original);
            // And the binary form of what was parsed is the original's.
            assertThat(parsed.toByteString()).as("seed %d", seed).isEqualTo(original.toByteString());

            byte[] lenient = lenientForm(json, new Random(seed));
            Message parsedLenient = OtlpJson.parse(lenient, original.getDefaultInstanceForType());
            assertThat(parsedLenient)
                    .as("seed %d, lenient JSON %s", seed, new String(lenient, StandardCharsets.UTF_8))
                    .isEqualTo(original);
        }
    }

    // ---- the lenient rewrite ----

    private static final Set<String> ID_KEYS = Set.of("traceId", "spanId", "parentSpanId");
    private static final Set<String> INT64_KEYS = Set.of("startTimeUnixNano", "endTimeUnixNano", "timeUnixNano",
            "observedTimeUnixNano", "count", "zeroCount", "bucketCounts", "intValue", "asInt", "rejectedSpans",
            "rejectedDataPoints", "rejectedLogRecords");
    private static final Set<String> ENUM_KEYS = Set.of("kind", "code", "severityNumber", "aggregationTemporality");
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Rewrites strict OTLP/JSON into what other senders produce and the reader must take: keys in
     * snake_case, upper-case ids, 64-bit integers as bare numbers, enum names, pretty-printing, and
     * unknown fields of every shape sprinkled in. Each rewrite is applied at random.
     */
    static byte[] lenientForm(byte[] json, Random r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonParser p = JSON.createParser(json); JsonGenerator g = JSON.createGenerator(out)) {
            if (r.nextBoolean()) {
                g.useDefaultPrettyPrinter();
            }
            // The key whose value is being copied; for array elements, the array's key.
            Deque<String> containerKeys = new ArrayDeque<>();
            String key = "";
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        key = p.currentName();
                        g.writeFieldName(r.nextBoolean() ? snakeCase(key) : key);
                        continue;
                    }
                    case START_OBJECT -> {
                        g.writeStartObject();
                        containerKeys.push("");
                        if (r.nextInt(4) == 0) {
                            writeUnknownField(g, r);
                        }
                    }
                    case END_OBJECT -> {
                        if (r.nextInt(4) == 0) {
                            writeUnknownField(g, r);
                        }
                        containerKeys.pop();
                        g.writeEndObject();
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        containerKeys.push(key);
                    }
                    case END_ARRAY -> {
                        containerKeys.pop();
                        g.writeEndArray();
                    }
                    default -> writeScalar(p, g, t, key.isEmpty() ? containerKeys.peek() : key, r);
                }
                key = "";
            }
        }
        return out.toByteArray();
    }

    private static void writeScalar(JsonParser p, JsonGenerator g, JsonToken t, String key, Random r)
            throws IOException {
        if (t == JsonToken.VALUE_STRING && ID_KEYS.contains(key) && r.nextBoolean()) {
            g.writeString(p.getText().toUpperCase(Locale.ROOT));
        } else if (t == JsonToken.VALUE_STRING && INT64_KEYS.contains(key) && r.nextBoolean()) {
            g.writeNumber(new BigInteger(p.getText()));
        } else if (t == JsonToken.VALUE_NUMBER_INT && ENUM_KEYS.contains(key) && r.nextBoolean()
                && enumName(key, p.getIntValue()) != null) {
            g.writeString(enumName(key, p.getIntValue()));
        } else {
            g.copyCurrentEvent(p);
        }
    }

    private static String enumName(String key, int number) {
        Enum<?> e = switch (key) {
            case "kind" -> Span.SpanKind.forNumber(number);
            case "code" -> Status.StatusCode.forNumber(number);
            case "severityNumber" -> SeverityNumber.forNumber(number);
            case "aggregationTemporality" -> AggregationTemporality.forNumber(number);
            default -> null;
        };
        return e == null ? null : e.name();
    }

    private static void writeUnknownField(JsonGenerator g, Random r) throws IOException {
        g.writeFieldName("futureField" + r.nextInt(100));
        switch (r.nextInt(4)) {
            case 0 -> {
                g.writeStartObject();
                g.writeFieldName("a");
                g.writeStartArray();
                g.writeNumber(1);
                g.writeStartObject();
                g.writeFieldName("traceId");
                g.writeString("not hex at all");
                g.writeEndObject();
                g.writeNull();
                g.writeEndArray();
                g.writeEndObject();
            }
            case 1 -> {
                g.writeStartArray();
                g.writeStartArray();
                g.writeString("x");
                g.writeEndArray();
                g.writeBoolean(true);
                g.writeEndArray();
            }
            case 2 -> g.writeNull();
            default -> g.writeNumber(1.5e300);
        }
    }

    private static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
