package io.mantis.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.common.config.ConfigException;
import io.mantis.common.config.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigServiceTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("mantis.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private String problemsOf(String yaml) throws IOException {
        Path f = file(yaml);
        try {
            ConfigService.load(f, Map.of(), null);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error for:\n" + yaml);
    }

    @Test
    void builtInConfigUsesTheSeedPortsOnLoopback() {
        LoadedConfig c = ConfigService.load(null, Map.of(), null);
        assertThat(c.source()).isEqualTo("<built-in>");
        assertThat(c.healthEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 8889));
        assertThat(c.selfMetrics()).isEqualTo(new Endpoint("127.0.0.1", 8888));
        assertThat(c.metricsEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 9090));
        assertThat(c.logsEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 3100));
        assertThat(c.tracesEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 3200));
        assertThat(c.uiEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 3000));
        assertThat(c.demoEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 5000));
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.config().server().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.healthCheck().path()).isEqualTo("/");
    }

    @Test
    void theBuiltInDemoSectionIsOffWithTheDocumentedDefaults() {
        LoadedConfig c = ConfigService.load(null, Map.of(), null);
        assertThat(c.config().demo()).isEqualTo(io.mantis.demo.DemoConfig.DEFAULTS);
    }

    @Test
    void flagsAreLaidOverTheFileAndCheckedLikeIt() throws Exception {
        Path f = dir.resolve("flags.yaml");
        Files.writeString(f, "demo:\n  environment: lab\n  load: {rate: 3}\n");
        LoadedConfig c = ConfigService.load(f, Map.of(), null, io.mantis.common.config.ConfigLoader.parse(
                "demo:\n  enabled: true\n", "command line", Map.of()));
        assertThat(c.config().demo().enabled()).isTrue();
        assertThat(c.config().demo().environment()).isEqualTo("lab");
        assertThat(c.config().demo().load().rate()).isEqualTo(3);
        assertThatThrownBy(() -> ConfigService.load(f, Map.of(), null, io.mantis.common.config.ConfigLoader.parse(
                "demo:\n  load: {rate: -2}\n", "command line", Map.of())))
                .hasMessageContaining("command line:2:16: demo.load.rate: must be between 0 (off) and 10000");
    }

    @Test
    void oneEnvironmentSettingExposesEveryPort() {
        LoadedConfig c = ConfigService.load(null, Map.of("MANTIS_HOST", "0.0.0.0"), null);
        assertThat(c.healthEndpoint().host()).isEqualTo("0.0.0.0");
        assertThat(c.selfMetrics().host()).isEqualTo("0.0.0.0");
        assertThat(c.metricsEndpoint().host()).isEqualTo("0.0.0.0");
        assertThat(c.uiEndpoint().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void userFileMergesIntoTheBuiltInSections() throws IOException {
        LoadedConfig c = ConfigService.load(file("""
                server:
                  shutdown_timeout: 5s
                  data_dir: ${env:DATA:-/var/lib/mantis}
                metrics:
                  endpoint: 127.0.0.1:19090
                """), Map.of(), null);
        assertThat(c.config().server().shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.config().server().host()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/mantis"));
        assertThat(c.metricsEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 19090));
        // The built-in collector section is still there.
        assertThat(c.healthEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 8889));
    }

    @Test
    void dataDirFlagWinsOverTheFile() throws IOException {
        LoadedConfig c = ConfigService.load(file("server: {data_dir: /from/file}"), Map.of(), Path.of("/from/flag"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/from/flag"));
    }

    @Test
    void aPastedCollectorSectionReplacesTheBuiltInOneWhole() throws IOException {
        LoadedConfig c = ConfigService.load(file("""
                collector:
                  extensions:
                    health_check:
                      endpoint: 0.0.0.0:13133
                      path: /status
                  service:
                    extensions: [health_check]
                    telemetry:
                      metrics:
                        address: 0.0.0.0:18888
                """), Map.of(), null);
        assertThat(c.healthEndpoint()).isEqualTo(new Endpoint("0.0.0.0", 13133));
        assertThat(c.healthCheck().path()).isEqualTo("/status");
        assertThat(c.selfMetrics()).isEqualTo(new Endpoint("0.0.0.0", 18888));
    }

    @Test
    void withoutHealthCheckInServiceExtensionsThereIsNoHealthListener() throws IOException {
        LoadedConfig c = ConfigService.load(file("""
                collector:
                  extensions:
                    health_check:
                  service:
                    extensions: []
                """), Map.of(), null);
        assertThat(c.healthCheck()).isNull();
        assertThat(c.healthEndpoint()).isNull();
        // Telemetry defaults still apply when the pasted section has none.
        assertThat(c.selfMetrics()).isEqualTo(new Endpoint("127.0.0.1", 8888));
    }

    @Test
    void telemetryLevelNoneTurnsSelfMetricsOff() throws IOException {
        LoadedConfig c = ConfigService.load(file("""
                collector:
                  service:
                    telemetry:
                      metrics:
                        level: none
                """), Map.of(), null);
        assertThat(c.selfMetrics()).isNull();
    }

    @Test
    void unknownComponentTypesAreReportedWithTheAvailableOnes() throws IOException {
        String msg = problemsOf("""
                collector:
                  receivers:
                    kafka:
                      brokers: [localhost:9092]
                  exporters:
                    zipkin:
                  service:
                    pipelines:
                      traces:
                        receivers: [kafka]
                        exporters: [zipkin]
                """);
        assertThat(msg).contains("mantis.yaml:3:5: collector.receivers.kafka: unknown receiver type 'kafka' (available: ")
                .contains("otlp");
        assertThat(msg).contains("mantis.yaml:6:5: collector.exporters.zipkin: unknown exporter type 'zipkin'");
    }

    @Test
    void definedButUnusedComponentsAreErrors() throws IOException {
        String msg = problemsOf("""
                collector:
                  receivers:
                    otlp:
                      protocols: {grpc: }
                    otlp/spare:
                      protocols: {http: }
                  exporters:
                    debug:
                  service:
                    pipelines:
                      traces: {receivers: [otlp], exporters: [debug]}
                """);
        assertThat(msg).contains("mantis.yaml:5:5: collector.receivers.otlp/spare: receiver 'otlp/spare' is defined but"
                + " not used in any pipeline");
    }

    @Test
    void theBuiltInPipelinesRunOtlpThroughBatchToTheStoresOrDebug() {
        LoadedConfig c = ConfigService.load(null, Map.of(), null);
        assertThat(c.collectorPlan().pipelines()).extracting(p -> p.id()).containsExactly("traces", "metrics", "logs");
        assertThat(c.collectorPlan().pipelines()).allSatisfy(p -> {
            assertThat(p.receivers()).extracting(Object::toString)
                    .containsExactlyElementsOf(p.id().equals("metrics") ? List.of("otlp", "prometheus/self")
                            : List.of("otlp"));
            assertThat(p.processors()).extracting(Object::toString).containsExactly("batch");
            // metrics go to the in-process store; signals whose store is not built yet to the log
            assertThat(p.exporters()).extracting(Object::toString)
                    .containsExactly(p.id().equals("metrics") ? "mantis" : "debug");
        });
        assertThat(c.config().metrics().retention().time()).isEqualTo(java.time.Duration.ofDays(15));
        assertThat(c.config().metrics().wal().fsync()).isEqualTo(io.mantis.common.wal.FsyncPolicy.ALWAYS);
        assertThat(c.metricsEndpoint().port()).isEqualTo(9090);
    }

    @Test
    void pipelineReferencesMustBeDefined() throws IOException {
        String msg = problemsOf("""
                collector:
                  service:
                    pipelines:
                      traces:
                        receivers: [otlp]
                        exporters: [otlp/tempo]
                      spans:
                        receivers: []
                """);
        assertThat(msg).contains("mantis.yaml:5:21: collector.service.pipelines.traces.receivers[0]: "
                + "pipeline 'traces' references receiver 'otlp', which is not defined under receivers");
        assertThat(msg).contains("mantis.yaml:6:21: collector.service.pipelines.traces.exporters[0]: "
                + "pipeline 'traces' references exporter 'otlp/tempo', which is not defined under exporters");
        assertThat(msg).contains("pipeline 'spans' must be named traces, metrics or logs");
        assertThat(msg).contains("pipeline 'spans' must have at least one receiver");
        assertThat(msg).contains("pipeline 'spans' must have at least one exporter");
    }

    @Test
    void serviceExtensionsMustBeDefined() throws IOException {
        String msg = problemsOf("""
                collector:
                  service:
                    extensions: [health_check, pprof]
                """);
        assertThat(msg).contains("mantis.yaml:3:18: collector.service.extensions[0]: service.extensions references "
                + "'health_check', which is not defined under extensions");
        assertThat(msg).contains("service.extensions references 'pprof'");
    }

    @Test
    void unknownExtensionTypeListsTheAvailableOnes() throws IOException {
        String msg = problemsOf("""
                collector:
                  extensions:
                    zpages:
                """);
        assertThat(msg).contains("mantis.yaml:3:5")
                .contains("unknown extension type 'zpages' (available in this version: health_check)");
    }

    @Test
    void badComponentIdIsNamed() throws IOException {
        String msg = problemsOf("""
                collector:
                  extensions:
                    "health check":
                """);
        assertThat(msg).contains("'health check' is not a valid extension id: expected 'type' or 'type/name'");
    }

    @Test
    void healthCheckConfigIsValidated() throws IOException {
        String msg = problemsOf("""
                collector:
                  extensions:
                    health_check:
                      endpoint: localhost:70000
                      path: status
                      check_collector_pipeline: {}
                  service:
                    extensions: [health_check]
                """);
        assertThat(msg).contains("mantis.yaml:4:17: collector.extensions.health_check.endpoint: expected an endpoint"
                + " like host:port, got 'localhost:70000'");
        assertThat(msg).contains("mantis.yaml:6:7: collector.extensions.health_check.check_collector_pipeline: "
                + "unknown key 'check_collector_pipeline'");
    }

    @Test
    void healthCheckPathMustBeAbsolute() throws IOException {
        String msg = problemsOf("""
                collector:
                  extensions:
                    health_check:
                      path: status
                  service:
                    extensions: [health_check]
                """);
        assertThat(msg).contains("mantis.yaml:4:13: collector.extensions.health_check.path: must start with '/'");
    }

    @Test
    void serverSectionErrorsNameKeyLineAndExpectation() throws IOException {
        String msg = problemsOf("""
                server:
                  host: ""
                  shutdown_timeout: soon
                  datadir: /tmp/x
                """);
        assertThat(msg).contains("mantis.yaml:3:21: server.shutdown_timeout: expected a duration like 30s, got 'soon'");
        assertThat(msg).contains("mantis.yaml:4:3: server.datadir: unknown key 'datadir' in 'server'").contains("did you mean 'data_dir'?");
    }

    @Test
    void serverValidationRejectsZeroShutdownTimeout() throws IOException {
        String msg = problemsOf("""
                server:
                  shutdown_timeout: 0s
                """);
        assertThat(msg).contains("server.shutdown_timeout: must be a positive duration such as 30s");
    }

    @Test
    void telemetryRejectsAddressTogetherWithReaders() throws IOException {
        String msg = problemsOf("""
                collector:
                  service:
                    telemetry:
                      metrics:
                        address: 127.0.0.1:8888
                        readers:
                          - pull: {exporter: {prometheus: {host: 127.0.0.1, port: 8888}}}
                """);
        assertThat(msg).contains("collector.service.telemetry.metrics.address: set either 'address' or 'readers', not both");
    }

    @Test
    void unsetEnvironmentVariableIsAnError() throws IOException {
        Path f = file("server:\n  host: ${env:BIND_HOST}\n");
        assertThatThrownBy(() -> ConfigService.load(f, Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mantis.yaml:2:9")
                .hasMessageContaining("BIND_HOST");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        String msg = problemsOf("""
                server:
                  shutdown_timeout: later
                metrics:
                  endpoint: nowhere
                logs:
                  listen: 3100
                """);
        assertThat(msg).contains("server.shutdown_timeout").contains("metrics.endpoint").contains("unknown key 'listen'");
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> ConfigService.load(dir.resolve("absent.yaml"), Map.of(), null))
                .hasMessageContaining("absent.yaml");
    }
}
