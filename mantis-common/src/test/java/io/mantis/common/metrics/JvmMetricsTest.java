package io.mantis.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {

    @Test
    void exposesThePrometheusClientNamesInValidText004() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        JvmMetrics.register(registry);
        JvmMetrics.register(registry); // idempotent: a second collector would duplicate every family

        String text = TextFormatTest.write004(registry);
        List<ExpositionParser.Sample> samples = ExpositionParser.parse004(text);
        Map<String, List<ExpositionParser.Sample>> byName =
                samples.stream().collect(Collectors.groupingBy(ExpositionParser.Sample::name));

        assertThat(byName).containsKeys(
                "process_cpu_seconds_total",
                "process_start_time_seconds",
                "jvm_memory_used_bytes",
                "jvm_memory_committed_bytes",
                "jvm_memory_max_bytes",
                "jvm_memory_pool_used_bytes",
                "jvm_threads_current",
                "jvm_threads_daemon",
                "jvm_threads_peak",
                "jvm_classes_currently_loaded",
                "jvm_gc_collection_seconds_count",
                "jvm_gc_collection_seconds_sum",
                "jvm_info",
                "jvm_buffer_pool_used_bytes");
        assertThat(text).contains("# TYPE process_cpu_seconds_total counter\n",
                "# TYPE jvm_gc_collection_seconds summary\n");

        assertThat(byName.get("jvm_memory_used_bytes")).extracting(s -> s.labels().get("area"))
                .containsExactly("heap", "nonheap");
        assertThat(byName.get("jvm_buffer_pool_used_bytes")).extracting(s -> s.labels().get("pool"))
                .contains("direct", "mapped");
        assertThat(byName.get("jvm_gc_collection_seconds_count")).allSatisfy(s -> assertThat(s.labels()).containsKey("gc"));
        ExpositionParser.Sample info = byName.get("jvm_info").get(0);
        assertThat(info.value()).isEqualTo(1);
        assertThat(info.labels()).containsOnlyKeys("runtime", "vendor", "version")
                .containsEntry("version", System.getProperty("java.runtime.version"));
        assertThat(byName.get("jvm_threads_current").get(0).value()).isPositive();
        assertThat(byName.get("process_start_time_seconds").get(0).value())
                .isBetween(1.6e9, System.currentTimeMillis() / 1e3);

        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(byName).containsKeys("process_resident_memory_bytes", "process_virtual_memory_bytes",
                    "process_open_fds", "process_max_fds");
            assertThat(byName.get("process_resident_memory_bytes").get(0).value()).isGreaterThan(1 << 20);
            assertThat(byName.get("process_open_fds").get(0).value()).isPositive();
        }
    }

    @Test
    void validOpenMetricsWithUnits() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("mantis_spans", "Spans").unlabelled().inc();
        JvmMetrics.register(registry);
        String om = TextFormatTest.writeOpenMetrics(registry);
        ExpositionParser.parseOpenMetrics(om);
        assertThat(om).contains(
                "# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n",
                "# UNIT jvm_memory_used_bytes bytes\n",
                "process_cpu_seconds_total ");
    }
}
