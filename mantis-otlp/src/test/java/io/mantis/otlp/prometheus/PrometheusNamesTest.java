package io.mantis.otlp.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.otlp.prometheus.PrometheusNames.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamesTest {

    @ParameterizedTest(name = "{0} [{1}] as {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", emptyValue = "", textBlock = """
            # OTLP name                   | unit       | kind              | Prometheus name
            http.server.request.duration  | s          | HISTOGRAM         | http_server_request_duration_seconds
            http.server.duration          | ms         | HISTOGRAM         | http_server_duration_milliseconds
            rpc.duration                  | us         | HISTOGRAM         | rpc_duration_microseconds
            gc.pause                      | ns         | HISTOGRAM         | gc_pause_nanoseconds
            uptime                        | min        | GAUGE             | uptime_minutes
            uptime                        | h          | GAUGE             | uptime_hours
            retention                     | d          | GAUGE             | retention_days
            system.memory.usage           | By         | NON_MONOTONIC_SUM | system_memory_usage_bytes
            heap                          | KiBy       | GAUGE             | heap_kibibytes
            heap                          | MiBy       | GAUGE             | heap_mebibytes
            heap                          | GiBy       | GAUGE             | heap_gibibytes
            heap                          | TiBy       | GAUGE             | heap_tibibytes
            disk                          | KBy        | GAUGE             | disk_kilobytes
            disk                          | MBy        | GAUGE             | disk_megabytes
            disk                          | GBy        | GAUGE             | disk_gigabytes
            disk                          | TBy        | GAUGE             | disk_terabytes
            distance                      | m          | GAUGE             | distance_meters
            voltage                       | V          | GAUGE             | voltage_volts
            current                       | A          | GAUGE             | current_amperes
            energy                        | J          | COUNTER           | energy_joules_total
            power                         | W          | GAUGE             | power_watts
            weight                        | g          | GAUGE             | weight_grams
            cpu.temperature               | Cel        | GAUGE             | cpu_temperature_celsius
            cpu.frequency                 | Hz         | GAUGE             | cpu_frequency_hertz
            disk.used                     | %          | GAUGE             | disk_used_percent
            speed                         | m/s        | GAUGE             | speed_meters_per_second
            network.io                    | By/s       | GAUGE             | network_io_bytes_per_second
            throughput                    | By/min     | GAUGE             | throughput_bytes_per_min
            rate                          | 1/s        | GAUGE             | rate_per_second
            rate                          | 1/h        | GAUGE             | rate_per_hour
            rate                          | 1/d        | GAUGE             | rate_per_day
            rate                          | 1/w        | GAUGE             | rate_per_week
            rate                          | 1/mo       | GAUGE             | rate_per_month
            rate                          | 1/y        | GAUGE             | rate_per_year
            rate                          | 1/m        | GAUGE             | rate_per_minute
            packets                       | {packet}/s | GAUGE             | packets_per_second
            http.server.active_requests   | {request}  | NON_MONOTONIC_SUM | http_server_active_requests
            http.server.requests          | {request}  | COUNTER           | http_server_requests_total
            cpu.utilization               | 1          | GAUGE             | cpu_utilization_ratio
            cpu.utilization               | 1          | NON_MONOTONIC_SUM | cpu_utilization
            errors                        | 1          | COUNTER           | errors_total
            cache.hit_ratio               | 1          | GAUGE             | cache_hit_ratio
            ratio.of.hits                 | 1          | GAUGE             | of_hits_ratio
            request.duration.seconds      | s          | HISTOGRAM         | request_duration_seconds
            seconds.spent                 | s          | COUNTER           | seconds_spent_total
            requests.total                |            | COUNTER           | requests_total
            total.requests                |            | COUNTER           | requests_total
            requests                      |            | COUNTER           | requests_total
            requests.total                |            | GAUGE             | requests_total
            io.bytes_per_second           | By/s       | GAUGE             | io_bytes_per_second
            foo                           | widgets    | GAUGE             | foo_widgets
            foo                           | kW.h       | GAUGE             | foo_kW_h
            foo                           | By/{op}    | GAUGE             | foo_bytes
            foo                           | '  s  '    | GAUGE             | foo_seconds
            foo__bar...baz                |            | GAUGE             | foo_bar_baz
            __foo__                       |            | GAUGE             | foo
            2xx.responses                 |            | COUNTER           | _2xx_responses_total
            node:cpu:rate                 |            | GAUGE             | node:cpu:rate
            héllo.wörld                   |            | GAUGE             | h_llo_w_rld
            temp-celsius                  | Cel        | GAUGE             | temp_celsius
            """)
    void metricNamesWithSuffixes(String name, String unit, Kind kind, String expected) {
        assertThat(PrometheusNames.metricName(name, unit, kind, null, true)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} [{1}] as {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", emptyValue = "", textBlock = """
            http.server.request.duration | s | HISTOGRAM | http_server_request_duration
            requests                     |   | COUNTER   | requests
            cpu.utilization              | 1 | GAUGE     | cpu_utilization
            foo__bar...baz               |   | GAUGE     | foo_bar_baz
            2xx-responses                |   | COUNTER   | _2xx_responses
            a:b/c                        |   | GAUGE     | a:b_c
            """)
    void metricNamesWithoutSuffixes(String name, String unit, Kind kind, String expected) {
        assertThat(PrometheusNames.metricName(name, unit, kind, null, false)).isEqualTo(expected);
    }

    @Test
    void namespaceIsPrependedAndCanFixALeadingDigit() {
        assertThat(PrometheusNames.metricName("http.requests", "", Kind.COUNTER, "shop", true))
                .isEqualTo("shop_http_requests_total");
        assertThat(PrometheusNames.metricName("http.requests", "", Kind.COUNTER, "shop", false))
                .isEqualTo("shop_http_requests");
        assertThat(PrometheusNames.metricName("2xx", "", Kind.GAUGE, "ns", true)).isEqualTo("ns_2xx");
        assertThat(PrometheusNames.metricName("x", "", Kind.GAUGE, "9lives", true)).isEqualTo("_9lives_x");
    }

    @Test
    void nameWithNoValidCharactersIsEmpty() {
        assertThat(PrometheusNames.metricName("...", "", Kind.GAUGE, null, true)).isEmpty();
        assertThat(PrometheusNames.metricName("日本", "", Kind.GAUGE, null, true)).isEmpty();
    }

    @ParameterizedTest(name = "{0} as {1} -> [{2}]")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            s          | HISTOGRAM         | seconds
            By/s       | GAUGE             | bytes_per_second
            1          | GAUGE             | ratio
            1          | COUNTER           |
            1/s        | GAUGE             | per_second
            {request}  | COUNTER           |
            {packet}/s | GAUGE             | per_second
                       | GAUGE             |
            widgets    | GAUGE             | widgets
            """)
    void unitNames(String unit, Kind kind, String expected) {
        // An unquoted empty CSV cell arrives as null.
        assertThat(PrometheusNames.unitName(unit, kind)).isEqualTo(expected == null ? "" : expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            http.method        | http_method
            service.name       | service_name
            http_method        | http_method
            k8s.pod.name       | k8s_pod_name
            2xx                | key_2xx
            0                  | key_0
            _private           | key_private
            _                  | key_
            __reserved__       | __reserved__
            __name__           | __name__
            a-b/c d            | a_b_c_d
            ünïcode            | key_n_code
            Already_OK_123     | Already_OK_123
            a..b               | a__b
                               |
            """)
    void labelNames(String key, String expected) {
        String k = key == null ? "" : key;
        assertThat(PrometheusNames.labelName(k)).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void labelNameReturnsTheSameInstanceWhenNothingChanges() {
        String key = "already_valid";
        assertThat(PrometheusNames.labelName(key)).isSameAs(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.5        | 0.5
            1          | 1
            1.0        | 1
            100        | 100
            0.005      | 0.005
            1e-05      | 0.00001
            2.5e-10    | 0.00000000025
            1e21       | 1000000000000000000000
            -0.25      | -0.25
            0.1        | 0.1
            0.99       | 0.99
            123456.789 | 123456.789
            Infinity   | +Inf
            -Infinity  | -Inf
            NaN        | NaN
            """)
    void formatsFloatsLikeLabelValues(double v, String expected) {
        assertThat(PrometheusNames.formatFloat(v)).isEqualTo(expected);
    }
}
