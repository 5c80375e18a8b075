package io.mantis.common.metrics;

import static io.mantis.common.metrics.MetricSink.NO_LABELS;
import static io.mantis.common.metrics.MetricSink.NO_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextFormatTest {

    /** Counters, gauges and a histogram with labels, escaping and out-of-order child creation. */
    private static MetricRegistry sampleRegistry() {
        MetricRegistry registry = new MetricRegistry();
        CounterFamily requests = registry.counter("mantis_http_requests",
                "HTTP requests by \"method\".\nSecond line with \\ backslash", "method", "code");
        requests.labels("POST", "500").inc();
        requests.labels("GET", "200").inc(3);
        requests.labels("GET", "404").inc(1.5);

        GaugeFamily depth = registry.gauge("mantis_queue_depth", "Queue depth", "queue");
        depth.labels("plain").set(42);
        depth.labels("a\"b\\c\nd").set(-2.5);

        HistogramFamily latency = registry.histogram("mantis_latency_seconds", "Latency",
                new double[] {0.25, 1, 10}, "op");
        Histogram read = latency.labels("read");
        read.observe(0.125);
        read.observe(0.25); // on the bound: counts in le="0.25"
        read.observe(5);
        read.observe(100);
        return registry;
    }

    @Test
    void text004Golden() throws IOException {
        assertThat(write004(sampleRegistry())).isEqualTo("""
                # HELP mantis_http_requests_total HTTP requests by "method".\\nSecond line with \\\\ backslash
                # TYPE mantis_http_requests_total counter
                mantis_http_requests_total{method="GET",code="200"} 3
                mantis_http_requests_total{method="GET",code="404"} 1.5
                mantis_http_requests_total{method="POST",code="500"} 1
                # HELP mantis_queue_depth Queue depth
                # TYPE mantis_queue_depth gauge
                mantis_queue_depth{queue="a\\"b\\\\c\\nd"} -2.5
                mantis_queue_depth{queue="plain"} 42
                # HELP mantis_latency_seconds Latency
                # TYPE mantis_latency_seconds histogram
                mantis_latency_seconds_bucket{op="read",le="0.25"} 2
                mantis_latency_seconds_bucket{op="read",le="1.0"} 2
                mantis_latency_seconds_bucket{op="read",le="10.0"} 3
                mantis_latency_seconds_bucket{op="read",le="+Inf"} 4
                mantis_latency_seconds_count{op="read"} 4
                mantis_latency_seconds_sum{op="read"} 105.375
                """);
    }

    @Test
    void openMetricsGolden() throws IOException {
        assertThat(writeOpenMetrics(sampleRegistry())).isEqualTo("""
                # TYPE mantis_http_requests counter
                # HELP mantis_http_requests HTTP requests by \\"method\\".\\nSecond line with \\\\ backslash
                mantis_http_requests_total{method="GET",code="200"} 3
                mantis_http_requests_total{method="GET",code="404"} 1.5
                mantis_http_requests_total{method="POST",code="500"} 1
                # TYPE mantis_queue_depth gauge
                # HELP mantis_queue_depth Queue depth
                mantis_queue_depth{queue="a\\"b\\\\c\\nd"} -2.5
                mantis_queue_depth{queue="plain"} 42
                # TYPE mantis_latency_seconds histogram
                # HELP mantis_latency_seconds Latency
                mantis_latency_seconds_bucket{op="read",le="0.25"} 2
                mantis_latency_seconds_bucket{op="read",le="1.0"} 2
                mantis_latency_seconds_bucket{op="read",le="10.0"} 3
                mantis_latency_seconds_bucket{op="read",le="+Inf"} 4
                mantis_latency_seconds_count{op="read"} 4
                mantis_latency_seconds_sum{op="read"} 105.375
                # EOF
                """);
    }

    @Test
    void goldenOutputsSatisfyTheGrammars() throws IOException {
        assertThat(ExpositionParser.parse004(write004(sampleRegistry()))).hasSize(11);
        assertThat(ExpositionParser.parseOpenMetrics(writeOpenMetrics(sampleRegistry())))
                .hasSize(11)
                .anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("mantis_queue_depth");
                    assertThat(s.labels()).containsEntry("queue", "a\"b\\c\nd");
                });
    }

    @Test
    void eofOnlyInOpenMetricsAndMetadataOncePerFamily() throws IOException {
        String text = write004(sampleRegistry());
        String om = writeOpenMetrics(sampleRegistry());
        assertThat(text).doesNotContain("# EOF");
        assertThat(om).endsWith("\n# EOF\n");
        assertThat(om.split("# EOF", -1)).hasSize(2);
        for (String family : new String[] {"mantis_http_requests_total", "mantis_queue_depth", "mantis_latency_seconds"}) {
            assertThat(text.split("# TYPE " + family + " ", -1)).as(family).hasSize(2);
            assertThat(text.split("# HELP " + family + " ", -1)).as(family).hasSize(2);
        }
        assertThat(om.split("# TYPE mantis_http_requests ", -1)).hasSize(2);
    }

    @Test
    void noLabelFamiliesAreExportedFromZeroAndEmptyLabelledFamiliesNotAtAll() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("mantis_restarts", "Restarts");
        registry.gauge("mantis_unused", "Never bound", "id");
        registry.histogram("mantis_wait_seconds", "", new double[] {1});
        assertThat(write004(registry)).isEqualTo("""
                # HELP mantis_restarts_total Restarts
                # TYPE mantis_restarts_total counter
                mantis_restarts_total 0
                # TYPE mantis_wait_seconds histogram
                mantis_wait_seconds_bucket{le="1.0"} 0
                mantis_wait_seconds_bucket{le="+Inf"} 0
                mantis_wait_seconds_count 0
                mantis_wait_seconds_sum 0
                """);
        assertThat(writeOpenMetrics(registry)).isEqualTo("""
                # TYPE mantis_restarts counter
                # HELP mantis_restarts Restarts
                mantis_restarts_total 0
                # TYPE mantis_wait_seconds histogram
                mantis_wait_seconds_bucket{le="1.0"} 0
                mantis_wait_seconds_bucket{le="+Inf"} 0
                mantis_wait_seconds_count 0
                mantis_wait_seconds_sum 0
                # EOF
                """);
    }

    @Test
    void emptyRegistry() throws IOException {
        assertThat(write004(new MetricRegistry())).isEmpty();
        assertThat(writeOpenMetrics(new MetricRegistry())).isEqualTo("# EOF\n");
    }

    @Test
    void specialAndFractionalValues() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        GaugeFamily g = registry.gauge("g", "", "v");
        g.labels("a_nan").set(Double.NaN);
        g.labels("b_pinf").set(Double.POSITIVE_INFINITY);
        g.labels("c_ninf").set(Double.NEGATIVE_INFINITY);
        g.labels("d_small").set(1e-5);
        g.labels("e_big").set(1.5e300);
        g.labels("f_negzero").set(-0.0);
        g.labels("g_long").set(123456789012.0);
        g.labels("h_frac").set(0.1);
        String expected = """
                # TYPE g gauge
                g{v="a_nan"} NaN
                g{v="b_pinf"} +Inf
                g{v="c_ninf"} -Inf
                g{v="d_small"} 1.0E-5
                g{v="e_big"} 1.5E300
                g{v="f_negzero"} 0
                g{v="g_long"} 123456789012
                g{v="h_frac"} 0.1
                """;
        assertThat(write004(registry)).isEqualTo(expected);
        assertThat(writeOpenMetrics(registry)).isEqualTo(expected + "# EOF\n");
        ExpositionParser.parse004(write004(registry));
        ExpositionParser.parseOpenMetrics(writeOpenMetrics(registry));
    }

    @Test
    void collectorWithUnitTimestampAndSummary() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        String[] gc = {"gc"};
        registry.register(sink -> {
            sink.family("mantis_uptime_seconds", MetricType.GAUGE, "Uptime", "seconds");
            sink.sample(NO_LABELS, NO_LABELS, 12.5, 1_700_000_000_123L);
            sink.family("mantis_pause_seconds", MetricType.SUMMARY, "Pauses", "seconds");
            sink.quantile(gc, new String[] {"young"}, 0.5, 0.002);
            sink.count(gc, new String[] {"young"}, 7);
            sink.sum(gc, new String[] {"young"}, 0.75);
            sink.family("mantis_legacy", MetricType.UNKNOWN, "Old-style value");
            sink.sample(NO_LABELS, NO_LABELS, 1, 5L); // 5 ms after the epoch
        });
        assertThat(write004(registry)).isEqualTo("""
                # HELP mantis_uptime_seconds Uptime
                # TYPE mantis_uptime_seconds gauge
                mantis_uptime_seconds 12.5 1700000000123
                # HELP mantis_pause_seconds Pauses
                # TYPE mantis_pause_seconds summary
                mantis_pause_seconds{gc="young",quantile="0.5"} 0.002
                mantis_pause_seconds_count{gc="young"} 7
                mantis_pause_seconds_sum{gc="young"} 0.75
                # HELP mantis_legacy Old-style value
                # TYPE mantis_legacy untyped
                mantis_legacy 1 5
                """);
        assertThat(writeOpenMetrics(registry)).isEqualTo("""
                # TYPE mantis_uptime_seconds gauge
                # UNIT mantis_uptime_seconds seconds
                # HELP mantis_uptime_seconds Uptime
                mantis_uptime_seconds 12.5 1700000000.123
                # TYPE mantis_pause_seconds summary
                # UNIT mantis_pause_seconds seconds
                # HELP mantis_pause_seconds Pauses
                mantis_pause_seconds{gc="young",quantile="0.5"} 0.002
                mantis_pause_seconds_count{gc="young"} 7
                mantis_pause_seconds_sum{gc="young"} 0.75
                # TYPE mantis_legacy unknown
                # HELP mantis_legacy Old-style value
                mantis_legacy 1 0.005
                # EOF
                """);
        ExpositionParser.parse004(write004(registry));
        ExpositionParser.parseOpenMetrics(writeOpenMetrics(registry));
    }

    @Test
    void callbackMetricsAreReadAtScrapeTime() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        double[] value = {1};
        registry.gaugeFn("mantis_cache_entries", "Entries", () -> value[0]);
        registry.counterFn("mantis_gc_runs", "Runs", () -> 2 * value[0]);
        value[0] = 21;
        assertThat(write004(registry)).isEqualTo("""
                # HELP mantis_cache_entries Entries
                # TYPE mantis_cache_entries gauge
                mantis_cache_entries 21
                # HELP mantis_gc_runs_total Runs
                # TYPE mantis_gc_runs_total counter
                mantis_gc_runs_total 42
                """);
    }

    @Test
    void invalidCollectorOutputIsDroppedAndTheRestStaysValid() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.gauge("mantis_ok", "Fine").unlabelled().set(1);
        registry.counter("mantis_ok_c", "").unlabelled();
        String[] le = {"le"};
        registry.register(sink -> {
            sink.sample(3);                                          // no family yet
            sink.family("mantis_ok", MetricType.GAUGE, "duplicate"); // already emitted by the registry
            sink.sample(4);
            sink.family("mantis_ok_c_total", MetricType.GAUGE, ""); // the counter mantis_ok_c already exposes this
            sink.sample(4);
            sink.family("bad-name", MetricType.GAUGE, "");
            sink.sample(5);
            sink.family("mantis_requests_total", MetricType.COUNTER, ""); // counters use the base name
            sink.sample(6);
            sink.family("mantis_g", MetricType.GAUGE, "", "bytes");        // unit not a suffix: omitted
            sink.bucket(NO_LABELS, NO_LABELS, 1, 1);                 // bucket on a gauge
            sink.sample(new String[] {"__reserved"}, new String[] {"x"}, 7);
            sink.sample(new String[] {"a", "a"}, new String[] {"x", "y"}, 7);
            sink.sample(new String[] {"a"}, new String[] {"x", "y"}, 7);
            sink.sample(new String[] {"a"}, new String[] {null}, 7);
            sink.sample(8);
            sink.family("mantis_h", MetricType.HISTOGRAM, "");
            sink.bucket(le, new String[] {"x"}, 1, 1);               // 'le' is the histogram's own label
            sink.sample(9);                                          // plain sample on a histogram
            sink.count(NO_LABELS, NO_LABELS, 0);
        });
        String text = write004(registry);
        assertThat(text).isEqualTo("""
                # HELP mantis_ok Fine
                # TYPE mantis_ok gauge
                mantis_ok 1
                # TYPE mantis_ok_c_total counter
                mantis_ok_c_total 0
                # TYPE mantis_g gauge
                mantis_g 8
                # TYPE mantis_h histogram
                mantis_h_count 0
                """);
        String om = writeOpenMetrics(registry);
        assertThat(om).contains("# TYPE mantis_g gauge\nmantis_g 8\n").doesNotContain("# UNIT");
    }

    @Test
    void aThrowingCollectorDoesNotBreakTheScrape() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("mantis_before", "").unlabelled().inc();
        registry.register(sink -> {
            throw new IllegalStateException("boom");
        });
        registry.gaugeFn("mantis_failing", "", () -> {
            throw new IllegalStateException("boom");
        });
        registry.gauge("mantis_after", "").unlabelled().set(2);
        String text = write004(registry);
        assertThat(text).isEqualTo("""
                # TYPE mantis_before_total counter
                mantis_before_total 1
                # TYPE mantis_after gauge
                mantis_after 2
                """);
    }

    @Test
    void outputStreamVariantsWriteUtf8IdenticalToTheCharVariants() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        GaugeFamily g = registry.gauge("mantis_names", "Ünïcødé help \uD83D\uDE80", "name");
        g.labels("grüße").set(1);
        g.labels("日本語").set(2);
        g.labels("rocket \uD83D\uDE80").set(3);
        // Enough series to cross the flush threshold several times.
        GaugeFamily many = registry.gauge("mantis_many", "", "id", "text");
        for (int i = 0; i < 2000; i++) {
            many.labels(Integer.toString(i), "é".repeat(i % 7)).set(i);
        }
        String chars = write004(registry);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextFormat.write004(registry, bytes);
        assertThat(bytes.toByteArray()).isEqualTo(chars.getBytes(StandardCharsets.UTF_8));
        assertThat(chars.length()).isGreaterThan(4 * TextWriter.FLUSH_THRESHOLD);

        String om = writeOpenMetrics(registry);
        bytes.reset();
        TextFormat.writeOpenMetrics(registry, bytes);
        assertThat(bytes.toByteArray()).isEqualTo(om.getBytes(StandardCharsets.UTF_8));
        assertThat(ExpositionParser.parseOpenMetrics(om)).hasSize(2003);
    }

    @Test
    void unpairedSurrogatesBecomeQuestionMarksInBytes() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.gauge("g", "", "v").labels("x\uD800y").set(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextFormat.write004(registry, bytes);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("# TYPE g gauge\ng{v=\"x?y\"} 1\n");
    }

    @Test
    void ioErrorsReachTheCaller() {
        MetricRegistry registry = sampleRegistry();
        Appendable failing = new Appendable() {
            @Override
            public Appendable append(CharSequence csq) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public Appendable append(CharSequence csq, int start, int end) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public Appendable append(char c) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> TextFormat.write004(registry, failing)).isInstanceOf(IOException.class)
                .hasMessage("disk full");
    }

    @Test
    void registrationOrderIsKeptAcrossFamiliesAndCollectors() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.gauge("z_first", "").unlabelled().set(1);
        registry.register(sink -> {
            sink.family("m_second", MetricType.GAUGE, "");
            sink.sample(NO_LABELS, NO_LABELS, 2, NO_TIMESTAMP);
        });
        registry.gauge("a_third", "").unlabelled().set(3);
        assertThat(write004(registry)).isEqualTo("""
                # TYPE z_first gauge
                z_first 1
                # TYPE m_second gauge
                m_second 2
                # TYPE a_third gauge
                a_third 3
                """);
    }

    static String write004(MetricRegistry registry) throws IOException {
        StringBuilder sb = new StringBuilder();
        TextFormat.write004(registry, sb);
        return sb.toString();
    }

    static String writeOpenMetrics(MetricRegistry registry) throws IOException {
        StringBuilder sb = new StringBuilder();
        TextFormat.writeOpenMetrics(registry, sb);
        return sb.toString();
    }
}
