package io.mantis.bench;

import com.google.protobuf.ByteString;
import io.mantis.otlp.json.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receiver's decode hot path: one OTLP request of 100 spans as binary protobuf and as
 * OTLP/JSON, decoded and encoded.
 *
 * <pre>
 * ./mvnw -q package -DskipTests
 * java -jar mantis-bench/target/mantis-bench.jar OtlpCodecBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OtlpCodecBenchmark {
    private ExportTraceServiceRequest request;
    private byte[] proto;
    private byte[] json;

    @Setup
    public void setUp() {
        Random rnd = new Random(7);
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        byte[] id = new byte[16];
        for (int i = 0; i < 100; i++) {
            rnd.nextBytes(id);
            ss.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(id, 0, 16))
                    .setSpanId(ByteString.copyFrom(id, 0, 8)).setName("GET /api/users/{id}")
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
                    .setEndTimeUnixNano(1_700_000_000_050_000_000L + i)
                    .addAttributes(kv("http.request.method", "GET"))
                    .addAttributes(kv("http.route", "/api/users/{id}"))
                    .addAttributes(kv("url.path", "/api/users/" + rnd.nextInt(10_000)))
                    .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                            .setValue(AnyValue.newBuilder().setIntValue(200))));
        }
        request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout")))
                .addScopeSpans(ss)).build();
        proto = request.toByteArray();
        json = OtlpJson.toBytes(request);
    }

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    @Benchmark
    public ExportTraceServiceRequest decodeProtobuf() throws Exception {
        return ExportTraceServiceRequest.parseFrom(proto);
    }

    @Benchmark
    public ExportTraceServiceRequest decodeJson() throws Exception {
        return OtlpJson.parseTraces(json);
    }

    @Benchmark
    public byte[] encodeProtobuf() {
        return request.toByteArray();
    }

    @Benchmark
    public byte[] encodeJson() {
        return OtlpJson.toBytes(request);
    }
}
