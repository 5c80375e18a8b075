package io.mantis.it.javaagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mantis.collector.CapturingExporterFactory;
import io.mantis.collector.TestCollector;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.testkit.PeerProcess;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@link CheckoutApp}, a plain Java program, under the OpenTelemetry Java agent from Maven
 * Central, pointed by OTEL_* variables at a Mantis collector on loopback, once per OTLP protocol
 * the agent speaks: the spans, metrics and logs that its out-of-the-box instrumentation produces
 * for one request all arrive, with their resource, links between spans and the trace context on
 * the log record. docs/java-agent.md describes exactly this set-up to users.
 */
class JavaAgentIT {
    /** Copied by maven-dependency-plugin before the integration tests run. */
    private static final Path AGENT = Path.of(System.getProperty("mantis.it.otel-javaagent",
            "target/otel-agent/opentelemetry-javaagent.jar"));
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final HexFormat HEX = HexFormat.of();

    private static final String COLLECTOR = """
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:0
                  http:
                    endpoint: 127.0.0.1:0
            processors:
              batch:
                timeout: 50ms
            exporters:
              capture:
            service:
              pipelines:
                traces: {receivers: [otlp], processors: [batch], exporters: [capture]}
                metrics: {receivers: [otlp], processors: [batch], exporters: [capture]}
                logs: {receivers: [otlp], processors: [batch], exporters: [capture]}
            """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest(name = "OTEL_EXPORTER_OTLP_PROTOCOL={0}")
    @ValueSource(strings = {"grpc", "http/protobuf"})
    void appUnderTheAgentSendsSpansMetricsAndLogsToMantis(String protocol) throws Exception {
        assumeTrue(Files.isRegularFile(AGENT), "the OpenTelemetry Java agent is not at " + AGENT.toAbsolutePath()
                + "; `./mvnw verify` copies it there (maven-dependency-plugin, pre-integration-test), or point"
                + " -Dmantis.it.otel-javaagent at one");
        boolean grpc = protocol.equals("grpc");
        String transport = grpc ? "grpc" : "http";
        String service = "checkout-" + transport;
        String order = "A-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        CapturingExporterFactory sink = new CapturingExporterFactory();

        try (TestCollector collector = new TestCollector(COLLECTOR, dir.resolve("collector"), sink)) {
            int otlpPort = collector.port(grpc ? "otlp/grpc" : "otlp/http");
            int appPort = PeerProcess.freePort();
            List<String> jvmArgs = List.of(
                    "-javaagent:" + AGENT.toAbsolutePath(),
                    "-Dotel.service.name=" + service,
                    // Seconds rather than the defaults' minute or so, so that the test is quick.
                    "-Dotel.metric.export.interval=500",
                    "-Dotel.bsp.schedule.delay=100",
                    "-Dotel.blrp.schedule.delay=100",
                    "-Dlogback.configurationFile=" + resource("checkout-app-logback.xml"));
            Map<String, String> env = Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + otlpPort,
                    "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
                    "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=agent-it,service.namespace=mantis-it");

            try (ChildJvm app = ChildJvm.start(dir.resolve("app.log"), jvmArgs, appClasspath(),
                    CheckoutApp.class.getName(), List.of(String.valueOf(appPort)), env)) {
                awaitHealthy(app, appPort);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + appPort + "/checkout?order=" + order))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(app.tail(40)).isEqualTo(200);
                assertThat(r.body()).isEqualTo("order " + order + ": 3 in stock");

                // Traces: the request's server span, with the HTTP semantic conventions' attributes.
                Found<Span> server = await(app, sink, "the SERVER span of GET /checkout", () -> spans(sink)
                        .filter(s -> s.item().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                                && "/checkout".equals(string(s.item().getAttributesList(), "http.route")))
                        .findFirst());
                assertThat(server.item().getName()).isEqualTo("GET /checkout");
                assertThat(string(server.item().getAttributesList(), "http.request.method")).isEqualTo("GET");
                assertThat(integer(server.item().getAttributesList(), "http.response.status_code")).isEqualTo(200L);
                assertThat(server.item().getParentSpanId().isEmpty()).as("a root span").isTrue();
                assertResource(server.resource(), service);

                // ... the outgoing call is its child, in the same trace ...
                Found<Span> client = await(app, sink, "the CLIENT span of the call to /inventory", () -> spans(sink)
                        .filter(s -> s.item().getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                                && s.item().getParentSpanId().equals(server.item().getSpanId()))
                        .findFirst());
                assertThat(client.item().getTraceId()).isEqualTo(server.item().getTraceId());
                assertThat(string(client.item().getAttributesList(), "http.request.method")).isEqualTo("GET");
                assertThat(string(client.item().getAttributesList(), "url.full"))
                        .isEqualTo("http://127.0.0.1:" + appPort + "/inventory");
                assertThat(integer(client.item().getAttributesList(), "http.response.status_code")).isEqualTo(200L);
                assertResource(client.resource(), service);

                // ... and the server side of that call joined the trace through the traceparent header alone.
                Found<Span> inventory = await(app, sink, "the SERVER span of GET /inventory", () -> spans(sink)
                        .filter(s -> s.item().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                                && s.item().getParentSpanId().equals(client.item().getSpanId()))
                        .findFirst());
                assertThat(inventory.item().getTraceId()).isEqualTo(server.item().getTraceId());
                assertThat(string(inventory.item().getAttributesList(), "http.route")).isEqualTo("/inventory");

                // Logs: the line logged inside the request, with its trace context and severity.
                Found<LogRecord> log = await(app, sink, "the log record of order " + order, () -> logs(sink)
                        .filter(l -> l.item().getBody().getStringValue().contains(order))
                        .findFirst());
                assertThat(log.item().getBody().getStringValue()).isEqualTo("checkout of order " + order + " started");
                assertThat(HEX.formatHex(log.item().getTraceId().toByteArray()))
                        .isEqualTo(HEX.formatHex(server.item().getTraceId().toByteArray()));
                assertThat(HEX.formatHex(log.item().getSpanId().toByteArray()))
                        .isEqualTo(HEX.formatHex(server.item().getSpanId().toByteArray()));
                assertThat(log.item().getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
                assertThat(log.item().getSeverityText()).isEqualTo("INFO");
                assertResource(log.resource(), service);
                // The agent also puts the ids in Logback's MDC, so the app's own log lines carry them.
                assertThat(app.output()).contains("trace_id=" + HEX.formatHex(server.item().getTraceId().toByteArray())
                        + " span_id=" + HEX.formatHex(server.item().getSpanId().toByteArray()));

                // Metrics: the HTTP server duration histogram, in seconds, with this request's route ...
                Found<Metric> duration = await(app, sink, "http.server.request.duration for /checkout",
                        () -> metrics(sink).filter(m -> m.item().getName().equals("http.server.request.duration")
                                && m.item().hasHistogram() && checkoutPoint(m.item()).isPresent()).findFirst());
                assertThat(duration.item().getUnit()).isEqualTo("s");
                HistogramDataPoint point = checkoutPoint(duration.item()).orElseThrow();
                assertThat(point.getCount()).isEqualTo(1);
                assertThat(string(point.getAttributesList(), "http.request.method")).isEqualTo("GET");
                assertThat(integer(point.getAttributesList(), "http.response.status_code")).isEqualTo(200L);
                assertResource(duration.resource(), service);
                // ... the client's, and JVM runtime metrics.
                await(app, sink, "http.client.request.duration", () -> metrics(sink)
                        .filter(m -> m.item().getName().equals("http.client.request.duration")
                                && m.item().hasHistogram() && m.item().getUnit().equals("s"))
                        .findFirst());
                Found<Metric> memory = await(app, sink, "jvm.memory.used", () -> metrics(sink)
                        .filter(m -> m.item().getName().equals("jvm.memory.used")).findFirst());
                assertThat(memory.item().getUnit()).isEqualTo("By");
                assertThat(memory.item().getSum().getDataPointsCount()).isPositive();
                assertResource(memory.resource(), service);

                // What docs/java-agent.md tells users to look at when nothing seems to arrive.
                for (String item : List.of("spans", "metric_points", "log_records")) {
                    assertThat(collector.metric("otelcol_receiver_accepted_" + item + "_total{receiver=\"otlp\","
                            + "transport=\"" + transport + "\"}")).as(item).isPositive();
                }
            }
        }
    }

    private void awaitHealthy(ChildJvm app, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                fail("the app under the agent exited before answering /health\n" + app.tail(40));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet: the agent instruments classes before main runs.
            }
            Thread.sleep(100);
        }
        fail("the app under the agent did not answer /health within " + STARTUP + "\n" + app.tail(40));
    }

    /**
     * Polls what the collector received until {@code probe} finds something; otherwise fails with
     * what did arrive and the end of the app's output, which is where an agent's export errors go.
     */
    private static <T> T await(ChildJvm app, CapturingExporterFactory sink, String what, Supplier<Optional<T>> probe)
            throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " arrived within " + ARRIVAL + "; received:\n" + received(sink) + "\n"
                        + app.tail(40));
            }
            Thread.sleep(50);
        }
    }

    private static String received(CapturingExporterFactory sink) {
        TreeSet<String> spans = new TreeSet<>();
        spans(sink).forEach(s -> spans.add(s.item().getKind() + " " + s.item().getName()));
        TreeSet<String> metrics = new TreeSet<>();
        metrics(sink).forEach(m -> metrics.add(m.item().getName()));
        List<String> logs = new ArrayList<>();
        logs(sink).forEach(l -> logs.add(l.item().getSeverityText() + " " + l.item().getBody().getStringValue()));
        return "  spans: " + spans + "\n  metrics: " + metrics + "\n  logs: " + logs;
    }

    private static Optional<HistogramDataPoint> checkoutPoint(Metric m) {
        return m.getHistogram().getDataPointsList().stream()
                .filter(p -> "/checkout".equals(string(p.getAttributesList(), "http.route"))).findFirst();
    }

    private static void assertResource(Resource resource, String service) {
        List<KeyValue> attrs = resource.getAttributesList();
        assertThat(string(attrs, "service.name")).isEqualTo(service);
        assertThat(string(attrs, "service.namespace")).isEqualTo("mantis-it");
        assertThat(string(attrs, "deployment.environment.name")).isEqualTo("agent-it");
        assertThat(string(attrs, "telemetry.distro.name")).isEqualTo("opentelemetry-java-instrumentation");
        // What the agent detects by itself, as docs/java-agent.md says.
        assertThat(string(attrs, "service.instance.id")).isNotBlank();
        assertThat(string(attrs, "host.name")).isNotBlank();
        assertThat(string(attrs, "os.type")).isNotBlank();
        assertThat(integer(attrs, "process.pid")).isPositive();
    }

    /** One item of a received batch, with the resource it was sent under. */
    private record Found<T>(Resource resource, T item) {
    }

    private static Stream<Found<Span>> spans(CapturingExporterFactory sink) {
        List<Found<Span>> out = new ArrayList<>();
        for (Telemetry t : sink.received) {
            if (t instanceof Traces traces) {
                for (ResourceSpans rs : traces.request().getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        ss.getSpansList().forEach(s -> out.add(new Found<>(rs.getResource(), s)));
                    }
                }
            }
        }
        return out.stream();
    }

    private static Stream<Found<Metric>> metrics(CapturingExporterFactory sink) {
        List<Found<Metric>> out = new ArrayList<>();
        for (Telemetry t : sink.received) {
            if (t instanceof Metrics metrics) {
                for (ResourceMetrics rm : metrics.request().getResourceMetricsList()) {
                    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                        sm.getMetricsList().forEach(m -> out.add(new Found<>(rm.getResource(), m)));
                    }
                }
            }
        }
        return out.stream();
    }

    private static Stream<Found<LogRecord>> logs(CapturingExporterFactory sink) {
        List<Found<LogRecord>> out = new ArrayList<>();
        for (Telemetry t : sink.received) {
            if (t instanceof Logs logs) {
                for (ResourceLogs rl : logs.request().getResourceLogsList()) {
                    for (ScopeLogs sl : rl.getScopeLogsList()) {
                        sl.getLogRecordsList().forEach(l -> out.add(new Found<>(rl.getResource(), l)));
                    }
                }
            }
        }
        return out.stream();
    }

    private static AnyValue attribute(List<KeyValue> attrs, String key) {
        for (KeyValue kv : attrs) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return null;
    }

    private static String string(List<KeyValue> attrs, String key) {
        AnyValue v = attribute(attrs, key);
        return v == null || !v.hasStringValue() ? null : v.getStringValue();
    }

    private static Long integer(List<KeyValue> attrs, String key) {
        AnyValue v = attribute(attrs, key);
        return v == null || !v.hasIntValue() ? null : v.getIntValue();
    }

    /**
     * The app's classpath: its own classes, SLF4J and Logback, and nothing else of the test's, so
     * it is a plain application like the ones users run.
     */
    private static List<Path> appClasspath() throws URISyntaxException {
        List<Path> cp = new ArrayList<>();
        for (Class<?> c : List.of(CheckoutApp.class, org.slf4j.LoggerFactory.class,
                ch.qos.logback.classic.Logger.class, ch.qos.logback.core.Appender.class)) {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!cp.contains(p)) {
                cp.add(p);
            }
        }
        return cp;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(JavaAgentIT.class.getResource(name).toURI());
    }
}
