package io.mantis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.common.lifecycle.Component;
import io.mantis.common.lifecycle.LifecycleException;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.server.config.ConfigService;
import io.mantis.server.config.LoadedConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MantisServerTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MantisServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private LoadedConfig config() throws IOException {
        Path f = dir.resolve("mantis.yaml");
        Files.writeString(f, """
                server:
                  data_dir: %s
                  shutdown_timeout: 5s
                metrics:
                  endpoint: 127.0.0.1:0
                collector:
                  extensions:
                    health_check:
                      endpoint: 127.0.0.1:0
                      path: /status
                  service:
                    extensions: [health_check]
                    telemetry:
                      metrics:
                        readers:
                          - pull: {exporter: {prometheus: {host: 127.0.0.1, port: 0}}}
                """.formatted(dir.resolve("data")));
        return ConfigService.load(f, Map.of(), null);
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A pooled keep-alive connection the server closed at the same moment: a GET is safe
            // to send again, as any HTTP client does.
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private int healthPort() {
        return server.listener("extension/health_check").port();
    }

    private int metricsPort() {
        return server.listener("telemetry/metrics").port();
    }

    @Test
    void allAnswersHealthReadinessAndSelfMetricsOverHttp() throws Exception {
        server = new MantisServer(config(), Role.builtRoles(), new MetricRegistry());
        server.start();

        HttpResponse<String> health = get(healthPort(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"up\"");

        HttpResponse<String> ready = get(healthPort(), "/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(ready.body()).contains("\"status\":\"ready\"")
                .contains("\"server/data_dir\":\"ready\"")
                .contains("\"telemetry/metrics\":\"ready\"");

        HttpResponse<String> status = get(healthPort(), "/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"status\":\"Server available\"").contains("\"upSince\":");

        HttpResponse<String> text = get(metricsPort(), "/metrics");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("version=0.0.4"));
        assertThat(text.body())
                .contains("mantis_build_info{")
                .contains("mantis_component_ready{component=\"extension/health_check\"} 1")
                .contains("jvm_memory_used_bytes{area=\"heap\"}")
                .doesNotContain("# EOF");

        HttpResponse<String> om = get(metricsPort(), "/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(om.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("openmetrics-text"));
        assertThat(om.body()).endsWith("# EOF\n");

        assertThat(Files.readString(dir.resolve("data").resolve("mantis.lock")).trim())
                .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }

    private LoadedConfig demoConfig(boolean enabled) throws IOException {
        Path f = dir.resolve("demo.yaml");
        Files.writeString(f, """
                server:
                  data_dir: %s
                  shutdown_timeout: 10s
                metrics:
                  endpoint: 127.0.0.1:0
                collector:
                  receivers:
                    otlp:
                      protocols:
                        grpc: {endpoint: "127.0.0.1:0"}
                  processors:
                    batch: {timeout: 10ms}
                  exporters:
                    debug:
                  extensions:
                    health_check: {endpoint: "127.0.0.1:0"}
                  service:
                    extensions: [health_check]
                    pipelines:
                      traces: {receivers: [otlp], processors: [batch], exporters: [debug]}
                      metrics: {receivers: [otlp], processors: [batch], exporters: [debug]}
                      logs: {receivers: [otlp], processors: [batch], exporters: [debug]}
                    telemetry:
                      logs: {level: warn}
                      metrics:
                        readers:
                          - pull: {exporter: {prometheus: {host: 127.0.0.1, port: 0}}}
                demo:
                  enabled: %s
                  endpoint: 127.0.0.1:0
                  inventory_port: 0
                  payments_port: 0
                  metric_export_interval: 500ms
                  load: {rate: 20}
                """.formatted(dir.resolve("data"), enabled));
        return ConfigService.load(f, Map.of(), null);
    }

    @Test
    void allWithTheDemoFeedsThisProcessCollectorOverGrpc() throws Exception {
        server = new MantisServer(demoConfig(true), Role.builtRoles(), new MetricRegistry());
        server.start();
        int shop = server.listener("demo/shop").port();
        assertThat(get(shop, "/api/users/1").statusCode()).isEqualTo(200);
        assertThat(get(shop, "/api/users/12345").statusCode()).isEqualTo(404);
        assertThat(get(healthPort(), "/ready").body()).contains("\"demo\":\"ready\"");
        assertThat(server.startupTable("all", Duration.ZERO)).contains("demo app: shop")
                .contains("http://127.0.0.1:" + shop + "/api/orders").doesNotContain("demo app: off");

        // The demo's default target is the collector of this process, wherever its port landed.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline && !(body.contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"}")
                && body.contains("otelcol_receiver_accepted_log_records_total{receiver=\"otlp\",transport=\"grpc\"}")
                && body.contains("otelcol_receiver_accepted_metric_points_total{receiver=\"otlp\",transport=\"grpc\"}"))) {
            Thread.sleep(200);
            body = get(metricsPort(), "/metrics").body();
        }
        assertThat(body).contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"}")
                .contains("otelcol_receiver_accepted_log_records_total{receiver=\"otlp\",transport=\"grpc\"}")
                .contains("otelcol_receiver_accepted_metric_points_total{receiver=\"otlp\",transport=\"grpc\"}");
        assertThat(server.finished()).as("all runs until stopped").isNotDone();
        assertThat(server.stop()).isTrue();
        server = null;
    }

    @Test
    void metricsSentToTheCollectorAreStoredInProcessAndServedByThePrometheusApi() throws Exception {
        Path f = dir.resolve("pipeline.yaml");
        Files.writeString(f, """
                server:
                  data_dir: %s
                  shutdown_timeout: 5s
                metrics:
                  endpoint: 127.0.0.1:0
                collector:
                  receivers:
                    otlp:
                      protocols:
                        http:
                          endpoint: 127.0.0.1:0
                  exporters:
                    mantis:
                      when_absent: error
                  service:
                    pipelines:
                      metrics:
                        receivers: [otlp]
                        exporters: [mantis]
                    telemetry:
                      metrics:
                        readers:
                          - pull: {exporter: {prometheus: {host: 127.0.0.1, port: 0}}}
                """.formatted(dir.resolve("data")));
        server = new MantisServer(ConfigService.load(f, Map.of(), null), List.of(Role.COLLECTOR, Role.METRICS),
                new MetricRegistry());
        server.start();
        int otlp = server.listeners().stream().filter(l -> l.id().startsWith("receiver/otlp")).findFirst()
                .orElseThrow().port();
        int prom = server.listener("metrics/http").port();
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        String body = """
                {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
                 "scopeMetrics":[{"metrics":[{"name":"queue_depth","gauge":{"dataPoints":[
                   {"timeUnixNano":"%d","asDouble":7}]}}]}]}]}
                """.formatted(nowNanos);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlp + "/v1/metrics"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // The exporter answered after the store committed the batch: visible at once.
        assertThat(get(prom, "/api/v1/series?match[]=queue_depth").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"queue_depth\",\"job\":\"shop\"}]}");
        assertThat(get(metricsPort(), "/metrics").body())
                .contains("otelcol_exporter_sent_metric_points_total{exporter=\"mantis\"} 1");
        assertThat(server.stop()).isTrue();
        server = null;
        // and it is durable: a new process over the same data directory serves it again
        server = new MantisServer(ConfigService.load(f, Map.of(), null), List.of(Role.METRICS), new MetricRegistry());
        server.start();
        assertThat(get(server.listener("metrics/http").port(), "/api/v1/label/__name__/values").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"queue_depth\"]}");
    }

    @Test
    void theMantisExporterWithoutAStoreRefusesToStartWhenToldTo() throws Exception {
        Path f = dir.resolve("nostore.yaml");
        Files.writeString(f, """
                server:
                  data_dir: %s
                collector:
                  receivers:
                    otlp:
                      protocols:
                        http:
                          endpoint: 127.0.0.1:0
                  exporters:
                    mantis:
                      when_absent: error
                  service:
                    pipelines:
                      metrics:
                        receivers: [otlp]
                        exporters: [mantis]
                """.formatted(dir.resolve("data")));
        assertThatThrownBy(() -> new MantisServer(ConfigService.load(f, Map.of(), null), List.of(Role.COLLECTOR),
                new MetricRegistry())).hasMessageContaining("no metrics store runs in this process");
    }

    @Test
    void allWithTheDemoOffHasNoDemoComponentAndSaysHowToTurnItOn() throws Exception {
        server = new MantisServer(demoConfig(false), Role.builtRoles(), new MetricRegistry());
        server.start();
        assertThat(server.lifecycle().components()).noneMatch(c -> c.id().equals("demo"));
        assertThat(server.startupTable("all", Duration.ZERO)).contains("demo app: off (`mantis all --demo`");
    }

    @Test
    void theDemoAloneWithALoadDurationFinishes() throws Exception {
        Path f = dir.resolve("alone.yaml");
        Files.writeString(f, """
                server: {data_dir: %s, shutdown_timeout: 5s}
                collector:
                  extensions: {health_check: {endpoint: "127.0.0.1:0"}}
                  service: {extensions: [health_check]}
                demo:
                  enabled: true
                  endpoint: 127.0.0.1:0
                  inventory_port: 0
                  payments_port: 0
                  otlp: {endpoint: "http://127.0.0.1:9", timeout: 1s}
                  load: {rate: 30, duration: 500ms}
                """.formatted(dir.resolve("data")));
        server = new MantisServer(ConfigService.load(f, Map.of(), null), List.of(Role.DEMO), new MetricRegistry());
        server.start();
        server.finished().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(server.stop()).isTrue();
        server = null;
    }

    @Test
    void readyIs503NamingTheComponentsThatAreNot() throws Exception {
        server = new MantisServer(config(), Role.builtRoles(), new MetricRegistry());
        server.addComponent(new Component() {
            @Override
            public String id() {
                return "store/warming";
            }

            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }

            @Override
            public boolean isReady() {
                return false;
            }
        });
        server.start();

        HttpResponse<String> ready = get(healthPort(), "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"not ready\"").contains("\"not_ready\":[\"store/warming\"]");
        assertThat(get(healthPort(), "/status").statusCode()).isEqualTo(503);
        assertThat(get(healthPort(), "/health").statusCode()).isEqualTo(200);
        assertThat(get(metricsPort(), "/metrics").body())
                .contains("mantis_component_ready{component=\"store/warming\"} 0");
    }

    @Test
    void aSecondProcessCannotTakeTheSameDataDirectory() throws Exception {
        LoadedConfig cfg = config();
        server = new MantisServer(cfg, Role.builtRoles(), new MetricRegistry());
        server.start();

        MantisServer second = new MantisServer(cfg, Role.builtRoles(), new MetricRegistry());
        assertThatThrownBy(second::start)
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("is in use by another Mantis process");
    }

    @Test
    void aTakenPortFailsStartWithThePortNamed() throws Exception {
        server = new MantisServer(config(), Role.builtRoles(), new MetricRegistry());
        server.start();
        int taken = healthPort();

        Path f = dir.resolve("clash.yaml");
        Files.writeString(f, """
                server: {data_dir: %s}
                collector:
                  extensions: {health_check: {endpoint: "127.0.0.1:%d"}}
                  service: {extensions: [health_check]}
                """.formatted(dir.resolve("data2"), taken));
        MantisServer clash = new MantisServer(ConfigService.load(f, Map.of(), null), List.of(), new MetricRegistry());
        assertThatThrownBy(clash::start)
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + taken);
        // The data directory that clash locked before failing was released again.
        assertThat(clash.lifecycle().state()).isEqualTo(io.mantis.common.lifecycle.Lifecycle.State.FAILED);
    }

    @Test
    void startupTableListsEachPortAndTheRolesNotBuiltYet() throws Exception {
        server = new MantisServer(config(), Role.builtRoles(), new MetricRegistry());
        server.start();
        String table = server.startupTable("all", Duration.ofMillis(420));
        assertThat(table).contains("ready in 420 ms")
                .contains(healthPort() + "")
                .contains("http://127.0.0.1:" + metricsPort() + "/metrics")
                .contains("http://127.0.0.1:" + healthPort() + "/ready");
        for (Role r : Role.values()) {
            if (!r.built()) {
                assertThat(table).contains(r.cliName() + " (");
            }
        }
    }

    @Test
    void stopReleasesPortsAndTheDataDirectory() throws Exception {
        LoadedConfig cfg = config();
        server = new MantisServer(cfg, Role.builtRoles(), new MetricRegistry());
        server.start();
        int port = healthPort();
        assertThat(server.stop()).isTrue();
        assertThatThrownBy(() -> get(port, "/health")).isInstanceOf(IOException.class);

        server = new MantisServer(cfg, Role.builtRoles(), new MetricRegistry());
        server.start();
        assertThat(get(healthPort(), "/ready").statusCode()).isEqualTo(200);
    }
}
