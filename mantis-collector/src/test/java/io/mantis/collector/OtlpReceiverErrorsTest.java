package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.mantis.collector.consumer.ConsumeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed, oversize and refused requests get the OTLP answers, and the receiver keeps serving. */
class OtlpReceiverErrorsTest {
    @TempDir
    Path dir;

    private final CapturingExporterFactory sink = new CapturingExporterFactory();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestCollector c;

    @BeforeEach
    void start() throws Exception {
        c = new TestCollector("""
                receivers:
                  otlp:
                    protocols:
                      grpc:
                        endpoint: 127.0.0.1:0
                      http:
                        endpoint: 127.0.0.1:0
                        max_request_body_size: 4096
                exporters:
                  capture:
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [capture]}
                """, dir, sink);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private static ExportTraceServiceRequest spans(int n) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (int i = 0; i < n; i++) {
            ss.addSpans(Span.newBuilder().setName("s" + i)
                    .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build();
    }

    private HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port("otlp/http") + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String message(HttpResponse<byte[]> r) throws Exception {
        return com.google.rpc.Status.parseFrom(r.body()).getMessage();
    }

    @Test
    void malformedProtobufIs400WithAMessageAndTheReceiverKeepsServing() throws Exception {
        HttpResponse<byte[]> bad = post("/v1/traces", "application/x-protobuf", new byte[] {0x0a, (byte) 0xff, 0x01});
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(message(bad)).startsWith("malformed protobuf request");

        HttpResponse<byte[]> good = post("/v1/traces", "application/x-protobuf", spans(3).toByteArray());
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(good.body()).hasPartialSuccess()).isFalse();
        assertThat(sink.items(Signal.TRACES)).isEqualTo(3);
    }

    @Test
    void malformedJsonIs400WithAJsonStatusNamingTheProblem() throws Exception {
        HttpResponse<byte[]> bad = post("/v1/traces", "application/json",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}".getBytes());
        assertThat(bad.statusCode()).isEqualTo(400);
        String body = new String(bad.body());
        assertThat(body).startsWith("{\"code\":3,\"message\":\"malformed JSON request: ").contains("traceId");
        assertThat(bad.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));

        HttpResponse<byte[]> truncated = post("/v1/traces", "application/json", "{\"resourceSpans\":[".getBytes());
        assertThat(truncated.statusCode()).isEqualTo(400);
    }

    @Test
    void grpcAcceptsGzipAndZstdRequests() throws Exception {
        for (io.grpc.Compressor compressor : new io.grpc.Compressor[] {new io.grpc.Codec.Gzip(),
            io.mantis.collector.receiver.otlp.ZstdCodecAccess.codec()}) {
            TraceServiceGrpc.TraceServiceBlockingStub stub = GrpcClients.builder(
                    "http://127.0.0.1:" + c.port("otlp/grpc")).compressor(compressor)
                    .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
            assertThat(stub.export(spans(3)).hasPartialSuccess()).as(compressor.getMessageEncoding()).isFalse();
        }
        assertThat(sink.items(Signal.TRACES)).isEqualTo(6);
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpResponse<byte[]> r = post("/v1/traces", "text/plain", "hello".getBytes());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(message(r)).contains("unsupported content type").contains("application/x-protobuf");
    }

    @Test
    void oversizeBodiesAre413RawOrDecompressed() throws Exception {
        byte[] big = spans(200).toByteArray();
        assertThat(big.length).isGreaterThan(4096);
        assertThat(post("/v1/traces", "application/x-protobuf", big).statusCode()).isEqualTo(413);

        // Small on the wire, too big once decompressed.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(big);
        }
        assertThat(gz.size()).isLessThan(4096);
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", gz.toByteArray(),
                "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(message(r)).contains("exceeds max_request_body_size of 4096 bytes");

        // A gzip body within the limit is accepted.
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(small)) {
            out.write(spans(2).toByteArray());
        }
        assertThat(post("/v1/traces", "application/x-protobuf", small.toByteArray(), "Content-Encoding", "gzip")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void getIs405AndUnwiredSignalIs404() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + c.port("otlp/http") + "/v1/traces")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        // No metrics pipeline takes from this receiver.
        assertThat(post("/v1/metrics", "application/x-protobuf", new byte[0]).statusCode()).isEqualTo(404);
    }

    @Test
    void retryableRefusalIs429WithRetryAfterOverHttpAndResourceExhaustedOverGrpc() throws Exception {
        sink.refuseWith.set(ConsumeException.retryable("queue is full", Duration.ofSeconds(3)));
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", spans(4).toByteArray());
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("3");
        assertThat(message(r)).isEqualTo("queue is full");

        TraceServiceGrpc.TraceServiceBlockingStub stub = GrpcClients.newClient(
                "http://127.0.0.1:" + c.port("otlp/grpc"), TraceServiceGrpc.TraceServiceBlockingStub.class);
        assertThatThrownBy(() -> stub.export(spans(4)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    com.google.rpc.Status s = StatusProto.fromThrowable(e);
                    assertThat(s.getDetailsList()).anySatisfy(any -> {
                        assertThat(any.is(RetryInfo.class)).isTrue();
                        try {
                            assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(3);
                        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                            throw new AssertionError(ex);
                        }
                    });
                });
        assertThat(c.metric("otelcol_receiver_refused_spans_total{receiver=\"otlp\",transport=\"http\"}")).isEqualTo(4);
        assertThat(c.metric("otelcol_receiver_refused_spans_total{receiver=\"otlp\",transport=\"grpc\"}")).isEqualTo(4);

        sink.refuseWith.set(ConsumeException.retryable("downstream unavailable", null));
        HttpResponse<byte[]> unavailable = post("/v1/traces", "application/x-protobuf", spans(1).toByteArray());
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("retry-after")).isPresent();
        assertThatThrownBy(() -> stub.export(spans(1))).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void permanentRefusalIs400AndPartialRejectionIsAPartialSuccess() throws Exception {
        sink.refuseWith.set(ConsumeException.permanent("spans without a name are not accepted"));
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", spans(2).toByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(message(r)).isEqualTo("spans without a name are not accepted");

        sink.refuseWith.set(ConsumeException.partial(1, "1 span had an invalid trace id"));
        HttpResponse<byte[]> partial = post("/v1/traces", "application/x-protobuf", spans(5).toByteArray());
        assertThat(partial.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(partial.body());
        assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(resp.getPartialSuccess().getErrorMessage()).isEqualTo("1 span had an invalid trace id");
        assertThat(c.metric("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"}")).isEqualTo(4);
    }
}
