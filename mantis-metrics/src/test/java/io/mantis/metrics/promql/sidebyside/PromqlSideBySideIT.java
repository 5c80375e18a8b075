package io.mantis.metrics.promql.sidebyside;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.api.QueryApi;
import io.mantis.metrics.api.WriteApi;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.engine.StepwiseEngineFactory;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.otlp.prometheus.TranslationSettings;
import io.mantis.testkit.LeakCheck;
import io.mantis.testkit.PeerProcess;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PromQL side by side with a real Prometheus (Debian's 2.42 package) on loopback: the same
 * generated data is remote-written to both, then every query of {@link SideBySideQueries} is asked
 * of both as instant queries (at two times) and as range queries (1 m and 45 s steps), and the
 * answers are compared: HTTP status, error type and message, result type, label sets, values
 * within a relative tolerance of 1e-9 (NaN equals NaN, infinities exact), native histograms, the
 * order of series where Prometheus orders them (sort, sort_desc, topk, bottomk), and warnings.
 *
 * <p>Mantis follows Prometheus 3 where 3 differs from 2.42. The data keeps the differences that
 * have nothing to do with the query language out of the way: every sample sits 7 ms after a 15 s
 * grid point while queries are evaluated on whole seconds, and no subquery range is a multiple of
 * its step, so no sample or subquery point falls on a range's left end (3.0 made ranges
 * left-open). What remains is a named {@link SideBySideQueries.Allowance}, attached to the
 * queries (and forms) it concerns, that checks what must still agree and fails when the
 * difference it documents no longer shows:
 * <ul>
 *   <li>renamed-in-3: {@code holt_winters} is {@code double_exponential_smoothing};</li>
 *   <li>not-in-2.42: {@code limitk}, {@code limit_ratio};</li>
 *   <li>annotations-since-2.48: Mantis' warnings and infos (quantile out of range, not a
 *       counter, sort in a range query);</li>
 *   <li>regex-dot-matches-newline: {@code .} in label matchers matches a newline since 3.0;</li>
 *   <li>range-parse-error-prefix: 2.42's query_range did not prefix parse errors with
 *       {@code invalid parameter "query"};</li>
 *   <li>error-wording: Go's regexp messages, the offset parse error naming {@code step()};</li>
 *   <li>utf8-label-names: {@code label_replace} and {@code count_values} accept any UTF-8 name;</li>
 *   <li>histogram-arithmetic: histogram times/by scalar (2.42 passed the histogram through);</li>
 *   <li>exponential-interpolation: histogram_quantile and histogram_fraction inside native
 *       exponential buckets;</li>
 *   <li>histograms-after-2.42: changes, resets, irate, avg, last_over_time over native histograms
 *       (checked against a float twin series of the histograms' counts);</li>
 *   <li>histograms-ignored-in-aggregation: max of histograms is empty with an info;</li>
 *   <li>stddev-of-non-finite: stddev/stdvar of a lone NaN or Inf is NaN;</li>
 *   <li>atan2-drops-name: atan2 drops {@code __name__} like other arithmetic;</li>
 *   <li>pinned-window-in-range: 2.42 slid an {@code @}-pinned window under predict_linear in
 *       range queries (checked against 2.42's instant answers at each step);</li>
 *   <li>many-to-many-pair-sorted: Prometheus 3 names the duplicate pair in label order, 2.42 the
 *       later-met series first;</li>
 *   <li>error-names-any-offender: which duplicate series an error names depends on Prometheus'
 *       map iteration order in range queries.</li>
 * </ul>
 *
 * <p>Skipped, with a message, when the Prometheus binary is not installed. About 15 s on two
 * cores, Prometheus' start included.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromqlSideBySideIT {

    private static final Path PROMETHEUS_BIN = PeerProcess.binary("prometheus");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
    /** Scrapes in the data set: 40 minutes at 15 s. */
    static final int POINTS = 160;
    private static final long INTERVAL_MS = 15_000;
    /** Every sample is this far after its grid point, so never on a whole-second query boundary. */
    private static final long JITTER_MS = 7;

    private PeerProcess prometheus;
    private Tsdb tsdb;
    private HttpListener mantis;
    private String mantisBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Start of the data, on a whole minute, recent enough for Prometheus' head to take all of it
     * (it refuses samples more than an hour older than its newest).
     */
    final long base = (System.currentTimeMillis() - 45 * 60_000) / 60_000 * 60_000;

    long ts(int k) {
        return base + k * INTERVAL_MS + JITTER_MS;
    }

    /** Where the queries are asked. */
    enum Form {
        /** Instant query 22 minutes in: every series but the late one is live. */
        INSTANT_MID,
        /** Instant query 41 minutes in, after the last scrape: the stale and stopped series are gone. */
        INSTANT_END,
        /** Range query from 10 to 40 minutes, one step a minute. */
        RANGE,
        /** The same span in 45 s steps: a step that is neither the scrape interval nor a divisor of a minute. */
        RANGE_45S
    }

    // ------------------------------------------------------------------ setup

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS_BIN), "skipped: " + PROMETHEUS_BIN
                + " is not installed (Debian package 'prometheus'; or point -Dmantis.it.prometheus at a binary)");
        CompletableFuture<PeerProcess> peer = CompletableFuture.supplyAsync(() -> {
            try {
                // remote-write receiver and native histograms on, no scrape jobs
                return PeerProcess.prometheus(PROMETHEUS_BIN, dir.resolve("prometheus"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        tsdb = Tsdb.open(dir.resolve("mantis"), TsdbOptions.defaults(), new MetricRegistry());
        Ingest ingest = new Ingest(tsdb, TranslationSettings.defaults(), 16, new MetricRegistry());
        WriteApi write = new WriteApi(ingest, 32 * 1024 * 1024);
        StepwiseEngineFactory engines = new StepwiseEngineFactory();
        // Experimental functions on: double_exponential_smoothing and limitk are behind that flag.
        QueryEngine.Options options = QueryEngine.Options.DEFAULTS
                .withFeatures(Set.of(QueryEngine.Feature.EXPERIMENTAL_FUNCTIONS));
        QueryApi query = new QueryApi(t -> engines.create(tsdb, options.withTimeout(t)), Duration.ofSeconds(30));
        mantis = HttpListener.builder("metrics", "127.0.0.1", 0).routes(sb -> {
            write.routes(sb);
            query.routes(sb);
        }).build();
        mantis.start();
        mantisBase = "http://127.0.0.1:" + mantis.port();
        prometheus = peer.join();
        for (byte[] body : dataSet()) {
            Answer p = write(prometheus.baseUrl(), body);
            Answer m = write(mantisBase, body);
            if (p.status != 204 || m.status != 204) {
                throw new IllegalStateException("data set refused: Prometheus " + p.status + " " + p.body
                        + ", Mantis " + m.status + " " + m.body + "\n" + prometheus.logTail());
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        http.close();
        if (mantis != null) {
            mantis.stop();
        }
        if (tsdb != null) {
            tsdb.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /**
     * 40 minutes of scrapes: counters with resets, gauges crossing zero, classic and native
     * histograms, NaN and infinities, a series ended by a staleness marker, one that just stops,
     * one that starts late, an info-style metric to join on, a label value with a newline.
     */
    private List<byte[]> dataSet() {
        RemoteWriteEncoder w = new RemoteWriteEncoder(false);
        String[] instances = {"a:9090", "b:9090"};
        for (int k = 0; k < POINTS; k++) {
            long t = ts(k);
            for (int i = 0; i < instances.length; i++) {
                String inst = instances[i];
                int s = 0;
                for (String method : List.of("GET", "POST")) {
                    for (String code : List.of("200", "500")) {
                        s++;
                        w.series(Labels.of("__name__", "sbs_requests_total", "job", "api", "instance", inst,
                                "method", method, "code", code));
                        w.sample(t, counter(k, i * 4 + s, i == 1 && code.equals("500") ? 60 : -1));
                    }
                }
                String[] rooms = {"kitchen", "garage", "attic"};
                for (int r = 0; r < rooms.length; r++) {
                    w.series(Labels.of("__name__", "sbs_temperature_celsius", "job", "sensor", "instance", inst,
                            "room", rooms[r]));
                    // the per-series offset keeps values apart: tied topk entries have no defined order
                    w.sample(t, 18 + 6 * Math.sin(k / 9.0 + r + i) - 9 * r * i + (k % 4) * 0.25 + 0.013 * (r + 3 * i));
                }
                w.series(Labels.of("__name__", "sbs_info", "job", "api", "instance", inst,
                        "version", i == 0 ? "1.2.3" : "1.3.0"));
                w.sample(t, 1);
                w.series(Labels.of("__name__", "sbs_version_code", "job", "api", "instance", inst));
                w.sample(t, (k / 40 + i) % 3);
                w.series(Labels.of("__name__", "sbs_shard_code", "job", "api", "instance", inst));
                w.sample(t, (k + i) % 3);
                double cumulative = 0;
                String[] les = {"0.05", "0.1", "0.25", "1", "2.5", "+Inf"};
                for (int b = 0; b < les.length; b++) {
                    // each bucket a counter, and the buckets' rates monotonic in le
                    cumulative += k * (b + 1 + i) * 0.5 + Math.floor(k * (b + 3) / 5.0);
                    w.series(Labels.of("__name__", "sbs_request_duration_seconds_bucket", "job", "api",
                            "instance", inst, "le", les[b]));
                    w.sample(t, cumulative);
                }
                w.series(Labels.of("__name__", "sbs_request_duration_seconds_count", "job", "api", "instance", inst));
                w.sample(t, cumulative);
                w.series(Labels.of("__name__", "sbs_request_duration_seconds_sum", "job", "api", "instance", inst));
                w.sample(t, cumulative * 0.37 + k * 0.01);
                w.series(Labels.of("__name__", "sbs_native_seconds", "job", "api", "instance", inst));
                NativeHistogram h = nativeHistogram(t, i == 1 && k >= 100 ? k - 100 : k, i);
                w.histogram(h);
                // a float twin of the histogram's count, for what 2.42 cannot compute over histograms
                w.series(Labels.of("__name__", "sbs_native_count", "job", "api", "instance", inst));
                w.sample(t, h.count());
            }
            String[] kinds = {"nan", "inf", "ninf", "mixed"};
            for (int n = 0; n < kinds.length; n++) {
                double v = 10 + k % 7 - n;
                if (n == 0 && k % 10 == 3) {
                    v = Double.NaN;
                } else if (n == 1 && k % 20 >= 5 && k % 20 < 9) {
                    v = Double.POSITIVE_INFINITY;
                } else if (n == 2 && k % 30 >= 15) {
                    v = Double.NEGATIVE_INFINITY;
                } else if (n == 3) {
                    v = k % 3 == 0 ? Double.NaN : k % 3 == 1 ? Double.POSITIVE_INFINITY : -k;
                }
                w.series(Labels.of("__name__", "sbs_special", "job", "sensor", "kind", kinds[n]));
                w.sample(t, v);
            }
            if (k < 100) {
                w.series(Labels.of("__name__", "sbs_stale", "job", "batch", "instance", "x"));
                w.sample(t, 100 - k * 0.5);
            } else if (k == 100) {
                w.series(Labels.of("__name__", "sbs_stale", "job", "batch", "instance", "x"));
                w.sample(t, STALE_NAN);
            }
            if (k < 90) {
                w.series(Labels.of("__name__", "sbs_stopped", "job", "batch", "instance", "y"));
                w.sample(t, k * 1.5);
            }
            if (k >= 120) {
                w.series(Labels.of("__name__", "sbs_late", "job", "batch", "instance", "z"));
                w.sample(t, k - 120);
            }
            for (String path : List.of("ab", "a\nb", "abc")) {
                w.series(Labels.of("__name__", "sbs_path", "job", "web", "path", path));
                w.sample(t, path.length());
            }
        }
        return w.toSnappyBatches(512 * 1024);
    }

    /** A counter of series {@code s} that increases irregularly and starts over at scrape {@code resetAt}. */
    private static double counter(int k, int s, int resetAt) {
        double v = 0;
        int from = resetAt >= 0 && k >= resetAt ? resetAt : 0;
        for (int j = from + 1; j <= k; j++) {
            v += 1 + (j * 7 + s * 3) % 5 + (s % 2) * 0.5;
        }
        return v;
    }

    /**
     * An integer native histogram of schema 0 (bucket bounds powers of two): four positive buckets
     * from (0.5,1], one negative bucket [-1,-0.5), and a zero bucket; all counts grow with {@code n}.
     */
    private static NativeHistogram nativeHistogram(long t, int n, int i) {
        long[] counts = {n + 1, 2L * n + i, 3L * n, n / 2 + 1};
        long[] deltas = new long[counts.length];
        long prev = 0;
        long total = 0;
        for (int b = 0; b < counts.length; b++) {
            deltas[b] = counts[b] - prev;
            prev = counts[b];
            total += counts[b];
        }
        long negative = n / 3;
        long zero = n / 5;
        total += negative + zero;
        return NativeHistogram.ofIntegers(t, 0, 0.001, zero, total, n * 3.25 - negative * 0.7,
                List.of(new NativeHistogram.BucketSpan(0, 4)), deltas,
                List.of(new NativeHistogram.BucketSpan(0, 1)), new long[] {negative},
                NativeHistogram.ResetHint.UNKNOWN);
    }

    // ------------------------------------------------------------------ queries

    @TestFactory
    Stream<DynamicNode> queries() {
        List<SideBySideQueries.Query> all = SideBySideQueries.all(this);
        return all.stream().map(q -> DynamicContainer.dynamicContainer(q.mantis(),
                q.forms().stream().map(f -> DynamicTest.dynamicTest(f + ": " + q.mantis(), () -> check(q, f)))));
    }

    /** The queries of the list, counted, so the list cannot shrink below what the issue asks. */
    @TestFactory
    Stream<DynamicNode> theListCoversEnough() {
        List<SideBySideQueries.Query> all = SideBySideQueries.all(this);
        return Stream.of(DynamicTest.dynamicTest("at least 150 queries, " + all.size() + " listed", () -> {
            if (all.size() < 150) {
                throw new AssertionError("only " + all.size() + " queries");
            }
        }));
    }

    private void check(SideBySideQueries.Query q, Form form) throws Exception {
        Answer m = ask(mantisBase, q.mantis(), form);
        Answer p = ask(prometheus.baseUrl(), q.prometheus(), form);
        SideBySideQueries.Allowance allowance = q.allowance(form);
        if (allowance != null) {
            allowance.check().check(new Pair(this, q, form, p, m));
            return;
        }
        List<String> diffs = Compare.answers(p, m, q.keepsOrder(), true);
        if (!diffs.isEmpty()) {
            throw new AssertionError(form + " " + q.mantis() + ":\n  " + String.join("\n  ", diffs)
                    + "\n  Prometheus: " + Compare.abbreviate(p.body) + "\n  Mantis:     " + Compare.abbreviate(m.body));
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** One HTTP answer. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** What an allowance gets to look at: the query, the form and both answers. */
    record Pair(PromqlSideBySideIT it, SideBySideQueries.Query query, Form form, Answer prometheus, Answer mantis) {
        /** Asks Prometheus another query in the same form. */
        Answer askPrometheus(String query) throws IOException, InterruptedException {
            return it.ask(it.prometheus.baseUrl(), query, form);
        }
    }

    long instantTime(Form form) {
        return base + (form == Form.INSTANT_MID ? 22 : 41) * 60_000L;
    }

    long rangeStart() {
        return base + 10 * 60_000L;
    }

    long rangeEnd() {
        return base + 40 * 60_000L;
    }

    long rangeStep(Form form) {
        return form == Form.RANGE_45S ? 45_000L : 60_000L;
    }

    /** Prometheus' instant answer at {@code timeMillis}. */
    Answer askPrometheusAt(String query, long timeMillis) throws IOException, InterruptedException {
        return post(prometheus.baseUrl() + "/api/v1/query",
                "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + seconds(timeMillis));
    }

    Answer ask(String baseUrl, String query, Form form) throws IOException, InterruptedException {
        String params = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        if (form == Form.RANGE) {
            return post(baseUrl + "/api/v1/query_range", params + "&start=" + seconds(rangeStart()) + "&end="
                    + seconds(rangeEnd()) + "&step=60");
        }
        if (form == Form.RANGE_45S) {
            return post(baseUrl + "/api/v1/query_range", params + "&start=" + seconds(rangeStart()) + "&end="
                    + seconds(rangeEnd()) + "&step=45s");
        }
        return post(baseUrl + "/api/v1/query", params + "&time=" + seconds(instantTime(form)));
    }

    private Answer post(String url, String params) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(params)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.body());
    }

    private Answer write(String baseUrl, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/write"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        RemoteWriteEncoder.headers("mantis-promql-side-by-side").forEach(b::header);
        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.body());
    }

    static String seconds(long millis) {
        return millis / 1000 + "." + String.format("%03d", millis % 1000);
    }

    // ------------------------------------------------------------------ comparison

    /** Compares two query answers; each method lists the differences it finds, empty when none. */
    static final class Compare {

        private Compare() {
        }

        static String abbreviate(String s) {
            return s.length() > 1500 ? s.substring(0, 1500) + "..." : s;
        }

        static List<String> answers(Answer p, Answer m, boolean ordered, boolean annotations) {
            List<String> out = new ArrayList<>();
            if (p.status != m.status) {
                out.add("HTTP status: Prometheus " + p.status + ", Mantis " + m.status);
            }
            JsonNode pj = p.json();
            JsonNode mj = m.json();
            if (!text(pj, "status").equals(text(mj, "status"))) {
                out.add("status: Prometheus " + text(pj, "status") + ", Mantis " + text(mj, "status"));
                return out;
            }
            if ("error".equals(text(pj, "status"))) {
                if (!text(pj, "errorType").equals(text(mj, "errorType"))) {
                    out.add("errorType: Prometheus " + text(pj, "errorType") + ", Mantis " + text(mj, "errorType"));
                }
                if (!text(pj, "error").equals(text(mj, "error"))) {
                    out.add("error: Prometheus \"" + text(pj, "error") + "\", Mantis \"" + text(mj, "error") + "\"");
                }
                return out;
            }
            out.addAll(data(pj.get("data"), mj.get("data"), ordered));
            if (annotations) {
                out.addAll(annotations(pj, mj));
            }
            return out;
        }

        /** Warnings must be the same; 2.42 has no infos, so Mantis must give none either. */
        static List<String> annotations(JsonNode pj, JsonNode mj) {
            List<String> out = new ArrayList<>();
            List<String> pw = strings(pj.get("warnings"));
            List<String> mw = strings(mj.get("warnings"));
            if (!pw.equals(mw)) {
                out.add("warnings: Prometheus " + pw + ", Mantis " + mw);
            }
            List<String> mi = strings(mj.get("infos"));
            if (!mi.isEmpty()) {
                out.add("infos: Prometheus none, Mantis " + mi);
            }
            return out;
        }

        static List<String> strings(JsonNode n) {
            List<String> out = new ArrayList<>();
            if (n != null) {
                n.elements().forEachRemaining(e -> out.add(e.asText()));
            }
            return out;
        }

        static String text(JsonNode n, String field) {
            JsonNode f = n.get(field);
            return f == null ? "" : f.asText();
        }

        static List<String> data(JsonNode p, JsonNode m, boolean ordered) {
            List<String> out = new ArrayList<>();
            String type = text(p, "resultType");
            if (!type.equals(text(m, "resultType"))) {
                out.add("resultType: Prometheus " + type + ", Mantis " + text(m, "resultType"));
                return out;
            }
            JsonNode pr = p.get("result");
            JsonNode mr = m.get("result");
            switch (type) {
                case "scalar", "string" -> point("", pr, mr, out);
                case "vector", "matrix" -> series(pr, mr, ordered, out);
                default -> out.add("unknown resultType " + type);
            }
            return out;
        }

        /** Series keyed by label set; with {@code ordered}, also in the same order. */
        static void series(JsonNode p, JsonNode m, boolean ordered, List<String> out) {
            Map<String, JsonNode> ps = byLabels(p, out, "Prometheus");
            Map<String, JsonNode> ms = byLabels(m, out, "Mantis");
            for (String k : ps.keySet()) {
                if (!ms.containsKey(k)) {
                    out.add("missing in Mantis: " + k);
                }
            }
            for (String k : ms.keySet()) {
                if (!ps.containsKey(k)) {
                    out.add("extra in Mantis: " + k);
                }
            }
            if (ordered && out.isEmpty() && !new ArrayList<>(ps.keySet()).equals(new ArrayList<>(ms.keySet()))) {
                out.add("order: Prometheus " + ps.keySet() + ", Mantis " + ms.keySet());
            }
            for (Map.Entry<String, JsonNode> e : ps.entrySet()) {
                JsonNode ms1 = ms.get(e.getKey());
                if (ms1 == null) {
                    continue;
                }
                JsonNode ps1 = e.getValue();
                for (String field : List.of("value", "histogram")) {
                    if (ps1.has(field) || ms1.has(field)) {
                        point(e.getKey() + " " + field, ps1.get(field), ms1.get(field), out);
                    }
                }
                for (String field : List.of("values", "histograms")) {
                    if (ps1.has(field) || ms1.has(field)) {
                        points(e.getKey() + " " + field, ps1.get(field), ms1.get(field), out);
                    }
                }
            }
        }

        static Map<String, JsonNode> byLabels(JsonNode result, List<String> out, String who) {
            Map<String, JsonNode> map = new LinkedHashMap<>();
            for (JsonNode s : result) {
                String key = labels(s.get("metric"));
                if (map.put(key, s) != null) {
                    out.add(who + " answered " + key + " twice");
                }
            }
            return map;
        }

        static String labels(JsonNode metric) {
            TreeMap<String, String> sorted = new TreeMap<>();
            if (metric != null) {
                metric.fields().forEachRemaining(f -> sorted.put(f.getKey(), f.getValue().asText()));
            }
            return sorted.toString();
        }

        static void points(String what, JsonNode p, JsonNode m, List<String> out) {
            if (p == null || m == null) {
                out.add(what + ": Prometheus " + p + ", Mantis " + m);
                return;
            }
            Iterator<JsonNode> pi = p.elements();
            Iterator<JsonNode> mi = m.elements();
            while (pi.hasNext() && mi.hasNext()) {
                JsonNode pp = pi.next();
                JsonNode mp = mi.next();
                int before = out.size();
                point(what, pp, mp, out);
                if (out.size() > before) {
                    return; // the first differing point says enough
                }
            }
            if (pi.hasNext() || mi.hasNext()) {
                out.add(what + ": Prometheus " + p.size() + " points, Mantis " + m.size());
            }
        }

        /** A [time, value] pair, the value a number string or a histogram object. */
        static void point(String what, JsonNode p, JsonNode m, List<String> out) {
            if (p == null || m == null || !p.isArray() || !m.isArray() || p.size() != 2 || m.size() != 2) {
                out.add(what + ": Prometheus " + p + ", Mantis " + m);
                return;
            }
            if (Math.round(p.get(0).asDouble() * 1000) != Math.round(m.get(0).asDouble() * 1000)) {
                out.add(what + " time: Prometheus " + p.get(0) + ", Mantis " + m.get(0));
                return;
            }
            JsonNode pv = p.get(1);
            JsonNode mv = m.get(1);
            if (pv.isObject() || mv.isObject()) {
                histogram(what + " @" + p.get(0).asText(), pv, mv, out);
            } else if (!sameNumber(pv.asText(), mv.asText())) {
                out.add(what + " @" + p.get(0).asText() + ": Prometheus " + pv.asText() + ", Mantis " + mv.asText());
            }
        }

        static void histogram(String what, JsonNode p, JsonNode m, List<String> out) {
            if (!p.isObject() || !m.isObject()) {
                out.add(what + ": Prometheus " + p + ", Mantis " + m);
                return;
            }
            for (String f : List.of("count", "sum")) {
                if (!sameNumber(text(p, f), text(m, f))) {
                    out.add(what + " " + f + ": Prometheus " + text(p, f) + ", Mantis " + text(m, f));
                }
            }
            JsonNode pb = p.get("buckets");
            JsonNode mb = m.get("buckets");
            int pn = pb == null ? 0 : pb.size();
            int mn = mb == null ? 0 : mb.size();
            if (pn != mn) {
                out.add(what + " buckets: Prometheus " + pb + ", Mantis " + mb);
                return;
            }
            for (int i = 0; i < pn; i++) {
                JsonNode x = pb.get(i);
                JsonNode y = mb.get(i);
                boolean same = x.get(0).asInt() == y.get(0).asInt();
                for (int j = 1; j < 4 && same; j++) {
                    same = sameNumber(x.get(j).asText(), y.get(j).asText());
                }
                if (!same) {
                    out.add(what + " bucket " + i + ": Prometheus " + x + ", Mantis " + y);
                }
            }
        }

        static boolean sameNumber(String a, String b) {
            if (a.equals(b)) {
                return true;
            }
            double x;
            double y;
            try {
                x = Double.parseDouble(a);
                y = Double.parseDouble(b);
            } catch (NumberFormatException e) {
                return false;
            }
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Double.isNaN(x) && Double.isNaN(y);
            }
            if (Double.isInfinite(x) || Double.isInfinite(y)) {
                return x == y;
            }
            double diff = Math.abs(x - y);
            // relative 1e-9; the absolute floor only for results that cancel to almost zero
            return diff <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) || diff <= 1e-12;
        }
    }
}
