package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mantis.testkit.LeakCheck;
import io.mantis.testkit.PeerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API side by side with a real Prometheus (Debian's 2.42 package): the prettified
 * {@code /api/v1/format_query} byte for byte for a set of long queries, and the {@code stats}
 * object of {@code /api/v1/query} and {@code /api/v1/query_range}: its keys in order and the
 * sample counts where Prometheus 3 and 2.42 agree.
 *
 * <p>2.42 takes samples at both ends of a range window, 3.x (and Mantis) not at the start. The
 * queries are therefore evaluated 7.5 s off the 15 s scrape grid, where no sample sits on a
 * window's edge and both rules select the same samples. {@code peakSamples} is compared only for
 * plain selectors: for operators and functions it counts Prometheus' internal buffers, which a
 * step-wise engine does not have (Mantis reports what it checks against its limit).
 * {@code /api/v1/parse_query} is newer than 2.42 and is not compared.
 *
 * <p>Skipped, with a message, when the Prometheus binary is not installed.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiConformanceIT {

    private static final Path PROMETHEUS_BIN = PeerProcess.binary("prometheus");

    private PeerProcess prometheus;
    private QueryApiFixture mantis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** First sample: well inside Prometheus' head window, on a 15 s grid like a scrape. */
    private final long base = (System.currentTimeMillis() - 25 * 60_000) / 60_000 * 60_000;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS_BIN), "skipped: " + PROMETHEUS_BIN
                + " is not installed (Debian package 'prometheus'; or point -Dmantis.it.prometheus at a binary)");
        Path promDir = Files.createDirectories(dir.resolve("prometheus"));
        Path config = promDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\n");
        int port = PeerProcess.freePort();
        prometheus = PeerProcess.start("prometheus", port, promDir, "/-/ready", List.of(
                PROMETHEUS_BIN.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + promDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                // per-step counts with stats=all; Mantis always gives them
                "--enable-feature=promql-per-step-stats"));
        mantis = new QueryApiFixture(dir.resolve("mantis"));
        byte[] body = QueryApiFixture.gauges(base, 41);
        assertThat(QueryApiFixture.remoteWrite(http, prometheus.baseUrl(), body)).as(prometheus.logTail()).isEqualTo(204);
        assertThat(QueryApiFixture.remoteWrite(http, mantis.base, body)).isEqualTo(204);
    }

    @AfterAll
    void stop() throws Exception {
        http.close();
        if (mantis != null) {
            mantis.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private HttpResponse<String> post(String baseUrl, String path, String... params)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(QueryApiFixture.form(params))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static final String X70 = "x".repeat(70);

    /** Long queries of every shape the prettifier splits, plus two that fit on a line. */
    static final List<String> QUERIES = List.of(
            "up",
            "sum by (job) (rate(http_requests_total[5m]))",
            "sum by (job) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m])) / sum by (job) "
                    + "(rate(http_requests_total{job=\"api\"}[5m])) > bool 0.05",
            "histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket"
                    + "{job=\"api\",handler=~\"/api/v1/.*\"}[5m])))",
            "-sum(rate(" + "a".repeat(56) + "[5m])) * on (job) group_left (x) " + "b".repeat(39),
            "quantile_over_time(0.99, rate(" + X70 + "[5m])[10m:1m])",
            "label_replace(label_replace(up{job=\"api-server\",service=\"a:c\"}, \"foo\", \"$1\", \"service\", "
                    + "\"(.*):.*\"), \"foo\", \"$1\", \"service\", \"(.*):.*\")",
            "topk(5, count_values without (instance) (\"version\", build_info{job=\"very_long_job_name_for_"
                    + "testing_the_prettifier_output\"}))",
            "max_over_time(deriv(rate(some_really_long_counter_name_total{instance=\"host-1.example.com:9100\"}"
                    + "[5m])[30m:1m])[1h:5m] @ 1700000000 offset 5m)",
            "(a_long_metric_name_number_one + a_long_metric_name_number_two) * (a_long_metric_name_number_three"
                    + " - a_long_metric_name_number_four)",
            "absent_over_time(up{job=\"a\"}[5m]) or absent_over_time(up{job=\"b\"}[5m]) or "
                    + "absent_over_time(up{job=\"c\"}[5m]) unless on () vector(1)",
            "sum without (instance, pod, container) (rate(container_cpu_usage_seconds_total"
                    + "{namespace=\"production\"}[90s] offset 1d))",
            "count by (path) (http_requests_total{path=~\"/\u00fc/.*\",handler!=\"<metrics>\"}) > 1000000 + "
                    + "count by (path) (rate(" + X70 + "[1m]))",
            "(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"} / node_filesystem_size_bytes{job=\"node\","
                    + "fstype!=\"\"} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job=\"node\","
                    + "fstype!=\"\"}[6h], 24*60*60) < 0 and node_filesystem_readonly{job=\"node\",fstype!=\"\"} == 0)",
            "1 - ((node_memory_MemAvailable_bytes{job=\"node\"} or (node_memory_Buffers_bytes{job=\"node\"} + "
                    + "node_memory_Cached_bytes{job=\"node\"} + node_memory_MemFree_bytes{job=\"node\"} + "
                    + "node_memory_Slab_bytes{job=\"node\"})) / node_memory_MemTotal_bytes{job=\"node\"})",
            "min by (job, integration) (rate(alertmanager_notifications_failed_total{job=\"alertmanager\", "
                    + "integration=~\".*\"}[5m]) / rate(alertmanager_notifications_total{job=\"alertmanager\", "
                    + "integration=\"~.*\"}[5m])) > 0.01",
            "-(" + X70 + " @ end() + " + X70 + " offset -5m)",
            "sum(" + X70 + ") by (job) + ignoring (instance) group_right sum(" + X70 + ")",
            "count_values without (instance, job) (\"build_version_label\", " + X70 + ") atan2 on (a, b) group_left (c, d) "
                    + "quantile by (x) (0.9, " + X70 + ")",
            "sort_desc(clamp(" + X70 + " offset 1h30m @ 1700000000.5, 0x1F, Inf) - 1e-05 * 1e+06 ^ -2 % 0.0001)",
            "vector(1) unless ((" + X70 + " != bool 3) == bool (" + X70 + " <= 4 >= 5))",
            "stddev_over_time((" + X70 + " * 2)[1h:]) / stdvar_over_time(" + X70 + "[1d] offset 1w)",
            "label_join(" + X70 + "{a=~\"x|y\",b!~\"z\\\\.w\",c!=\"tab\\there \\\"q\\\"\"}, \"dst\", \",\", \"a\", \"b\")",
            "-(-(" + X70 + " + " + X70 + "))",
            "bottomk(3, sum without () (rate(" + X70 + "[5m]))) or group by (x) (" + X70 + ")");

    @Test
    void formatQueryIsByteIdentical() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        int split = 0;
        for (String q : QUERIES) {
            HttpResponse<String> p = post(prometheus.baseUrl(), "/api/v1/format_query", "query", q);
            HttpResponse<String> m = post(mantis.base, "/api/v1/format_query", "query", q);
            soft.assertThat(p.statusCode()).as("Prometheus status for %s: %s", q, p.body()).isEqualTo(200);
            soft.assertThat(m.statusCode()).as("status for %s", q).isEqualTo(p.statusCode());
            soft.assertThat(m.body()).as("format_query of %s", q).isEqualTo(p.body());
            split += p.body().contains("\\n") ? 1 : 0;
        }
        soft.assertThat(split).as("queries Prometheus split over lines").isEqualTo(QUERIES.size() - 2);
        soft.assertAll();
    }

    /** 7.5 s after a scrape, 5 minutes into the data, as seconds. */
    private String time(int offsetSeconds) {
        return String.format(Locale.ROOT, "%.1f", (base + 307_500 + offsetSeconds * 1000L) / 1000.0);
    }

    private JsonNode stats(String baseUrl, String path, String... params) throws Exception {
        HttpResponse<String> r = post(baseUrl, path, params);
        assertThat(r.statusCode()).as("%s %s", baseUrl, r.body()).isEqualTo(200);
        return QueryApiFixture.json(r).path("data").path("stats");
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void statsHaveTheSameShapeAndSampleCounts() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        record Case(String query, boolean range, boolean comparePeak, long expectedMin) {
            Case(String query, boolean range, boolean comparePeak) {
                this(query, range, comparePeak, expected(query, range));
            }

            /** Worked out by hand: 3 series, 4 samples of each in a 1m window, 5 steps in a range query. */
            static long expected(String query, boolean range) {
                long instant = switch (query) {
                    case "m" -> 3;
                    case "m + m" -> 6;
                    case "sum by (i) (m)" -> 3;
                    default -> 12;
                };
                return range ? instant * 5 : instant;
            }
        }
        List<Case> cases = List.of(
                new Case("m", false, true),
                new Case("m[1m]", false, true),
                new Case("rate(m[1m])", false, false),
                new Case("sum by (i) (m)", false, false),
                new Case("m + m", false, false),
                new Case("max_over_time(m[2m:30s])", false, false),
                new Case("1 + 1", false, false),
                new Case("m", true, true),
                new Case("rate(m[1m])", true, false),
                new Case("max_over_time(m[2m:30s])", true, false),
                // evaluated at every step although pinned by @, in both
                new Case("rate(m[1m] @ end())", true, false));
        for (Case c : cases) {
            String[] params = c.range()
                    ? new String[] {"query", c.query(), "start", time(0), "end", time(120), "step", "30", "stats", "all"}
                    : new String[] {"query", c.query(), "time", time(0), "stats", "all"};
            String path = c.range() ? "/api/v1/query_range" : "/api/v1/query";
            JsonNode p = stats(prometheus.baseUrl(), path, params);
            JsonNode m = stats(mantis.base, path, params);
            String what = (c.range() ? "range " : "instant ") + c.query();
            soft.assertThat(keys(m)).as("stats keys of %s", what).isEqualTo(keys(p));
            soft.assertThat(keys(m.path("timings"))).as("timings keys of %s", what).isEqualTo(keys(p.path("timings")));
            soft.assertThat(keys(m.path("samples"))).as("samples keys of %s", what).isEqualTo(keys(p.path("samples")));
            soft.assertThat(m.path("samples").path("totalQueryableSamples"))
                    .as("totalQueryableSamples of %s", what).isEqualTo(p.path("samples").path("totalQueryableSamples"));
            soft.assertThat(m.path("samples").path("totalQueryableSamplesPerStep"))
                    .as("per step of %s", what).isEqualTo(p.path("samples").path("totalQueryableSamplesPerStep"));
            // the data set must have been selected at all, or equal zeros would prove nothing
            soft.assertThat(p.path("samples").path("totalQueryableSamples").asLong())
                    .as("Prometheus' total of %s", what).isEqualTo(c.query().equals("1 + 1") ? 0 : c.expectedMin());
            if (c.comparePeak()) {
                soft.assertThat(m.path("samples").path("peakSamples"))
                        .as("peakSamples of %s", what).isEqualTo(p.path("samples").path("peakSamples"));
            }
        }
        soft.assertAll();
    }
}
