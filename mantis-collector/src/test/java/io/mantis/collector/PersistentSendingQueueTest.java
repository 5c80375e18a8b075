package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.mantis.collector.exporter.helper.QueuedRetrySender;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sending_queue.storage}: batches accepted while the destination is down survive a stop
 * of the collector and reach the destination after the next start.
 */
class PersistentSendingQueueTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String sender(String exporter, int port, String queueExtra) {
        String target = exporter.equals("otlphttp") ? "endpoint: http://127.0.0.1:" + port
                : "endpoint: 127.0.0.1:" + port + "\n    tls: {insecure: true}";
        return """
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                exporters:
                  %s:
                    %s
                    sending_queue:
                      storage: file_storage
                      %s
                    retry_on_failure:
                      initial_interval: 50ms
                      max_interval: 200ms
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [%s]}
                """.formatted(exporter, target, queueExtra, exporter);
    }

    /** A Mantis receiving on {@code port} with the protocol the exporter speaks. */
    private static String receiver(String exporter, int port) {
        return """
                receivers:
                  otlp:
                    protocols:
                      %s:
                        endpoint: 127.0.0.1:%d
                exporters:
                  capture:
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [capture]}
                """.formatted(exporter.equals("otlphttp") ? "http" : "grpc", port);
    }

    private static ExportTraceServiceRequest spans(int batch, int n) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (int i = 0; i < n; i++) {
            ss.addSpans(Span.newBuilder().setName("b" + batch + "-s" + i));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss))
                .build();
    }

    private int post(TestCollector c, ExportTraceServiceRequest r) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port("otlp/http") + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.toByteArray())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<Path> segments(Path queueDir) throws Exception {
        if (!Files.isDirectory(queueDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(queueDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"otlphttp", "otlp"})
    void batchesQueuedWhileTheTargetIsDownArriveAfterARestart(String exporter) throws Exception {
        int port = freePort(); // nothing listens there until the receiver B starts
        Path data = dir.resolve("a");
        Path queueDir = data.resolve("collector/queues/" + exporter + "/traces");
        int batches = 20;
        int perBatch = 5;
        Set<String> expected = new HashSet<>();

        try (LogCapture logs = new LogCapture(QueuedRetrySender.class)) {
            TestCollector a = new TestCollector(sender(exporter, port, "num_consumers: 3"), data);
            try {
                for (int b = 0; b < batches; b++) {
                    ExportTraceServiceRequest r = spans(b, perBatch);
                    r.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(s -> expected.add(s.getName()));
                    assertThat(post(a, r)).isEqualTo(200);
                }
                assertThat(segments(queueDir)).isNotEmpty();
                Thread.sleep(200); // let the senders fail a few times
                assertThat(a.metric("otelcol_exporter_sent_spans_total{exporter=\"" + exporter + "\"}")).isZero();
            } finally {
                long t0 = System.nanoTime();
                a.close();
                // A stop does not spend its budget retrying a dead destination: the files keep the data.
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            }
            assertThat(logs.messages(Level.INFO)).anySatisfy(m -> assertThat(m)
                    .contains("stopped with " + batches + " batches of traces in its persistent queue"));
            assertThat(logs.messages(Level.ERROR)).isEmpty();
        }

        CapturingExporterFactory sink = new CapturingExporterFactory();
        try (TestCollector b = new TestCollector(receiver(exporter, port), dir.resolve("b"), sink);
             LogCapture logs = new LogCapture(QueuedRetrySender.class);
             TestCollector again = new TestCollector(sender(exporter, port, "num_consumers: 3"), data)) {
            assertThat(b.port(exporter.equals("otlphttp") ? "otlp/http" : "otlp/grpc")).isEqualTo(port);
            assertThat(logs.messages(Level.INFO)).anySatisfy(m -> assertThat(m)
                    .contains(batches + " batches of traces recovered from the persistent queue"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Set<String> got = new HashSet<>();
            while (!got.containsAll(expected) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                got.clear();
                sink.received.forEach(t -> ((Traces) t).request().getResourceSpansList().forEach(rs -> rs
                        .getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> got.add(s.getName())))));
            }
            assertThat(got).as("spans that arrived").containsAll(expected).hasSize(batches * perBatch);
            // At least once: a batch in flight at the stop may arrive twice, but none was in flight here.
            assertThat(sink.items(Signal.TRACES)).isGreaterThanOrEqualTo(batches * perBatch);

            String sent = "otelcol_exporter_sent_spans_total{exporter=\"" + exporter + "\"}";
            while (again.metric(sent) < batches * perBatch && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(again.metric(sent)).isEqualTo(batches * perBatch);
            assertThat(again.metric("otelcol_exporter_queue_size{exporter=\"" + exporter
                    + "\",data_type=\"traces\"}")).isZero();
            // Every record acknowledged: the recovered segment is gone.
            while (!segments(queueDir).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(segments(queueDir)).isEmpty();
        }
    }

    @Test
    void aFullPersistentQueueRefusesWithARetryableAnswer() throws Exception {
        int port = freePort();
        try (TestCollector a = new TestCollector(sender("otlphttp", port, "num_consumers: 1\n      queue_size: 3"),
                dir.resolve("a"))) {
            int accepted = 0;
            int status = 200;
            for (int b = 0; b < 10 && status == 200; b++) {
                status = post(a, spans(b, 1));
                accepted += status == 200 ? 1 : 0;
            }
            // One batch in the sender's hands, three waiting; then "try again in a second".
            assertThat(status).isEqualTo(429);
            assertThat(accepted).isBetween(3, 4);
            assertThat(a.metric("otelcol_exporter_enqueue_failed_spans_total{exporter=\"otlphttp\"}")).isEqualTo(1);
        }
    }

    @Test
    void aQueueDirectoryInUseFailsTheStartAndSaysWhy() throws Exception {
        int port = freePort();
        Path data = dir.resolve("shared");
        try (TestCollector first = new TestCollector(sender("otlphttp", port, ""), data)) {
            assertThat(first.port("otlp/http")).isPositive();
            assertThatThrownBy(() -> new TestCollector(sender("otlphttp", port, ""), data))
                    .hasStackTraceContaining("is in use by another open queue");
        }
        // Released with the first collector.
        new TestCollector(sender("otlphttp", port, ""), data).close();
    }
}
