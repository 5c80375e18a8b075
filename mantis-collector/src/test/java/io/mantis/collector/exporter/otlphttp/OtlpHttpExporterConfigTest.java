package io.mantis.collector.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.collector.Signal;
import io.mantis.common.config.ConfigValueException;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class OtlpHttpExporterConfigTest {
    @Test
    void signalUrlsJoinTheBaseWithOneSlashAndOwnEndpointsWin() {
        OtlpHttpExporterConfig c = config("http://h:4318", null);
        assertThat(c.url(Signal.TRACES)).hasToString("http://h:4318/v1/traces");
        assertThat(config("https://h/otlp/", null).url(Signal.LOGS)).hasToString("https://h/otlp/v1/logs");
        assertThat(config("https://h/otlp", null).url(Signal.METRICS)).hasToString("https://h/otlp/v1/metrics");
        OtlpHttpExporterConfig own = config("http://h:4318", "http://other:9/ingest?tenant=a");
        assertThat(own.url(Signal.TRACES)).hasToString("http://other:9/ingest?tenant=a");
        assertThat(own.url(Signal.LOGS)).hasToString("http://h:4318/v1/logs");
        Assertions.assertThatThrownBy(() -> config(null, "http://t/x").url(Signal.LOGS))
                .hasMessageContaining("no endpoint for logs");
    }

    @Test
    void badValuesAreConfigErrorsNamingTheKey() {
        Assertions.assertThatThrownBy(() -> config("localhost:4318", null))
                .isInstanceOfSatisfying(ConfigValueException.class, e -> assertThat(e.getMessage())
                        .contains("must start with http:// or https://"));
        Assertions.assertThatThrownBy(() -> config("http://h/?a=b", null))
                .hasMessageContaining("takes no query");
        Assertions.assertThatThrownBy(() -> new OtlpHttpExporterConfig("http://h", null, null, null, "yaml", "gzip",
                Map.of(), Duration.ofSeconds(1), null, null, null)).hasMessageContaining("expected proto or json");
        Assertions.assertThatThrownBy(() -> new OtlpHttpExporterConfig("http://h", null, null, null, "proto", "lz4",
                Map.of(), Duration.ofSeconds(1), null, null, null)).hasMessageContaining("expected gzip, zstd or none");
    }

    private static OtlpHttpExporterConfig config(String endpoint, String traces) {
        return new OtlpHttpExporterConfig(endpoint, traces, null, null, "proto", "gzip", Map.of(),
                Duration.ofSeconds(5), null, null, null);
    }
}
