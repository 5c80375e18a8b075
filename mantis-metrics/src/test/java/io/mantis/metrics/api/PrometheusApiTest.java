package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.otlp.prometheus.TranslationSettings;
import io.mantis.testkit.LeakCheck;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LeakCheck.class)
class PrometheusApiTest {

    @TempDir
    Path dir;

    private Tsdb tsdb;
    private HttpListener server;
    private String base;
    private HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        tsdb = Tsdb.open(dir, TsdbOptions.defaults(), new MetricRegistry());
        MetricRegistry registry = new MetricRegistry();
        Ingest ingest = new Ingest(tsdb, TranslationSettings.defaults(), 16, registry);
        PrometheusApi api = new PrometheusApi(tsdb,
                new PrometheusApi.BuildInfo("3.0.0", "abc", "main", "mantis", "20261124-00:00:00", "java21"), true);
        WriteApi write = new WriteApi(ingest, 32 * 1024 * 1024);
        io.mantis.metrics.promql.engine.StepwiseEngineFactory engines = new io.mantis.metrics.promql.engine.StepwiseEngineFactory();
        QueryApi query = new QueryApi(t -> engines.create(tsdb,
                io.mantis.metrics.promql.QueryEngine.Options.DEFAULTS.withTimeout(t)), java.time.Duration.ofSeconds(30));
        server = HttpListener.builder("metrics", "127.0.0.1", 0).routes(sb -> {
            api.routes(sb);
            write.routes(sb);
            query.routes(sb);
        }).build();
        server.start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        http.close(); // its idle keep-alive connection would otherwise hold the server's drain
        server.stop();
        tsdb.close();
    }

    private HttpResponse<String> write(RemoteWriteEncoder enc) throws Exception {
        return write(http, base, enc);
    }

    /** Posts {@code enc}'s request to {@code base}'s remote-write endpoint as a remote-write 1.0 sender does. */
    static HttpResponse<String> write(HttpClient http, String base, RemoteWriteEncoder enc) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", RemoteWriteEncoder.CONTENT_TYPE)
                .header("Content-Encoding", RemoteWriteEncoder.CONTENT_ENCODING)
                .header(RemoteWriteEncoder.VERSION_HEADER, RemoteWriteEncoder.VERSION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(enc.toSnappy())).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void seed() throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder(true);
        enc.metadata("http_requests_total", MetricType.COUNTER, "", "Requests served.");
        enc.series(Labels.of("__name__", "up", "job", "api", "instance", "a:9090"));
        enc.sample(1_000_000, 1);
        enc.sample(1_015_000, 1);
        enc.series(Labels.of("__name__", "up", "job", "db", "instance", "b:9090"));
        enc.sample(1_000_000, 0);
        enc.series(Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"));
        enc.sample(1_000_000, 10);
        enc.exemplar(Labels.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 1.5, 1_000_123);
        assertThat(write(enc).statusCode()).isEqualTo(204);
    }

    @Test
    void seriesLabelsAndValuesHavePrometheusShapes() throws Exception {
        seed();
        HttpResponse<String> r = get("/api/v1/series?match[]=" + enc("up") + "&start=900&end=1100");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"up\",\"instance\":\"a:9090\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"b:9090\",\"job\":\"db\"}]}");
        // POST form, two selectors, limit with Prometheus' truncation warning
        r = postForm("/api/v1/series", "match[]=" + enc("up{job=\"db\"}") + "&match[]="
                + enc("{__name__=~\"http_.*\"}") + "&limit=1");
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"}],"
                + "\"warnings\":[\"results truncated due to limit\"]}");
        assertThat(get("/api/v1/labels").body()).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"__name__\",\"code\",\"instance\",\"job\"]}");
        assertThat(get("/api/v1/labels?match[]=" + enc("up")).body()).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
        assertThat(get("/api/v1/label/job/values").body()).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"api\",\"db\"]}");
        assertThat(get("/api/v1/label/__name__/values?match[]=" + enc("{job=\"api\"}")).body()).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"http_requests_total\",\"up\"]}");
        // outside every sample's time: nothing
        assertThat(get("/api/v1/series?match[]=up&start=2000&end=3000").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void stringsAreEscapedAndOrderedAsPrometheusWritesThem() throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        for (String v : new String[] {"<a&b>", "bs\b ff\f esc\u001b", "sep\u2028", "\uD83D\uDE00", "\uFF76", "x"}) {
            enc.series(Labels.of("__name__", "odd", "v", v));
            enc.sample(1_000_000, 1);
        }
        assertThat(write(enc).statusCode()).isEqualTo(204);
        // Go's HTML-safe escapes with lower-case hex, no \b or \f, U+2028 escaped, astral
        // characters as UTF-8; sorted by code point (U+FF76 before U+1F600, unlike UTF-16 order).
        String expected = "[\"\\u003ca\\u0026b\\u003e\",\"bs\\u0008 ff\\u000c esc\\u001b\",\"sep\\u2028\",\"x\","
                + "\"\uFF76\",\"\uD83D\uDE00\"]";
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/label/v/values")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"status\":\"success\",\"data\":" + expected + "}");
        assertThat(get("/api/v1/series?match[]=odd").body()).startsWith("{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"odd\",\"v\":\"\\u003ca\\u0026b\\u003e\"},").endsWith(
                "{\"__name__\":\"odd\",\"v\":\"\uFF76\"},{\"__name__\":\"odd\",\"v\":\"\uD83D\uDE00\"}]}");
    }

    @Test
    void labelLookupsOutsideTheStoredTimeRangeAreEmpty() throws Exception {
        seed();
        assertThat(get("/api/v1/labels?start=2000").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/label/job/values?end=999").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/label/job/values?start=999&end=1000").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}");
    }

    @Test
    void promqlQueriesAnswerAsPrometheus() throws Exception {
        seed();
        // Grafana's health check: 1+1 at t=4 s
        assertThat(postForm("/api/v1/query", "query=1%2B1&time=4").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}");
        assertThat(get("/api/v1/query?query=" + enc("sum by (job) (up)") + "&time=1020").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"job\":\"api\"},\"value\":[1020,\"1\"]},"
                        + "{\"metric\":{\"job\":\"db\"},\"value\":[1020,\"0\"]}]}}");
        assertThat(get("/api/v1/query_range?query=" + enc("up{job=\"api\"}") + "&start=1000&end=1030&step=15s").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9090\",\"job\":\"api\"},"
                        + "\"values\":[[1000,\"1\"],[1015,\"1\"],[1030,\"1\"]]}]}}");
        HttpResponse<String> r = get("/api/v1/query?query=" + enc("rate(up)"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"errorType\":\"bad_data\"")
                .contains("invalid parameter \\\"query\\\": 1:6: parse error: expected type range vector in call to function \\\"rate\\\", got instant vector");
        r = get("/api/v1/query_range?query=up&start=10&end=20&step=0");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("zero or negative query resolution step widths are not accepted");
        r = get("/api/v1/query_range?query=up&start=0&end=100000&step=1");
        assertThat(r.body()).contains("exceeded maximum resolution of 11,000 points per timeseries");
        assertThat(get("/api/v1/format_query?query=" + enc("sum(rate(x[5m]))by(job)")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (rate(x[5m]))\"}");
    }

    @Test
    void badParametersAreBadData() throws Exception {
        HttpResponse<String> r = get("/api/v1/series");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}");
        r = get("/api/v1/series?match[]=" + enc("up{job=}"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"errorType\":\"bad_data\"").contains("invalid parameter \\\"match[]\\\": 1:8: parse error");
        r = get("/api/v1/series?match[]=" + enc("{job=~\".*\"}"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid parameter \\\"match[]\\\": match[] must contain at least one non-empty matcher");
        r = get("/api/v1/labels?start=yesterday");
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                + "\"invalid parameter \\\"start\\\": Invalid time value for 'start': cannot parse \\\"yesterday\\\" to a valid timestamp\"}");
        // the label endpoints do not name match[] in their parse errors
        r = get("/api/v1/labels?match[]=" + enc("up{"));
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                + "\"1:4: parse error: unexpected end of input inside braces\"}");
        // Prometheus does not refuse an end before the start on the metadata endpoints
        r = get("/api/v1/labels?start=10&end=5");
        assertThat(r.statusCode()).isEqualTo(200);
        r = get("/api/v1/query_exemplars?query=up&start=10&end=5");
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                + "\"end timestamp must not be before start timestamp\"}");
        r = get("/api/v1/metadata?limit=x");
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                + "\"limit must be a number\"}");
        r = get("/api/v1/labels?limit=-1");
        assertThat(r.statusCode()).isEqualTo(400);
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/metadata"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void refusedSamplesAnswer400AndTheRestIsStored() throws Exception {
        seed();
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "up", "job", "api", "instance", "a:9090"));
        enc.sample(1_005_000, 7); // behind the newest sample of this series
        enc.series(Labels.of("__name__", "up", "job", "new", "instance", "c:9090"));
        enc.sample(1_005_000, 1);
        HttpResponse<String> r = write(enc);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("out of order sample for series {__name__=\"up\", instance=\"a:9090\", job=\"api\"}");
        assertThat(get("/api/v1/label/job/values").body()).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"api\",\"db\",\"new\"]}");
    }

    @Test
    void metadataAndExemplars() throws Exception {
        seed();
        assertThat(get("/api/v1/metadata").body()).isEqualTo("{\"status\":\"success\",\"data\":{"
                + "\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests served.\",\"unit\":\"\"}]}}");
        assertThat(get("/api/v1/metadata?metric=nope").body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        // metadata's own limit rules: 0 answers nothing, a negative limit none
        assertThat(get("/api/v1/metadata?limit=0").body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        assertThat(get("/api/v1/metadata?limit=-1").body()).contains("\"http_requests_total\"");
        HttpResponse<String> r = get("/api/v1/query_exemplars?query=" + enc("http_requests_total")
                + "&start=999&end=1001");
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[{\"seriesLabels\":"
                + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},\"exemplars\":[{\"labels\":"
                + "{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"},\"value\":\"1.5\",\"timestamp\":1000.123}]}]}");
        // Grafana's probe: query=test with millisecond epochs must answer success
        r = get("/api/v1/query_exemplars?query=test&start=1700000000000&end=1700000600000");
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void deleteSeriesRemovesTheRangeDurably() throws Exception {
        seed();
        HttpResponse<String> r = postForm("/api/v1/admin/tsdb/delete_series", "match[]=" + enc("up{job=\"db\"}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(get("/api/v1/label/job/values?match[]=up").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"api\"]}");
        // a part of a series: the samples before 1010 s stay
        r = postForm("/api/v1/admin/tsdb/delete_series", "match[]=" + enc("up") + "&start=1010&end=2000");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(get("/api/v1/series?match[]=up&start=1010&end=2000").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/series?match[]=up&start=999&end=1001").body()).contains("\"job\":\"api\"");
        assertThat(postForm("/api/v1/admin/tsdb/delete_series", "").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/admin/tsdb/delete_series?match[]=up").statusCode()).isEqualTo(405);
        assertThat(postForm("/api/v1/admin/tsdb/clean_tombstones", "").statusCode()).isEqualTo(204);
        // durable: the deletion is in the WAL
        stop();
        tsdb = Tsdb.open(dir, TsdbOptions.defaults(), new MetricRegistry());
        assertThat(tsdb.querier(0, Long.MAX_VALUE).labelValues("job", io.mantis.metrics.model.Matcher.equal("__name__", "up")))
                .containsExactly("api");
        server = HttpListener.builder("metrics", "127.0.0.1", 0)
                .routes(sb -> new PrometheusApi(tsdb, new PrometheusApi.BuildInfo("", "", "", "", "", "")).routes(sb))
                .build();
        server.start();
        base = "http://127.0.0.1:" + server.port();
        // without the admin API (the default, as in Prometheus) deletion is refused
        http = HttpClient.newHttpClient();
        r = postForm("/api/v1/admin/tsdb/delete_series", "match[]=up");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs disabled\"}");
    }

    @Test
    void statusPages() throws Exception {
        seed();
        String tsdbStatus = get("/api/v1/status/tsdb").body();
        assertThat(tsdbStatus).startsWith("{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":3,");
        assertThat(tsdbStatus).contains("\"seriesCountByMetricName\":[{\"name\":\"up\",\"value\":2},"
                + "{\"name\":\"http_requests_total\",\"value\":1}]");
        assertThat(get("/api/v1/status/buildinfo").body()).isEqualTo("{\"status\":\"success\",\"data\":{"
                + "\"version\":\"3.0.0\",\"revision\":\"abc\",\"branch\":\"main\",\"buildUser\":\"mantis\","
                + "\"buildDate\":\"20261124-00:00:00\",\"goVersion\":\"java21\"}}");
        assertThat(get("/api/v1/status/runtimeinfo").body()).contains("\"storageRetention\":\"15d\"");
        assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
        assertThat(get("/-/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void otlpMetricsAreTranslatedAndStored() throws Exception {
        String json = """
                {"resourceMetrics":[{"resource":{"attributes":[
                  {"key":"service.name","value":{"stringValue":"shop"}},
                  {"key":"service.instance.id","value":{"stringValue":"i-1"}}]},
                 "scopeMetrics":[{"metrics":[{"name":"orders","unit":"1","description":"Orders placed.",
                   "sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
                     {"timeUnixNano":"1000000000000","asInt":"42","attributes":[
                       {"key":"status","value":{"stringValue":"ok"}}]}]}}]}]}]}
                """;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/otlp/v1/metrics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(get("/api/v1/series?match[]=" + enc("{__name__=~\"orders.*\"}")).body()).isEqualTo(
                "{\"status\":\"success\",\"data\":[{\"__name__\":\"orders_total\",\"instance\":\"i-1\","
                        + "\"job\":\"shop\",\"status\":\"ok\"}]}");
        // a delta sum cannot be stored: partial success names it, the cumulative rest is kept
        String delta = json.replace("\"aggregationTemporality\":2", "\"aggregationTemporality\":1");
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/otlp/v1/metrics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(delta)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"partialSuccess\"").contains("\"rejectedDataPoints\"").contains("orders");
    }

    /** One sample of {@code up}, remote-written to the listener on {@code port}. */
    private HttpResponse<String> writeOneSample(int port) throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "up"));
        enc.sample(1000, 1);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
                .header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(enc.toSnappy())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void writesRefusedByAFullWritePoolAre429() throws Exception {
        // A pool with one thread held busy and no queue: the next write has nowhere to run.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>());
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Ingest ingest = new Ingest(tsdb, TranslationSettings.defaults(), 4, new MetricRegistry());
        HttpListener l = HttpListener.builder("pool", "127.0.0.1", 0)
                .routes(sb -> new WriteApi(ingest, 1024 * 1024, pool).routes(sb)).build();
        l.start();
        try {
            HttpResponse<String> r = writeOneSample(l.port());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            assertThat(r.body()).contains("too many writes waiting");
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
            http.close();
            http = HttpClient.newHttpClient();
            l.stop();
        }
    }

    @Test
    void aBusyStoreAnswers429WithARetryHint() throws Exception {
        // No write slot at all: every write finds the store busy.
        Ingest busy = new Ingest(tsdb, TranslationSettings.defaults(), 0, new MetricRegistry());
        HttpListener l = HttpListener.builder("busy", "127.0.0.1", 0)
                .routes(sb -> new WriteApi(busy, 1024 * 1024).routes(sb)).build();
        l.start();
        try {
            HttpResponse<String> r = writeOneSample(l.port());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + l.port() + "/api/v1/otlp/v1/metrics"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        } finally {
            http.close();
            http = HttpClient.newHttpClient();
            l.stop();
        }
        assertThat(get("/api/v1/label/__name__/values").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void unsupportedRemoteWriteVersionIsRefused() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
                .header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
    }
}
