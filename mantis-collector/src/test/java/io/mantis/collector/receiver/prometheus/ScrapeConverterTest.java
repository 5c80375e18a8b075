package io.mantis.collector.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeConverterTest {
    static final long T0 = 1_700_000_000_000L;
    static final long MS = 1_000_000L;

    static ScrapeTarget target(String address, Map<String, String> staticLabels, Map<String, String> external,
                               boolean honorLabels, boolean honorTimestamps) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("job", "node");
        labels.putAll(staticLabels);
        labels.putIfAbsent("instance", address);
        return new ScrapeTarget("node", address, "http", URI.create("http://" + address + "/metrics"), labels, external,
                honorLabels, honorTimestamps, Duration.ofSeconds(15), Duration.ofSeconds(10), 0, true, true, false);
    }

    static ScrapeTarget target() {
        return target("localhost:9100", Map.of(), Map.of(), false, true);
    }

    static List<ResourceMetrics> convert(ScrapeConverter c, String body, ExpositionFormat format, long time)
            throws ExpositionParseException {
        Exposition e = ExpositionParser.parse(body.getBytes(StandardCharsets.UTF_8), format);
        return c.convert(e, time, (n, added) -> new ScrapeConverter.Report(true, 0.01, n, added, body.length()))
                .resourceMetrics();
    }

    static List<ResourceMetrics> text(ScrapeConverter c, String body, long time) throws ExpositionParseException {
        return convert(c, body, ExpositionFormat.TEXT_004, time);
    }

    static Metric metric(List<ResourceMetrics> rms, String name) {
        return rms.stream().flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
                .filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                        "no metric " + name + " in " + rms));
    }

    static boolean has(List<ResourceMetrics> rms, String name) {
        return rms.stream().flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
                .anyMatch(m -> m.getName().equals(name));
    }

    static Map<String, String> attrs(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
        return m;
    }

    @Test
    void counterBecomesAMonotonicCumulativeSumWithoutTotalAndKeepsItsStartTime() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1.0");
        String body = """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{code="200"} 10
                """;
        Metric m = metric(text(c, body, T0), "http_requests");
        assertThat(m.getDescription()).isEqualTo("Requests.");
        assertThat(attrs(m.getMetadataList())).containsEntry("prometheus.type", "counter");
        assertThat(m.getSum().getIsMonotonic()).isTrue();
        assertThat(m.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        NumberDataPoint p = m.getSum().getDataPoints(0);
        assertThat(attrs(p.getAttributesList())).containsExactly(Map.entry("code", "200"));
        assertThat(p.getAsDouble()).isEqualTo(10);
        assertThat(p.getTimeUnixNano()).isEqualTo(T0 * MS);
        assertThat(p.getStartTimeUnixNano()).as("first seen").isEqualTo(T0 * MS);

        NumberDataPoint later = metric(text(c, body.replace("} 10", "} 15"), T0 + 15_000), "http_requests")
                .getSum().getDataPoints(0);
        assertThat(later.getStartTimeUnixNano()).isEqualTo(T0 * MS);
        assertThat(later.getTimeUnixNano()).isEqualTo((T0 + 15_000) * MS);

        NumberDataPoint reset = metric(text(c, body.replace("} 10", "} 2"), T0 + 30_000), "http_requests")
                .getSum().getDataPoints(0);
        assertThat(reset.getStartTimeUnixNano()).as("reset").isEqualTo((T0 + 30_000 - 1) * MS);
        NumberDataPoint afterReset = metric(text(c, body.replace("} 10", "} 3"), T0 + 45_000), "http_requests")
                .getSum().getDataPoints(0);
        assertThat(afterReset.getStartTimeUnixNano()).isEqualTo((T0 + 30_000 - 1) * MS);
    }

    @Test
    void createdGivesTheStartTimeAndExemplarsCarryTraceIds() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1.0");
        List<ResourceMetrics> rms = convert(c, """
                # TYPE jobs counter
                # HELP jobs Jobs run.
                jobs_total 7 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331",user="u1"} 1 1700000000.5
                jobs_created 1699990000.25
                # EOF
                """, ExpositionFormat.OPENMETRICS, T0);
        NumberDataPoint p = metric(rms, "jobs").getSum().getDataPoints(0);
        assertThat(p.getStartTimeUnixNano()).isEqualTo(1_699_990_000_250L * MS);
        assertThat(p.getExemplarsCount()).isEqualTo(1);
        var ex = p.getExemplars(0);
        assertThat(HexFormat.of().formatHex(ex.getTraceId().toByteArray())).isEqualTo(
                "0af7651916cd43dd8448eb211c80319c");
        assertThat(HexFormat.of().formatHex(ex.getSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
        assertThat(attrs(ex.getFilteredAttributesList())).containsExactly(Map.entry("user", "u1"));
        assertThat(ex.getAsDouble()).isEqualTo(1);
        assertThat(ex.getTimeUnixNano()).isEqualTo(1_700_000_000_500L * MS);
    }

    @Test
    void gaugesUntypedInfoAndStatesets() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1.0");
        List<ResourceMetrics> rms = convert(c, """
                # TYPE temp gauge
                # UNIT temp_celsius celsius
                temp 21.5
                untyped_thing 3
                # TYPE build info
                build_info{version="1.2"} 1
                # TYPE mode stateset
                mode{mode="a"} 1
                mode{mode="b"} 0
                # TYPE queue gaugehistogram
                queue_bucket{le="+Inf"} 2
                queue_gcount 2
                # TYPE size_bytes gauge
                # UNIT size_bytes bytes
                size_bytes 10
                # EOF
                """, ExpositionFormat.OPENMETRICS, T0);
        Metric temp = metric(rms, "temp");
        assertThat(temp.hasGauge()).isTrue();
        assertThat(temp.getGauge().getDataPoints(0).getAsDouble()).isEqualTo(21.5);
        assertThat(temp.getGauge().getDataPoints(0).getStartTimeUnixNano()).isZero();
        assertThat(metric(rms, "size_bytes").getUnit()).isEqualTo("By");
        Metric untyped = metric(rms, "untyped_thing");
        assertThat(untyped.hasGauge()).isTrue();
        assertThat(attrs(untyped.getMetadataList())).containsEntry("prometheus.type", "unknown");
        Metric info = metric(rms, "build_info");
        assertThat(info.getSum().getIsMonotonic()).isFalse();
        assertThat(attrs(info.getMetadataList())).containsEntry("prometheus.type", "info");
        assertThat(attrs(info.getSum().getDataPoints(0).getAttributesList())).containsEntry("version", "1.2");
        Metric mode = metric(rms, "mode");
        assertThat(mode.getGauge().getDataPointsList()).extracting(NumberDataPoint::getAsDouble).containsExactly(1.0,
                0.0);
        assertThat(attrs(mode.getMetadataList())).containsEntry("prometheus.type", "stateset");
        assertThat(has(rms, "queue")).as("gaugehistogram is dropped").isFalse();
    }

    @Test
    void histogramBucketsBecomePerBucketCountsWithBoundsFromLe() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1.0");
        List<ResourceMetrics> rms = convert(c, """
                # TYPE latency histogram
                # HELP latency Latency.
                latency_bucket{path="/",le="1.0"} 5
                latency_bucket{path="/",le="0.1"} 2 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.05
                latency_bucket{path="/",le="+Inf"} 6
                latency_count{path="/"} 6
                latency_sum{path="/"} 4.5
                latency_created{path="/"} 1699999000
                latency_bucket{path="/x",le="+Inf"} 1
                latency_sum{path="/x"} 1
                # EOF
                """, ExpositionFormat.OPENMETRICS, T0);
        Metric m = metric(rms, "latency");
        assertThat(m.getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        assertThat(m.getHistogram().getDataPointsCount()).as("the /x series has no _count: dropped").isEqualTo(1);
        HistogramDataPoint p = m.getHistogram().getDataPoints(0);
        assertThat(attrs(p.getAttributesList())).containsExactly(Map.entry("path", "/"));
        assertThat(p.getExplicitBoundsList()).containsExactly(0.1, 1.0);
        assertThat(p.getBucketCountsList()).containsExactly(2L, 3L, 1L);
        assertThat(p.getCount()).isEqualTo(6);
        assertThat(p.getSum()).isEqualTo(4.5);
        assertThat(p.getStartTimeUnixNano()).isEqualTo(1_699_999_000_000L * MS);
        assertThat(p.getExemplarsList()).hasSize(1);
        assertThat(p.getExemplars(0).getAsDouble()).isEqualTo(0.05);
        assertThat(p.getExemplars(0).getTimeUnixNano()).as("no exemplar timestamp: the point's").isEqualTo(T0 * MS);
    }

    @Test
    void histogramWithoutInfBucketTakesTheRestFromCountAndSummariesSortQuantiles() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1.0");
        List<ResourceMetrics> rms = text(c, """
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_bucket{le="2"} 3
                h_count 4
                # TYPE rpc summary
                rpc{quantile="0.99"} 9
                rpc{quantile="0.5"} 5
                rpc_count 100
                # TYPE nosum summary
                nosum_count 3
                """, T0);
        HistogramDataPoint h = metric(rms, "h").getHistogram().getDataPoints(0);
        assertThat(h.getExplicitBoundsList()).containsExactly(1.0, 2.0);
        assertThat(h.getBucketCountsList()).containsExactly(1L, 2L, 1L);
        assertThat(h.hasSum()).isFalse();
        SummaryDataPoint s = metric(rms, "rpc").getSummary().getDataPoints(0);
        assertThat(s.getQuantileValuesList()).extracting(q -> q.getQuantile() + "=" + q.getValue())
                .containsExactly("0.5=5.0", "0.99=9.0");
        assertThat(s.getCount()).isEqualTo(100);
        assertThat(s.getSum()).as("no _sum: zero").isZero();
        assertThat(metric(rms, "nosum").getSummary().getDataPoints(0).getCount()).isEqualTo(3);
    }

    @Test
    void resourceFromJobAndInstanceAndTargetInfoAndScrapeSeries() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target("node-1.example.org:9100", Map.of("team", "a"),
                Map.of("cluster", "eu"), false, true), "1.0");
        List<ResourceMetrics> rms = text(c, """
                # TYPE target_info gauge
                target_info{host_arch="amd64",team="z"} 1
                # TYPE load gauge
                load{cpu="0"} 0.5
                """, T0);
        assertThat(rms).hasSize(1);
        ResourceMetrics rm = rms.get(0);
        assertThat(attrs(rm.getResource().getAttributesList())).containsExactly(
                Map.entry("service.name", "node"),
                Map.entry("service.instance.id", "node-1.example.org:9100"),
                Map.entry("server.address", "node-1.example.org"),
                Map.entry("server.port", "9100"),
                Map.entry("url.scheme", "http"),
                Map.entry("cluster", "eu"),
                Map.entry("exported_team", "z"),
                Map.entry("host_arch", "amd64"),
                Map.entry("team", "a"));
        ScopeMetrics sm = rm.getScopeMetrics(0);
        assertThat(sm.getScope().getName()).isEqualTo(ScrapeConverter.SCOPE_NAME);
        assertThat(sm.getScope().getVersion()).isEqualTo("1.0");
        assertThat(has(rms, "target_info")).isFalse();
        assertThat(attrs(metric(rms, "load").getGauge().getDataPoints(0).getAttributesList())).containsExactly(
                Map.entry("cluster", "eu"), Map.entry("cpu", "0"), Map.entry("team", "a"));

        assertThat(metric(rms, "up").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
        assertThat(attrs(metric(rms, "up").getGauge().getDataPoints(0).getAttributesList())).containsExactly(
                Map.entry("cluster", "eu"), Map.entry("team", "a"));
        assertThat(metric(rms, "scrape_duration_seconds").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(0.01);
        assertThat(metric(rms, "scrape_samples_scraped").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(2);
        assertThat(metric(rms, "scrape_samples_post_metric_relabeling").getGauge().getDataPoints(0).getAsDouble())
                .isEqualTo(2);
        assertThat(metric(rms, "scrape_series_added").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(2);
        assertThat(metric(text(c, "# TYPE load gauge\nload{cpu=\"0\"} 1\nload{cpu=\"1\"} 1\n", T0 + 1000),
                "scrape_series_added").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
    }

    @Test
    void loopbackHostsAreNotServerAddresses() {
        assertThat(ScrapeConverter.isDiscernibleHost("localhost")).isFalse();
        assertThat(ScrapeConverter.isDiscernibleHost("127.0.0.1")).isFalse();
        assertThat(ScrapeConverter.isDiscernibleHost("127.1.2.3")).isFalse();
        assertThat(ScrapeConverter.isDiscernibleHost("0.0.0.0")).isFalse();
        assertThat(ScrapeConverter.isDiscernibleHost("::1")).isFalse();
        assertThat(ScrapeConverter.isDiscernibleHost("::")).isFalse();
        assertThat(ScrapeConverter.isDiscernibleHost("10.1.2.3")).isTrue();
        assertThat(ScrapeConverter.isDiscernibleHost("db.internal")).isTrue();
    }

    @Test
    void honorLabelsDecidesWhoseJobAndInstanceWin() throws Exception {
        String body = "# TYPE x gauge\nx{job=\"app\",instance=\"app-1:80\",env=\"prod\"} 1\n";
        List<ResourceMetrics> renamed = text(new ScrapeConverter(target(), "1"), body, T0);
        assertThat(renamed).hasSize(1);
        assertThat(attrs(renamed.get(0).getResource().getAttributesList())).containsEntry("service.name", "node");
        assertThat(attrs(metric(renamed, "x").getGauge().getDataPoints(0).getAttributesList())).containsExactly(
                Map.entry("env", "prod"), Map.entry("exported_instance", "app-1:80"), Map.entry("exported_job", "app"));

        List<ResourceMetrics> honored = text(new ScrapeConverter(target("localhost:9100", Map.of(), Map.of(), true,
                true), "1"), body, T0);
        assertThat(honored).as("the federated series and the target's own scrape series").hasSize(2);
        ResourceMetrics app = honored.stream().filter(r -> attrs(r.getResource().getAttributesList())
                .get("service.name").equals("app")).findFirst().orElseThrow();
        assertThat(attrs(app.getResource().getAttributesList())).containsEntry("service.instance.id", "app-1:80")
                .containsEntry("server.address", "app-1").containsEntry("server.port", "80");
        assertThat(app.getScopeMetrics(0).getMetrics(0).getName()).isEqualTo("x");
        assertThat(attrs(app.getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0).getAttributesList()))
                .containsExactly(Map.entry("env", "prod"));
    }

    @Test
    void scopeLabelsSelectTheInstrumentationScope() throws Exception {
        List<ResourceMetrics> rms = text(new ScrapeConverter(target(), "1"), """
                # TYPE otel_scope_info gauge
                otel_scope_info{otel_scope_name="lib",otel_scope_version="2.0",mascot="bear"} 1
                # TYPE calls_total counter
                calls_total{otel_scope_name="lib",otel_scope_version="2.0",op="get"} 4
                """, T0);
        ScopeMetrics lib = rms.get(0).getScopeMetricsList().stream().filter(s -> s.getScope().getName().equals("lib"))
                .findFirst().orElseThrow();
        assertThat(lib.getScope().getVersion()).isEqualTo("2.0");
        assertThat(attrs(lib.getScope().getAttributesList())).containsExactly(Map.entry("mascot", "bear"));
        assertThat(lib.getMetrics(0).getName()).isEqualTo("calls");
        assertThat(attrs(lib.getMetrics(0).getSum().getDataPoints(0).getAttributesList()))
                .containsExactly(Map.entry("op", "get"));
    }

    @Test
    void timestampsAreHonoredUnlessDisabled() throws Exception {
        String body = "a 1 1600000000000\n";
        assertThat(metric(text(new ScrapeConverter(target(), "1"), body, T0), "a").getGauge().getDataPoints(0)
                .getTimeUnixNano()).isEqualTo(1_600_000_000_000L * MS);
        ScrapeConverter ignoring = new ScrapeConverter(target("localhost:9100", Map.of(), Map.of(), false, false), "1");
        assertThat(metric(text(ignoring, body, T0), "a").getGauge().getDataPoints(0).getTimeUnixNano())
                .isEqualTo(T0 * MS);
    }

    @Test
    void vanishedSeriesGetOneNoRecordedValuePoint() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1");
        text(c, """
                # TYPE a counter
                a_total{k="1"} 1
                a_total{k="2"} 1
                # TYPE g gauge
                g 1
                # TYPE h histogram
                h_bucket{le="+Inf"} 1
                h_count 1
                """, T0);
        List<ResourceMetrics> second = text(c, "# TYPE a counter\na_total{k=\"1\"} 2\n", T0 + 1000);
        List<NumberDataPoint> a = metric(second, "a").getSum().getDataPointsList();
        assertThat(a).hasSize(2);
        assertThat(a.get(0).getFlags()).isZero();
        NumberDataPoint stale = a.get(1);
        assertThat(attrs(stale.getAttributesList())).containsExactly(Map.entry("k", "2"));
        assertThat(stale.getFlags() & 1).isEqualTo(1);
        assertThat(Double.doubleToRawLongBits(stale.getAsDouble()))
                .isEqualTo(Double.doubleToRawLongBits(ScrapeConverter.STALE_NAN));
        assertThat(stale.getStartTimeUnixNano()).isEqualTo(T0 * MS);
        assertThat(metric(second, "g").getGauge().getDataPoints(0).getFlags()).isEqualTo(1);
        assertThat(metric(second, "h").getHistogram().getDataPoints(0).getFlags()).isEqualTo(1);

        List<ResourceMetrics> third = text(c, "# TYPE a counter\na_total{k=\"1\"} 3\n", T0 + 2000);
        assertThat(metric(third, "a").getSum().getDataPointsList()).as("marked stale once").hasSize(1);
        assertThat(has(third, "g")).isFalse();
    }

    @Test
    void aFailedScrapeMarksEverySeriesStaleAndReportsUpZero() throws Exception {
        ScrapeConverter c = new ScrapeConverter(target(), "1");
        text(c, "# TYPE a counter\na_total 5\n", T0);
        List<ResourceMetrics> failed = c.failed(T0 + 1000, new ScrapeConverter.Report(false, 0.2, 0, 0, 0));
        assertThat(metric(failed, "up").getGauge().getDataPoints(0).getAsDouble()).isZero();
        assertThat(metric(failed, "scrape_samples_scraped").getGauge().getDataPoints(0).getAsDouble()).isZero();
        assertThat(metric(failed, "a").getSum().getDataPoints(0).getFlags()).isEqualTo(1);
        assertThat(c.failed(T0 + 2000, new ScrapeConverter.Report(false, 0.2, 0, 0, 0)))
                .noneMatch(r -> has(List.of(r), "a"));

        // The counter carried on while the target was unreachable: its start time is kept.
        NumberDataPoint back = metric(text(c, "# TYPE a counter\na_total 6\n", T0 + 3000), "a").getSum()
                .getDataPoints(0);
        assertThat(back.getStartTimeUnixNano()).isEqualTo(T0 * MS);
        assertThat(back.getFlags()).isZero();
    }

    @Test
    void otlpUnitsFromOpenMetricsUnits() {
        assertThat(Units.toOtlp("seconds")).isEqualTo("s");
        assertThat(Units.toOtlp("bytes")).isEqualTo("By");
        assertThat(Units.toOtlp("ratio")).isEqualTo("1");
        assertThat(Units.toOtlp("bytes_per_second")).isEqualTo("By/s");
        assertThat(Units.toOtlp("widgets")).isEqualTo("widgets");
        assertThat(Units.toOtlp("")).isEmpty();
    }
}
