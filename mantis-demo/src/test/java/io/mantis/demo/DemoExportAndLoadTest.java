package io.mantis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.common.config.Endpoint;
import io.mantis.demo.app.Simulation;
import io.mantis.demo.load.LoadStats;
import io.mantis.demo.load.ProgressLine;
import io.mantis.demo.load.RequestMix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The demo over OTLP/HTTP chosen by the standard environment variables, retries against a receiver
 * that is not ready yet, and the built-in load generator.
 */
class DemoExportAndLoadTest {

    private static DemoConfig config(String otlpEndpoint, DemoConfig.Protocol protocol, DemoConfig.Load load) {
        return new DemoConfig(true, null, 0, 0, "test",
                new DemoConfig.Otlp(otlpEndpoint, protocol, Map.of(), Duration.ofSeconds(5), DemoConfig.Compression.NONE),
                Duration.ofMillis(200), load);
    }

    private static DemoService.Options options(Map<String, String> env) {
        return DemoService.Options.defaults("1.0.0-test").withEnv(env).withSimulation(Simulation.PREDICTABLE)
                .withProgress(null);
    }

    @Test
    void theEnvironmentOverridesTheConfiguredEndpointAndProtocol() throws Exception {
        try (OtlpSink sink = new OtlpSink()) {
            // The configuration points nowhere useful; the standard variables win, as the spec says.
            DemoService demo = new DemoService(config("http://127.0.0.1:1", DemoConfig.Protocol.GRPC,
                    DemoConfig.Load.DEFAULTS), new Endpoint("127.0.0.1", 0), options(Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", sink.url(),
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    "OTEL_EXPORTER_OTLP_HEADERS", "x-demo-tenant=from%20env")));
            demo.start();
            try {
                assertThat(demo.exportSettings().traces().endpoint()).isEqualTo(sink.url() + "/v1/traces");
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(demo.shopUrl().resolve("/api/orders"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                http.close();
            } finally {
                demo.stop();
            }
            assertThat(sink.spans()).extracting(OtlpSink.ResourceSpan::service)
                    .contains("shop", "inventory", "payments");
            assertThat(sink.metrics()).isNotEmpty();
            assertThat(sink.logs()).extracting(OtlpSink.ResourceLog::service).contains("shop", "inventory", "payments");
            assertThat(sink.transports).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("http application/x-protobuf"));
            assertThat(sink.tenants).containsOnly("from env");
        }
    }

    @Test
    void exportsAreRetriedWhileTheReceiverIsUnavailable() throws Exception {
        try (OtlpSink sink = new OtlpSink()) {
            sink.failFirst.set(2);
            DemoService demo = new DemoService(config(sink.url(), DemoConfig.Protocol.GRPC, DemoConfig.Load.DEFAULTS),
                    new Endpoint("127.0.0.1", 0), options(Map.of()));
            demo.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                http.send(HttpRequest.newBuilder(demo.shopUrl().resolve("/api/users/1")).build(),
                        HttpResponse.BodyHandlers.ofString());
                http.close();
                OtlpSink.await(sink::spans, s -> s.span().getName().equals("GET /api/users/{id}"),
                        Duration.ofSeconds(15), "span after two UNAVAILABLE answers");
            } finally {
                demo.stop();
            }
            assertThat(sink.failFirst.get()).isZero();
        }
    }

    @Test
    void anUnsupportedProtocolInTheEnvironmentStopsTheStartWithItsName() {
        DemoService demo = new DemoService(config(null, DemoConfig.Protocol.GRPC, DemoConfig.Load.DEFAULTS),
                new Endpoint("127.0.0.1", 0), options(Map.of("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json")));
        assertThatThrownBy(demo::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL")
                .hasMessageContaining("http/json is not supported");
        assertThat(demo.isReady()).isFalse();
    }

    @Test
    void theLoadGeneratorDrivesTheMixForItsDurationAndReportsProgress() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (OtlpSink sink = new OtlpSink()) {
            DemoService demo = new DemoService(config(sink.url(), DemoConfig.Protocol.GRPC,
                    new DemoConfig.Load(150, Duration.ofMillis(1500))), new Endpoint("127.0.0.1", 0),
                    options(Map.of()).withProgress(new ProgressLine(new PrintStream(console, true,
                            StandardCharsets.UTF_8), false)));
            demo.start();
            LoadStats stats;
            try {
                stats = demo.loadFinished().get(20, TimeUnit.SECONDS);
            } finally {
                demo.stop();
            }
            // About 225 requests; the schedule may run a tick late, never early.
            assertThat(stats.sent()).isBetween(150L, 240L);
            assertThat(stats.answered() + stats.failed()).isEqualTo(stats.sent());
            assertThat(stats.failed()).isZero();
            assertThat(stats.byKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(stats.sent());
            assertThat(stats.byKind().get(RequestMix.Kind.ORDER)).isPositive();
            assertThat(stats.byKind().get(RequestMix.Kind.ERROR)).isPositive();
            // Each /api/error answers 500, each invalid user and unknown id a 4xx.
            assertThat(stats.serverErrors()).isEqualTo(stats.byKind().get(RequestMix.Kind.ERROR));
            assertThat(stats.clientErrors()).isEqualTo(stats.byKind().get(RequestMix.Kind.CREATE_INVALID_USER)
                    + stats.byKind().get(RequestMix.Kind.GET_UNKNOWN_USER));
            String out = console.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("demo load done: " + String.format("%,d", stats.sent()) + " sent")
                    .doesNotContain("\r");
            assertThat(sink.spans()).anyMatch(s -> s.span().getName().equals("GET /api/slow"));
        }
    }
}
