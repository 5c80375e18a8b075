package io.mantis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigException;
import io.mantis.common.config.ConfigLoader;
import io.mantis.common.config.Endpoint;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    private static DemoConfig bind(String yaml) {
        return ConfigBinder.bind(ConfigLoader.parse(yaml, "demo.yaml", Map.of()), DemoConfig.class, DemoConfig.DEFAULTS);
    }

    @Test
    void anEmptySectionIsTheDefaults() {
        DemoConfig c = bind("{}");
        assertThat(c).isEqualTo(DemoConfig.DEFAULTS);
        assertThat(c.enabled()).isFalse();
        assertThat(c.inventoryPort()).isEqualTo(5001);
        assertThat(c.paymentsPort()).isEqualTo(5002);
        assertThat(c.otlp().protocol()).isEqualTo(DemoConfig.Protocol.GRPC);
        assertThat(c.load().enabled()).isFalse();
    }

    @Test
    void everyKeyBinds() {
        DemoConfig c = bind("""
                enabled: true
                endpoint: 0.0.0.0:5050
                inventory_port: 6001
                payments_port: 6002
                environment: staging
                metric_export_interval: 15s
                otlp:
                  endpoint: https://collector.example.com:4318
                  protocol: http/protobuf
                  headers: {authorization: "Bearer x"}
                  timeout: 3s
                  compression: gzip
                load:
                  rate: 12.5
                  duration: 5m
                """);
        assertThat(c.enabled()).isTrue();
        assertThat(c.endpoint()).isEqualTo(new Endpoint("0.0.0.0", 5050));
        assertThat(c.environment()).isEqualTo("staging");
        assertThat(c.metricExportInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.otlp()).isEqualTo(new DemoConfig.Otlp("https://collector.example.com:4318",
                DemoConfig.Protocol.HTTP_PROTOBUF, Map.of("authorization", "Bearer x"), Duration.ofSeconds(3),
                DemoConfig.Compression.GZIP));
        assertThat(c.load()).isEqualTo(new DemoConfig.Load(12.5, Duration.ofMinutes(5)));
    }

    @Test
    void mistakesAreReportedWithTheirKeys() {
        assertThatThrownBy(() -> bind("""
                otlp:
                  protocol: http/json
                load:
                  rate: -1
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("demo.yaml:2:13: otlp.protocol: expected one of [grpc, http/protobuf], got 'http/json'")
                .hasMessageContaining("demo.yaml:4:9: load.rate: must be between 0 (off) and 10000");
        assertThatThrownBy(() -> bind("otlp: {endpoint: 'collector:4317'}"))
                .hasMessageContaining("otlp.endpoint: expected a URL like http://127.0.0.1:4317, got 'collector:4317'");
        assertThatThrownBy(() -> bind("inventory_port: 70000"))
                .hasMessageContaining("demo.yaml:1:17: inventory_port: must be a port between 1 and 65535");
        assertThatThrownBy(() -> bind("inventory_port: 6000\npayments_port: 6000\n"))
                .hasMessageContaining("payments_port: must differ from inventory_port");
    }

    @Test
    void enablingKeepsEverythingElse() {
        DemoConfig c = bind("environment: qa").enabledWith(new DemoConfig.Load(5, Duration.ZERO));
        assertThat(c.enabled()).isTrue();
        assertThat(c.environment()).isEqualTo("qa");
        assertThat(c.load().rate()).isEqualTo(5);
        assertThat(bind("load: {rate: 2}").enabledWith(null).load().rate()).isEqualTo(2);
    }
}
