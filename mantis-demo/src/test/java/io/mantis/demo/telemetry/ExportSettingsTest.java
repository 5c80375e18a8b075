package io.mantis.demo.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.demo.DemoConfig;
import io.mantis.demo.DemoConfig.Compression;
import io.mantis.demo.DemoConfig.Protocol;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ExportSettingsTest {
    private static final Function<Protocol, String> LOCAL = p -> "http://127.0.0.1:" + (p == Protocol.GRPC ? 4317 : 4318);

    private static DemoConfig config(DemoConfig.Otlp otlp) {
        return new DemoConfig(true, null, 0, 0, "demo", otlp, Duration.ofSeconds(10), DemoConfig.Load.DEFAULTS);
    }

    @Test
    void withNothingSetEverySignalGoesToTheLocalCollectorOverGrpc() {
        ExportSettings s = ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL, Map.of());
        assertThat(s.traces()).isEqualTo(new ExportSettings.Signal(Protocol.GRPC, "http://127.0.0.1:4317", Map.of(),
                Duration.ofSeconds(10), Compression.NONE));
        assertThat(s.metrics()).isEqualTo(s.traces());
        assertThat(s.logs()).isEqualTo(s.traces());
        assertThat(s.metricInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.resourceAttributes()).isEmpty();
    }

    @Test
    void httpProtobufAppendsTheSignalPathsToTheBaseUrl() {
        ExportSettings s = ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        assertThat(s.traces().endpoint()).isEqualTo("http://127.0.0.1:4318/v1/traces");
        assertThat(s.metrics().endpoint()).isEqualTo("http://127.0.0.1:4318/v1/metrics");
        assertThat(s.logs().endpoint()).isEqualTo("http://127.0.0.1:4318/v1/logs");

        ExportSettings slash = ExportSettings.resolve(config(new DemoConfig.Otlp("http://collector:4318/base/",
                Protocol.HTTP_PROTOBUF, Map.of(), Duration.ofSeconds(1), Compression.NONE)), LOCAL, Map.of());
        assertThat(slash.logs().endpoint()).isEqualTo("http://collector:4318/base/v1/logs");
    }

    @Test
    void perSignalVariablesBeatGeneralOnesWhichBeatTheConfiguration() {
        DemoConfig cfg = config(new DemoConfig.Otlp("http://configured:4317", Protocol.GRPC,
                Map.of("authorization", "from-config"), Duration.ofSeconds(3), Compression.NONE));
        ExportSettings s = ExportSettings.resolve(cfg, LOCAL, Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces-only:9999/custom/path",
                "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "authorization=Bearer%20abc,x-scope=a+b",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "2500",
                "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "gzip",
                "OTEL_METRIC_EXPORT_INTERVAL", "1500",
                "OTEL_RESOURCE_ATTRIBUTES", "team=shop%20floor, region=eu"));
        // A per-signal endpoint is used exactly as written.
        assertThat(s.traces().endpoint()).isEqualTo("http://traces-only:9999/custom/path");
        assertThat(s.traces().protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
        assertThat(s.traces().headers()).containsEntry("authorization", "from-config");
        // The general endpoint is used as is for gRPC.
        assertThat(s.metrics().protocol()).isEqualTo(Protocol.GRPC);
        assertThat(s.metrics().endpoint()).isEqualTo("http://general:4318");
        assertThat(s.metrics().compression()).isEqualTo(Compression.GZIP);
        assertThat(s.logs().endpoint()).isEqualTo("http://general:4318/v1/logs");
        assertThat(s.logs().headers()).containsExactlyInAnyOrderEntriesOf(Map.of("authorization", "Bearer abc",
                "x-scope", "a+b"));
        assertThat(s.logs().timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.logs().compression()).isEqualTo(Compression.NONE);
        assertThat(s.metricInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.resourceAttributes()).containsEntry("team", "shop floor").containsEntry("region", "eu");
    }

    @Test
    void blankVariablesCountAsUnset() {
        ExportSettings s = ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ", "OTEL_EXPORTER_OTLP_PROTOCOL", ""));
        assertThat(s.traces().endpoint()).isEqualTo("http://127.0.0.1:4317");
    }

    @Test
    void unusableValuesNameTheirVariable() {
        assertThatThrownBy(() -> ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")))
                .hasMessageStartingWith("OTEL_EXPORTER_OTLP_PROTOCOL: ").hasMessageContaining("http/json");
        assertThatThrownBy(() -> ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "collector:4317")))
                .hasMessageStartingWith("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: ").hasMessageContaining("scheme");
        assertThatThrownBy(() -> ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT must be a number of milliseconds");
        assertThatThrownBy(() -> ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs");
        assertThatThrownBy(() -> ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_COMPRESSION must be gzip or none");
    }

    @Test
    void headersAreNeverPrinted() {
        ExportSettings s = ExportSettings.resolve(DemoConfig.DEFAULTS, LOCAL,
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=secret"));
        assertThat(s.traces().toString()).doesNotContain("secret").contains("+1 headers");
    }
}
