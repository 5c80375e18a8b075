package io.mantis.otlp.prometheus;

import static io.mantis.otlp.prometheus.Otlp.CUMULATIVE;
import static io.mantis.otlp.prometheus.Otlp.NO_RECORDED_VALUE;
import static io.mantis.otlp.prometheus.Otlp.attr;
import static io.mantis.otlp.prometheus.Otlp.buckets;
import static io.mantis.otlp.prometheus.Otlp.exemplar;
import static io.mantis.otlp.prometheus.Otlp.expPoint;
import static io.mantis.otlp.prometheus.Otlp.exponential;
import static io.mantis.otlp.prometheus.Otlp.gauge;
import static io.mantis.otlp.prometheus.Otlp.histogram;
import static io.mantis.otlp.prometheus.Otlp.histogramPoint;
import static io.mantis.otlp.prometheus.Otlp.intPoint;
import static io.mantis.otlp.prometheus.Otlp.point;
import static io.mantis.otlp.prometheus.Otlp.request;
import static io.mantis.otlp.prometheus.Otlp.resource;
import static io.mantis.otlp.prometheus.Otlp.sum;
import static io.mantis.otlp.prometheus.Otlp.summary;
import static io.mantis.otlp.prometheus.Otlp.summaryPoint;

import io.mantis.testkit.PeerProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sends translated OTLP metrics as remote-write 1.0 requests to real receivers on loopback and
 * reads them back through their query APIs: Prometheus (Debian's 2.42 package, with
 * {@code --web.enable-remote-write-receiver} and the native-histograms and exemplar-storage
 * features) and VictoriaMetrics (Debian's 1.79 package).
 *
 * <p>Each peer is optional: when its binary is not installed the tests that need it are skipped
 * with a message saying which Debian package to install. Differences between the peers that the
 * assertions account for:
 * <ul>
 *   <li>VictoriaMetrics 1.79 ignores native histograms (the {@code histograms} field of a time
 *       series), so the exponential histogram is only checked against Prometheus;</li>
 *   <li>it has no exemplar storage, so exemplars are only checked against Prometheus;</li>
 *   <li>it makes freshly written data searchable only after an in-memory flush, forced here
 *       through {@code /internal/force_flush}, where Prometheus answers from its head block at
 *       once.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusRemoteWriteIT {

    // Where Debian's packages put the binaries; overridable to run against other builds.
    private static final Path PROMETHEUS_BIN =
            PeerProcess.binary("prometheus");
    private static final Path VICTORIA_BIN =
            PeerProcess.binary("victoria-metrics");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RemoteWriteEncoder encoder = new RemoteWriteEncoder();
    private final PrometheusTranslator translator = new PrometheusTranslator();

    private final Set<String> shopWritten = new java.util.HashSet<>();
    private Path workDir;
    private PeerProcess prometheus;
    private PeerProcess victoria;
    // Samples sit a little in the past: inside both receivers' accepted window, and clear of
    // VictoriaMetrics' habit of hiding the most recent moments from queries.
    private final long baseMillis = (System.currentTimeMillis() / 1000 - 120) * 1000;

    @BeforeAll
    void startPeers() throws Exception {
        workDir = Files.createTempDirectory("mantis-remote-write-it");
        if (Files.isExecutable(PROMETHEUS_BIN)) {
            prometheus = PeerProcess.prometheus(PROMETHEUS_BIN, workDir.resolve("prometheus"));
        }
        if (Files.isExecutable(VICTORIA_BIN)) {
            victoria = PeerProcess.victoriaMetrics(VICTORIA_BIN, workDir.resolve("victoria-metrics"));
        }
    }

    @AfterAll
    void stopPeers() throws IOException {
        for (PeerProcess p : new PeerProcess[] {prometheus, victoria}) {
            if (p != null) {
                p.close();
            }
        }
        if (workDir != null) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---- the OTLP data ----

    private ExportMetricsServiceRequest shopRequest() {
        long t = baseMillis * 1_000_000L;
        return request(
                resource(attr("service.name", "checkout"), attr("service.namespace", "shop"),
                        attr("service.instance.id", "pod-1"), attr("host.name", "node-1"),
                        attr("deployment.environment", "it")),
                sum("http.server.requests", "{request}", true, CUMULATIVE,
                        intPoint(t, 41, attr("http.route", "/cart"))
                                .addExemplars(exemplar(t - 1_000_000L, 1, "4bf92f3577b34da6a3ce929d0e0e4736",
                                        "00f067aa0ba902b7")),
                        intPoint(t, 7, attr("http.route", "/pay"))),
                gauge("process.cpu.utilization", "1", point(t, 0.42)),
                sum("http.server.active_requests", "{request}", false, CUMULATIVE, intPoint(t, 3)),
                histogram("http.server.request.duration", "s", CUMULATIVE,
                        histogramPoint(t, 3.5, List.of(0.1, 0.5, 1.0), List.of(5L, 3L, 1L, 1L),
                                attr("http.route", "/cart"))),
                summary("gc.pause", "ms", summaryPoint(t, 120, 12, new double[][] {{0.5, 8}, {0.99, 40}})),
                exponential("rpc.duration", "s", CUMULATIVE,
                        expPoint(t, 3, 1, 9.25, buckets(-1, 2, 3), buckets(0, 4))));
    }

    /**
     * Several tests read the same data set; it is written once per peer so that each test's
     * result does not depend on how a receiver treats samples it already holds.
     */
    private void writeShopOnce(PeerProcess peer) throws Exception {
        if (shopWritten.add(peer.name())) {
            write(peer, encode(shopRequest()));
        }
    }

    private byte[] encode(ExportMetricsServiceRequest req) {
        encoder.reset();
        TranslationStats stats = translator.translate(req, encoder);
        assertThat(stats.droppedMetrics() + stats.droppedPoints()).isZero();
        return encoder.toSnappy();
    }

    // ---- Prometheus ----

    @Test
    void prometheusStoresTheTranslatedSeries() throws Exception {
        assumeTrue(prometheus != null, "skipped: " + PROMETHEUS_BIN + " is not installed (Debian package 'prometheus')");
        writeShopOnce(prometheus);

        assertThat(value(prometheus, "http_server_requests_total{job=\"shop/checkout\",http_route=\"/cart\"}"))
                .isEqualTo(41.0);
        assertThat(value(prometheus, "http_server_requests_total{http_route=\"/pay\"}")).isEqualTo(7.0);
        assertThat(value(prometheus, "process_cpu_utilization_ratio")).isEqualTo(0.42);
        assertThat(value(prometheus, "http_server_active_requests")).isEqualTo(3.0);
        assertThat(value(prometheus,
                "http_server_request_duration_seconds_bucket{le=\"0.5\",job=\"shop/checkout\",instance=\"pod-1\"}"))
                .isEqualTo(8.0);
        assertThat(value(prometheus, "http_server_request_duration_seconds_bucket{le=\"+Inf\"}")).isEqualTo(10.0);
        assertThat(value(prometheus, "http_server_request_duration_seconds_sum")).isEqualTo(3.5);
        assertThat(value(prometheus, "http_server_request_duration_seconds_count")).isEqualTo(10.0);
        assertThat(value(prometheus, "gc_pause_milliseconds{quantile=\"0.99\"}")).isEqualTo(40.0);
        assertThat(value(prometheus, "gc_pause_milliseconds_count")).isEqualTo(12.0);
        // Prometheus computes a quantile from the classic buckets we wrote.
        assertThat(value(prometheus, "histogram_quantile(0.5, http_server_request_duration_seconds_bucket)"))
                .isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));

        Map<String, String> counter = metric(prometheus, "http_server_requests_total{http_route=\"/cart\"}");
        assertThat(counter).containsEntry("instance", "pod-1")
                .containsEntry("otel_scope_name", "io.mantis.test")
                .containsEntry("otel_scope_version", "1.2.3")
                .doesNotContainKey("host_name");

        Map<String, String> info = metric(prometheus, "target_info");
        assertThat(info).containsEntry("job", "shop/checkout").containsEntry("instance", "pod-1")
                .containsEntry("host_name", "node-1").containsEntry("deployment_environment", "it");
        assertThat(value(prometheus, "target_info")).isEqualTo(1.0);

        assertThat(seriesNames(prometheus, "{job=\"shop/checkout\"}")).containsAll(List.of(
                "gc_pause_milliseconds", "gc_pause_milliseconds_count", "gc_pause_milliseconds_sum",
                "http_server_active_requests", "http_server_request_duration_seconds_bucket",
                "http_server_request_duration_seconds_count", "http_server_request_duration_seconds_sum",
                "http_server_requests_total", "process_cpu_utilization_ratio", "rpc_duration_seconds",
                "target_info"));
    }

    @Test
    void prometheusStoresTheExponentialHistogramAsANativeHistogram() throws Exception {
        assumeTrue(prometheus != null, "skipped: " + PROMETHEUS_BIN + " is not installed (Debian package 'prometheus')");
        writeShopOnce(prometheus);

        // Prometheus 2.42 returns a native histogram sample in the "histogram" field of a result.
        Map<String, Object> result = single(prometheus, "rpc_duration_seconds{job=\"shop/checkout\"}");
        assertThat(result).containsKey("histogram").doesNotContainKey("value");
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) ((List<Object>) result.get("histogram")).get(1);
        assertThat(h.get("count")).isEqualTo("10");
        assertThat(h.get("sum")).isEqualTo("9.25");
        @SuppressWarnings("unchecked")
        List<List<Object>> bucketList = (List<List<Object>>) h.get("buckets");
        double bucketTotal = bucketList.stream().mapToDouble(b -> Double.parseDouble((String) b.get(3))).sum();
        // 2 + 3 positive, 4 negative, 1 in the zero bucket.
        assertThat(bucketTotal).isEqualTo(10.0);
        assertThat(value(prometheus, "histogram_count(rpc_duration_seconds)")).isEqualTo(10.0);
        assertThat(value(prometheus, "histogram_sum(rpc_duration_seconds)")).isEqualTo(9.25);
    }

    @Test
    void prometheusStoresExemplarsWithTraceIds() throws Exception {
        assumeTrue(prometheus != null, "skipped: " + PROMETHEUS_BIN + " is not installed (Debian package 'prometheus')");
        writeShopOnce(prometheus);

        String url = "/api/v1/query_exemplars?query=" + urlEncode("http_server_requests_total")
                + "&start=" + seconds(baseMillis - 60_000) + "&end=" + seconds(baseMillis + 60_000);
        List<Object> data = awaitData(prometheus, url, d -> !((List<?>) d).isEmpty());
        @SuppressWarnings("unchecked")
        Map<String, Object> series = (Map<String, Object>) data.get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> exemplar = (Map<String, Object>) ((List<Object>) series.get("exemplars")).get(0);
        assertThat(exemplar.get("labels")).isEqualTo(Map.of(
                "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));
        assertThat(exemplar.get("value")).isEqualTo("1");
        assertThat(((Map<?, ?>) series.get("seriesLabels")).get("http_route")).isEqualTo("/cart");
    }

    @Test
    void prometheusEndsASeriesAtAStalenessMarker() throws Exception {
        assumeTrue(prometheus != null, "skipped: " + PROMETHEUS_BIN + " is not installed (Debian package 'prometheus')");
        long t = baseMillis * 1_000_000L;
        var res = resource(attr("service.name", "stale-test"));
        write(prometheus, encode(request(res, gauge("it.stale", "", point(t, 5)))));
        write(prometheus, encode(request(res,
                gauge("it.stale", "", point(t + 10_000_000_000L, 0).setFlags(NO_RECORDED_VALUE)))));

        assertThat(value(prometheus, "it_stale", baseMillis + 5_000)).isEqualTo(5.0);
        // Without the marker the 5m lookback would still show 5 here.
        assertThat(results(prometheus, "it_stale", baseMillis + 20_000)).isEmpty();
    }

    // ---- VictoriaMetrics ----

    @Test
    void victoriaMetricsStoresTheClassicSeries() throws Exception {
        assumeTrue(victoria != null,
                "skipped: " + VICTORIA_BIN + " is not installed (Debian package 'victoria-metrics')");
        writeShopOnce(victoria);
        victoria.get("/internal/force_flush");

        assertThat(value(victoria, "http_server_requests_total{job=\"shop/checkout\",http_route=\"/cart\"}"))
                .isEqualTo(41.0);
        assertThat(value(victoria, "process_cpu_utilization_ratio")).isEqualTo(0.42);
        assertThat(value(victoria,
                "http_server_request_duration_seconds_bucket{le=\"0.5\",job=\"shop/checkout\",instance=\"pod-1\"}"))
                .isEqualTo(8.0);
        assertThat(value(victoria, "http_server_request_duration_seconds_count")).isEqualTo(10.0);
        assertThat(value(victoria, "gc_pause_milliseconds{quantile=\"0.5\"}")).isEqualTo(8.0);
        assertThat(metric(victoria, "target_info")).containsEntry("host_name", "node-1")
                .containsEntry("job", "shop/checkout");
        // VictoriaMetrics 1.79 skips the native histogram; everything else arrived.
        Set<String> names = seriesNames(victoria, "{job=\"shop/checkout\"}");
        assertThat(names).contains("http_server_requests_total", "target_info", "gc_pause_milliseconds_sum")
                .doesNotContain("rpc_duration_seconds");
    }

    // ---- query helpers ----

    private double value(PeerProcess peer, String query) throws Exception {
        return value(peer, query, baseMillis);
    }

    private double value(PeerProcess peer, String query, long atMillis) throws Exception {
        Map<String, Object> r = single(peer, query, atMillis);
        @SuppressWarnings("unchecked")
        List<Object> v = (List<Object>) r.get("value");
        assertThat(v).as("%s has a float value: %s", query, r).isNotNull();
        return Double.parseDouble((String) v.get(1));
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> metric(PeerProcess peer, String query) throws Exception {
        return (Map<String, String>) single(peer, query, baseMillis).get("metric");
    }

    private Map<String, Object> single(PeerProcess peer, String query) throws Exception {
        return single(peer, query, baseMillis);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> single(PeerProcess peer, String query, long atMillis) throws Exception {
        String url = "/api/v1/query?query=" + urlEncode(query) + "&time=" + seconds(atMillis);
        Map<String, Object> data = awaitData(peer, url, d -> !((List<?>) ((Map<?, ?>) d).get("result")).isEmpty());
        List<Object> result = (List<Object>) data.get("result");
        assertThat(result).as("%s on %s", query, peer.name()).hasSize(1);
        return (Map<String, Object>) result.get(0);
    }

    @SuppressWarnings("unchecked")
    private List<Object> results(PeerProcess peer, String query, long atMillis) throws Exception {
        String url = "/api/v1/query?query=" + urlEncode(query) + "&time=" + seconds(atMillis);
        Map<String, Object> body = (Map<String, Object>) Json.parse(peer.get(url));
        assertThat(body.get("status")).as("%s", body).isEqualTo("success");
        return (List<Object>) ((Map<String, Object>) body.get("data")).get("result");
    }

    @SuppressWarnings("unchecked")
    private Set<String> seriesNames(PeerProcess peer, String matcher) throws Exception {
        String url = "/api/v1/series?match[]=" + urlEncode(matcher)
                + "&start=" + seconds(baseMillis - 60_000) + "&end=" + seconds(baseMillis + 60_000);
        List<Object> data = awaitData(peer, url, d -> !((List<?>) d).isEmpty());
        Set<String> names = new TreeSet<>();
        for (Object s : data) {
            names.add(((Map<String, String>) s).get("__name__"));
        }
        return names;
    }

    /**
     * Polls {@code url} until its {@code data} passes {@code ready} or {@link #QUERY_TIMEOUT}
     * passes; data can take a moment to become searchable, VictoriaMetrics' especially.
     */
    @SuppressWarnings("unchecked")
    private <T> T awaitData(PeerProcess peer, String url, java.util.function.Predicate<Object> ready) throws Exception {
        long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
        Object data;
        do {
            Map<String, Object> body = (Map<String, Object>) Json.parse(peer.get(url));
            assertThat(body.get("status")).as("%s on %s: %s", url, peer.name(), body).isEqualTo("success");
            data = body.get("data");
            if (ready.test(data)) {
                return (T) data;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return (T) data;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** POSTs a remote-write body, which the peer must accept. */
    private static void write(PeerProcess peer, byte[] body) throws Exception {
        HttpResponse<String> r = peer.request("POST", "/api/v1/write", body, RemoteWriteEncoder.headers("mantis-it/0.1"));
        assertThat(r.statusCode()).as("%s answered %s: %s%n%s", peer.name(), r.statusCode(), r.body(), peer.logTail())
                .isBetween(200, 299);
    }
}
