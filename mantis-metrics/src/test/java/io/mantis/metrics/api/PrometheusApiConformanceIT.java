package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.api.RawRemoteWrite.Type;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the same remote-write requests to a real Prometheus (Debian's 2.42 package) and to a
 * Mantis store on loopback, then asks both the same read-API questions and compares the answers:
 * status code, {@code status}, {@code errorType} and {@code data}, byte for byte unless a
 * documented {@link Allowance} names the difference and checks what must still hold.
 *
 * <p>Mantis follows Prometheus 3's API where 3 differs from 2.42; each such difference is an
 * allowance with its reason. An allowance whose two answers turn out identical fails the test, so
 * the list cannot outlive the differences it documents. The differences, all checked below:
 * <ul>
 *   <li>{@code limit} on /series, /labels, /label/&lt;n&gt;/values (2.49+) and
 *       {@code limit_per_metric} on /metadata: 2.42 ignores them;</li>
 *   <li>UTF-8 label names in /label/&lt;n&gt;/values (3.x);</li>
 *   <li>parser wording: 2.42 names internal tokens in some messages and puts an empty
 *       expression at 1:1 (3.x: "unknown position");</li>
 *   <li>label lookups with match[] are filtered by each series' time range in Mantis, by the
 *       head's whole range in Prometheus (Mantis answers a subset: what /series answers);</li>
 *   <li>/query_exemplars takes any PromQL expression in Prometheus, a single selector in Mantis
 *       (no PromQL parser yet);</li>
 *   <li>/metadata: 2.42 drops remote-write metadata, Mantis keeps it;</li>
 *   <li>status pages describe the product and process (build, flags, probe texts), and
 *       /status/tsdb orders tied counts differently;</li>
 *   <li>remote-write refusals: 2.42 refuses a whole request over one bad sample, Mantis stores
 *       the valid rest; both answer 400 with Prometheus' message.</li>
 * </ul>
 *
 * <p>Skipped, with a message, when the Prometheus binary is not installed. About 5 s on two
 * cores, most of it Prometheus' start.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusApiConformanceIT {

    private static final Path PROMETHEUS_BIN = PeerProcess.binary("prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
    private static final int STEPS = 40;
    private static final long STEP_MS = 15_000;

    private PeerProcess prometheus;
    private Tsdb tsdb;
    private HttpListener mantis;
    private String mantisBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * First sample time: well inside Prometheus' head window (its head refuses samples more than
     * an hour behind its newest), on a 15 s grid like a scrape.
     */
    private final long base = (System.currentTimeMillis() - 25 * 60_000) / STEP_MS * STEP_MS;

    private long t(int step) {
        return base + step * STEP_MS;
    }

    // ------------------------------------------------------------------ setup

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS_BIN), "skipped: " + PROMETHEUS_BIN
                + " is not installed (Debian package 'prometheus'; or point -Dmantis.it.prometheus at a binary)");
        CompletableFuture<PeerProcess> peer = CompletableFuture.supplyAsync(() -> {
            try {
                return startPrometheus(dir.resolve("prometheus"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        tsdb = Tsdb.open(dir.resolve("mantis"), TsdbOptions.defaults(), new MetricRegistry());
        Ingest ingest = new Ingest(tsdb, TranslationSettings.defaults(), 16, new MetricRegistry());
        PrometheusApi api = new PrometheusApi(tsdb,
                new PrometheusApi.BuildInfo("3.0.0", "mantis", "main", "mantis", "20260101-00:00:00", "java21"));
        WriteApi write = new WriteApi(ingest, 32 * 1024 * 1024);
        mantis = HttpListener.builder("metrics", "127.0.0.1", 0).routes(sb -> {
            api.routes(sb);
            write.routes(sb);
        }).build();
        mantis.start();
        mantisBase = "http://127.0.0.1:" + mantis.port();
        prometheus = peer.join();
        for (byte[] body : dataSet()) {
            Answer p = write(prometheus.baseUrl(), body);
            Answer m = write(mantisBase, body);
            assertThat(p.status).as("Prometheus took the data set: %s%n%s", p.body, prometheus.logTail()).isEqualTo(204);
            assertThat(m.status).as("Mantis took the data set: %s", m.body).isEqualTo(204);
        }
    }

    /**
     * Prometheus 2.42 with exactly what the comparison needs: the remote-write receiver (a flag
     * since 2.33) and exemplar storage (a feature flag until 3.0), no scrape jobs.
     */
    private static PeerProcess startPrometheus(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\n");
        int port = PeerProcess.freePort();
        return PeerProcess.start("prometheus", port, dir, "/-/ready", List.of(
                PROMETHEUS_BIN.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                "--enable-feature=exemplar-storage"));
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

    /** Label values that exercise JSON escaping and ordering; the empty one must vanish. */
    static final String[] ODD_VALUES = {
        "plain",
        "ü-日本語-🙂",
        "say \"hi\"",
        "C:\\path\\to\\file",
        "line1\nline2",
        "tab\there\rcr",
        "<b>&amp;</b>",
        "sep\u2028para\u2029",
        "esc\u001b[0m bell\u0007",
        "bs\b ff\f",
        "\uFF76 halfwidth",
        "\uE000 private use",
        "\uD83D\uDE00 above the BMP",
        " leading space",
        "{}=,~!",
        "del\u007f",
    };

    /**
     * A node-exporter-like scrape every 15 s for 10 minutes, one remote-write request per scrape,
     * plus series that stop, a series ended by a staleness marker, a late series, a counter with
     * exemplars, odd label values and empty-valued labels (which both stores must drop).
     */
    private List<byte[]> dataSet() {
        List<byte[]> requests = new ArrayList<>();
        for (int k = 0; k < STEPS; k++) {
            RawRemoteWrite w = new RawRemoteWrite();
            if (k == 0) {
                w.metadata(Type.COUNTER, "node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", "seconds");
                w.metadata(Type.GAUGE, "node_memory_MemAvailable_bytes", "Memory information field MemAvailable_bytes.", "bytes");
                w.metadata(Type.COUNTER, "http_requests_total", "Requests served.", "");
            }
            long ts = t(k);
            for (String instance : List.of("node-1:9100", "node-2:9100")) {
                for (String cpu : List.of("0", "1")) {
                    for (String mode : List.of("idle", "system", "user")) {
                        double share = mode.equals("idle") ? 0.9 : mode.equals("user") ? 0.07 : 0.03;
                        // labels deliberately unsorted: receivers sort them
                        w.series("mode", mode, "__name__", "node_cpu_seconds_total", "cpu", cpu,
                                "instance", instance, "job", "node").sample(ts, 1000 + k * 15 * share);
                    }
                }
                w.series("__name__", "node_memory_MemAvailable_bytes", "instance", instance, "job", "node")
                        .sample(ts, 8_123_456_789.0 - k * 1_048_576);
                w.series("__name__", "node_filesystem_avail_bytes", "device", "/dev/sda1", "fstype", "ext4",
                        "instance", instance, "job", "node", "mountpoint", "/").sample(ts, 4.2e10 - k * 4096);
                w.series("__name__", "node_filesystem_avail_bytes", "device", "/dev/sda15", "fstype", "vfat",
                        "instance", instance, "job", "node", "mountpoint", "/boot/efi").sample(ts, 1.1e8);
                w.series("__name__", "node_uname_info", "domainname", "", "instance", instance, "job", "node",
                        "nodename", instance.substring(0, 6), "release", "6.1.0-18-amd64", "sysname", "Linux")
                        .sample(ts, 1);
                w.series("__name__", "up", "instance", instance, "job", "node").sample(ts, 1);
                w.series("__name__", "node_load1", "instance", instance, "job", "node").sample(ts, 0.01 * (k % 7));
            }
            // The same series, first written with an empty label that must be dropped, then without it.
            if (k < STEPS / 2) {
                w.series("__name__", "up", "env", "", "instance", "api-1:8080", "job", "api").sample(ts, 1);
            } else {
                w.series("__name__", "up", "instance", "api-1:8080", "job", "api").sample(ts, 1);
            }
            RawRemoteWrite.Series ok = w.series("__name__", "http_requests_total", "code", "200", "handler",
                    "/api/v1/query", "instance", "api-1:8080", "job", "api", "method", "GET").sample(ts, 17.0 * k);
            if (k % 5 == 0) {
                // .120 and .500 ms fractions: timestamps are printed with all three digits
                ok.exemplar(ts - 880, 0.0123 * (k + 1), "trace_id", String.format(Locale.ROOT, "%032x", 0xabcdefL * (k + 1)),
                        "span_id", String.format(Locale.ROOT, "%016x", 0x1234L * (k + 1)));
                ok.exemplar(ts - 500, 1e-7 * (k + 1), "trace_id", String.format(Locale.ROOT, "%032x", 0xfeedL * (k + 1)));
            }
            w.series("__name__", "http_requests_total", "code", "500", "handler", "/api/v1/query",
                    "instance", "api-1:8080", "job", "api", "method", "GET").sample(ts, 2.0 * (k / 10));
            for (String le : List.of("0.005", "0.1", "1", "+Inf")) {
                RawRemoteWrite.Series bucket = w.series("__name__", "http_request_duration_seconds_bucket", "handler",
                        "/api/v1/query", "instance", "api-1:8080", "job", "api", "le", le)
                        .sample(ts, 10.0 * k * (le.equals("0.005") ? 0.5 : 1));
                if (le.equals("0.1") && k % 10 == 3) { // bucket exemplars, as client libraries attach them
                    bucket.exemplar(ts - 7, 0.087, "trace_id", String.format(Locale.ROOT, "%032x", 0x5eedL * k));
                }
            }
            for (String v : ODD_VALUES) {
                w.series("__name__", "conformance_odd", "job", "odd", "value", v).sample(ts, v.length());
            }
            if (k < 8) { // a series that stops
                w.series("__name__", "batch_job_duration_seconds", "instance", "batch-1", "job", "batch")
                        .sample(ts, 12.5 + k);
            }
            if (k < 10) { // ended by a staleness marker, as Prometheus writes when a target disappears
                w.series("__name__", "conformance_stale", "instance", "gone:9100", "job", "node").sample(ts, 3);
            } else if (k == 10) {
                w.series("__name__", "conformance_stale", "instance", "gone:9100", "job", "node").sample(ts, STALE_NAN);
            }
            if (k >= 30) { // a series that starts late
                w.series("__name__", "node_disk_io_now", "device", "sdb", "instance", "node-1:9100", "job", "node")
                        .sample(ts, k - 30);
            }
            requests.add(w.snappy());
        }
        return requests;
    }

    // ------------------------------------------------------------------ plumbing

    private record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String field(String name) {
            JsonNode n = json().get(name);
            return n == null ? null : n.asText();
        }

        JsonNode data() {
            return json().get("data");
        }
    }

    /** A request asked of both servers. */
    private record Req(String method, String pathAndQuery, String form) {
        static Req get(String pathAndQuery) {
            return new Req("GET", pathAndQuery, null);
        }

        static Req post(String path, String form) {
            return new Req("POST", path, form);
        }

        @Override
        public String toString() {
            return method + " " + pathAndQuery + (form == null ? "" : " [" + form + "]");
        }
    }

    private Answer ask(String base, Req r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (r.form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(r.method, HttpRequest.BodyPublishers.ofString(r.form));
        } else {
            b.method(r.method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.headers().firstValue("content-type").orElse(""), resp.body());
    }

    private Answer write(String base, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/write")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        RemoteWriteEncoder.headers("mantis-conformance-it").forEach(b::header);
        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.headers().firstValue("content-type").orElse(""), resp.body());
    }

    /**
     * A documented difference between Prometheus 2.42's answer and Mantis': the reason, and what
     * must still hold between the two answers.
     */
    private record Allowance(String reason, Check check) {
    }

    @FunctionalInterface
    private interface Check {
        void check(SoftAssertions soft, Answer prometheus, Answer mantis);
    }

    /** Both answers must be the same bytes (and so the same status, error and data). */
    private void same(SoftAssertions soft, Req r) throws Exception {
        Answer p = ask(prometheus.baseUrl(), r);
        Answer m = ask(mantisBase, r);
        soft.assertThat(m.status).as("%s: status", r).isEqualTo(p.status);
        soft.assertThat(m.contentType).as("%s: content type", r).isEqualTo(p.contentType);
        soft.assertThat(m.body).as("%s: body", r).isEqualTo(p.body);
    }

    /** The answers differ as {@code allowance} documents; it checks what must still agree. */
    private void differs(SoftAssertions soft, Req r, Allowance allowance) throws Exception {
        Answer p = ask(prometheus.baseUrl(), r);
        Answer m = ask(mantisBase, r);
        soft.assertThat(m.body).as("%s: documented difference (%s) no longer shows; drop the allowance", r,
                allowance.reason).isNotEqualTo(p.body);
        allowance.check.check(soft, p, m);
    }

    // ------------------------------------------------------------------ documented differences

    private static void sameErrorKind(SoftAssertions soft, Answer p, Answer m) {
        soft.assertThat(m.status).as("status").isEqualTo(p.status);
        soft.assertThat(m.field("status")).as("status field").isEqualTo(p.field("status"));
        soft.assertThat(m.field("errorType")).as("errorType").isEqualTo(p.field("errorType"));
    }

    /**
     * {@code limit} on /series, /labels and /label/&lt;n&gt;/values came with Prometheus 2.49;
     * 2.42 ignores it and answers everything. Mantis answers as 3.x: the first {@code n} entries
     * of the same ordered answer, with the truncation warning.
     */
    private static Allowance limit(int n) {
        return new Allowance("limit is a 2.49+ parameter", (soft, p, m) -> {
            soft.assertThat(m.status).isEqualTo(200);
            JsonNode all = p.data();
            soft.assertThat(all.size()).as("Prometheus answered everything").isGreaterThan(n);
            List<JsonNode> head = new ArrayList<>();
            all.elements().forEachRemaining(e -> {
                if (head.size() < n) {
                    head.add(e);
                }
            });
            soft.assertThat(m.data()).as("Mantis answered the first %d", n).containsExactlyElementsOf(head);
            soft.assertThat(m.json().get("warnings")).as("warnings")
                    .isEqualTo(JSON.createArrayNode().add("results truncated due to limit"));
        });
    }

    /** 2.42 ignores a malformed limit; Mantis refuses it as 3.x does. */
    private static final Allowance BAD_LIMIT = new Allowance("limit is a 2.49+ parameter", (soft, p, m) -> {
        soft.assertThat(p.status).isEqualTo(200);
        soft.assertThat(m.status).isEqualTo(400);
        soft.assertThat(m.field("errorType")).isEqualTo("bad_data");
        soft.assertThat(m.field("error")).startsWith("invalid parameter \"limit\": ");
    });

    /**
     * Prometheus 3 accepts any UTF-8 label name in /label/&lt;n&gt;/values (2.42 only the classic
     * [a-zA-Z_][a-zA-Z0-9_]*); no series has the name, so Mantis answers an empty list.
     */
    private static final Allowance UTF8_LABEL_NAMES = new Allowance("UTF-8 label names are Prometheus 3", (soft, p, m) -> {
        soft.assertThat(p.status).isEqualTo(400);
        soft.assertThat(p.field("error")).startsWith("invalid label name: ");
        soft.assertThat(m.body).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    });

    /**
     * Prometheus' generated parser names internal token numbers in some messages
     * ({@code unexpected "<Item 57385>" <op:@>}); Mantis describes the character instead. Status,
     * error type and the position prefix agree.
     */
    private static final Allowance PARSER_TOKEN_WORDING = new Allowance("parser-internal token names", (soft, p, m) -> {
        sameErrorKind(soft, p, m);
        String pe = p.field("error");
        soft.assertThat(m.field("error")).startsWith(pe.substring(0, pe.indexOf("parse error: ") + "parse error: ".length()));
    });

    /** Prometheus 3's parser reports an empty expression at "unknown position"; 2.42 said 1:1. */
    private static final Allowance EMPTY_EXPRESSION_POSITION = new Allowance("3.x parser position", (soft, p, m) -> {
        sameErrorKind(soft, p, m);
        soft.assertThat(p.field("error")).isEqualTo("1:1: parse error: no expression found in input");
        soft.assertThat(m.field("error")).isEqualTo("unknown position: parse error: no expression found in input");
    });

    /** limit_per_metric came after 2.42, which ignores it; Mantis checks it as 3.x does. */
    private static final Allowance LIMIT_PER_METRIC = new Allowance("limit_per_metric is newer than 2.42", (soft, p, m) -> {
        soft.assertThat(p.status).isEqualTo(200);
        soft.assertThat(m.status).isEqualTo(400);
        soft.assertThat(m.field("error")).isEqualTo("limit_per_metric must be a number");
    });

    /**
     * Prometheus 2.42 keeps metric metadata only from its own scrapes and drops what remote write
     * carries; Mantis stores remote-write metadata (as Prometheus 3 does with metadata WAL records).
     */
    private static final Allowance REMOTE_WRITE_METADATA = new Allowance("2.42 drops remote-write metadata", (soft, p, m) -> {
        soft.assertThat(p.body).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        soft.assertThat(m.data().get("node_cpu_seconds_total")).as("Mantis metadata").isEqualTo(JSON.createArrayNode()
                .add(JSON.createObjectNode().put("type", "counter").put("help", "Seconds the CPUs spent in each mode.")
                        .put("unit", "seconds")));
    });

    /**
     * query_exemplars takes any PromQL expression and uses its selectors; Mantis has no PromQL
     * parser yet and takes a single selector only, refusing anything else as bad data.
     */
    private static Allowance exemplarsOfAnExpression(JsonNode selectorAnswer) {
        return new Allowance("no PromQL parser in Mantis yet", (soft, p, m) -> {
            soft.assertThat(p.data()).as("Prometheus used the expression's selector").isEqualTo(selectorAnswer);
            soft.assertThat(m.status).isEqualTo(400);
            soft.assertThat(m.field("errorType")).isEqualTo("bad_data");
        });
    }

    /**
     * With match[], Prometheus' head lists the names (values) of every matching series whenever
     * the window meets the head's time range at all, whether or not the series has samples in it.
     * Mantis only lists series with samples (chunks) in the window: a subset, namely exactly what
     * /api/v1/series answers for the same selectors and window.
     */
    private static Allowance perSeriesWindow(List<String> fromSeries) {
        return new Allowance("Mantis filters label lookups by each series' time range", (soft, p, m) -> {
            List<String> prom = new ArrayList<>();
            p.data().elements().forEachRemaining(e -> prom.add(e.asText()));
            List<String> mantis = new ArrayList<>();
            m.data().elements().forEachRemaining(e -> mantis.add(e.asText()));
            soft.assertThat(prom).as("Prometheus' answer").containsAll(mantis);
            soft.assertThat(mantis).as("Mantis' answer: the series answer's").containsExactlyElementsOf(fromSeries);
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Seconds as the API takes them: {@code 1700000000.123}. */
    private static String sec(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    private static String rfc3339(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    // ------------------------------------------------------------------ the comparisons

    @Test
    @Order(1)
    void seriesAnswersAreTheSame() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String all = "&match[]=" + enc("{job=~\".+\"}");
        for (String q : List.of(
                "match[]=up",
                "match[]=" + enc("{__name__=~\"node_.*\"}"),
                "match[]=" + enc("node_cpu_seconds_total{mode!=\"idle\",cpu=~\"0|1\"}"),
                "match[]=" + enc("{job=\"node\",instance!~\"node-1.*\"}"),
                "match[]=" + enc("{__name__=~\"node_(load1|uname_info)\",instance=\"node-2:9100\"}"),
                "match[]=up&match[]=http_requests_total",
                "match[]=up&match[]=" + enc("{job=\"api\"}"),
                "match[]=conformance_odd",
                "match[]=" + enc("conformance_odd{value=~\".*\\\".*\"}"),
                "match[]=" + enc("conformance_odd{value=\"line1\\nline2\"}"),
                "match[]=" + enc("conformance_odd{value=~\"C:\\\\\\\\.*\"}"),
                "match[]=" + enc("{job=\"nope\"}"),
                "match[]=" + enc("{env=\"\",job=\"api\"}"),
                "match[]=" + enc("{__name__=\"up\",env!=\"\"}"),
                "start=" + sec(t(20)) + "&end=" + sec(t(25)) + all,
                "start=" + sec(t(8)) + "&end=" + sec(t(9)) + all,
                "start=" + sec(t(7)) + "&end=" + sec(t(7)) + all,
                "start=" + sec(t(7) + 1) + "&end=" + sec(t(9)) + all,
                "start=" + sec(t(10)) + "&end=" + sec(t(11)) + all,
                "start=" + rfc3339(t(31)) + "&end=" + rfc3339(t(32)) + all,
                "start=" + sec(t(STEPS) + 3_600_000) + all,
                "end=" + sec(base - 1) + all,
                "start=" + (t(5) / 1000) + "&end=" + (t(6) / 1000) + "&match[]=batch_job_duration_seconds")) {
            same(soft, Req.get("/api/v1/series?" + q));
        }
        same(soft, Req.post("/api/v1/series", "match[]=" + enc("{job=\"batch\"}") + "&match[]=" + enc("up{job=\"api\"}")
                + "&start=" + sec(t(0)) + "&end=" + sec(t(39))));
        // Like Prometheus, an end before the start is not refused: the window still meets chunks.
        same(soft, Req.get("/api/v1/series?match[]=up&start=" + sec(t(2)) + "&end=" + sec(t(1))));
        differs(soft, Req.get("/api/v1/series?match[]=" + enc("{job=\"node\"}") + "&limit=3"), limit(3));
        differs(soft, Req.get("/api/v1/series?match[]=up&limit=abc"), BAD_LIMIT);
        differs(soft, Req.get("/api/v1/series?match[]=up&limit=-1"), BAD_LIMIT);
        soft.assertAll();
    }

    @Test
    @Order(2)
    void labelNamesAreTheSame() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (String q : List.of(
                "",
                "?match[]=up",
                "?match[]=up&match[]=conformance_odd",
                "?match[]=" + enc("{job=\"nope\"}"),
                "?start=" + sec(t(20)) + "&end=" + sec(t(25)),
                "?start=" + rfc3339(t(0)) + "&end=" + rfc3339(t(39)) + "&match[]=node_uname_info",
                "?start=" + sec(t(STEPS) + 3_600_000),
                "?end=" + sec(base - 60_000))) {
            same(soft, Req.get("/api/v1/labels" + q));
        }
        same(soft, Req.post("/api/v1/labels", "match[]=" + enc("{__name__=~\"node_filesystem.*\"}")));
        same(soft, Req.get("/api/v1/labels?start=" + sec(t(2)) + "&end=" + sec(t(1))));
        differs(soft, Req.get("/api/v1/labels?limit=2"), limit(2));
        for (String window : List.of("&start=" + sec(t(20)) + "&end=" + sec(t(25)), "&start=" + sec(t(5)) + "&end=" + sec(t(20)))) {
            String selector = "match[]=" + enc("{__name__=~\"batch.*|conformance_stale|node_disk_io_now\"}");
            TreeSet<String> names = new TreeSet<>();
            ask(prometheus.baseUrl(), Req.get("/api/v1/series?" + selector + window)).data()
                    .elements().forEachRemaining(series -> series.fieldNames().forEachRemaining(names::add));
            differs(soft, Req.get("/api/v1/labels?" + selector + window), perSeriesWindow(new ArrayList<>(names)));
        }
        soft.assertAll();
    }

    @Test
    @Order(3)
    void labelValuesAreTheSame() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (String q : List.of(
                "__name__/values",
                "job/values",
                "value/values",
                "env/values",
                "domainname/values",
                "nope/values",
                "U__a_2e_b/values",
                "instance/values?match[]=" + enc("{job=\"node\"}"),
                "mode/values?match[]=" + enc("node_cpu_seconds_total{cpu=\"0\"}") + "&match[]="
                        + enc("node_cpu_seconds_total{mode=~\"u.*\"}"),
                "le/values?match[]=" + enc("http_request_duration_seconds_bucket"),
                "__name__/values?start=" + sec(t(20)) + "&end=" + sec(t(25)),
                "__name__/values?start=" + sec(t(STEPS) + 3_600_000),
                "job/values?end=" + sec(base - 60_000))) {
            same(soft, Req.get("/api/v1/label/" + q));
        }
        same(soft, Req.get("/api/v1/label/job/values?start=" + sec(t(2)) + "&end=" + sec(t(1))));
        differs(soft, Req.get("/api/v1/label/__name__/values?limit=2"), limit(2));
        differs(soft, Req.get("/api/v1/label/host.name/values"), UTF8_LABEL_NAMES);
        String selector = "match[]=" + enc("{job=\"node\"}") + "&start=" + sec(t(12)) + "&end=" + sec(t(20));
        TreeSet<String> instances = new TreeSet<>();
        ask(prometheus.baseUrl(), Req.get("/api/v1/series?" + selector)).data()
                .elements().forEachRemaining(series -> instances.add(series.get("instance").asText()));
        differs(soft, Req.get("/api/v1/label/instance/values?" + selector), perSeriesWindow(new ArrayList<>(instances)));
        soft.assertAll();
    }

    @Test
    @Order(4)
    void exemplarAnswersAreTheSame() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String window = "&start=" + sec(base - 60_000) + "&end=" + sec(t(STEPS));
        for (String q : List.of(
                "query=http_requests_total" + window,
                "query=http_requests_total",
                "query=" + enc("{__name__=~\"http_.*\"}") + window,
                "query=" + enc("http_requests_total{code=\"500\"}") + window,
                "query=" + enc("http_requests_total{code=\"200\"}") + "&start=" + sec(t(10) - 1000) + "&end="
                        + sec(t(10)),
                "query=test&start=1700000000000&end=1700000600000")) {
            same(soft, Req.get("/api/v1/query_exemplars?" + q));
        }
        same(soft, Req.post("/api/v1/query_exemplars", "query=" + enc("http_requests_total{job=\"api\"}") + window));
        JsonNode plain = ask(prometheus.baseUrl(), Req.get("/api/v1/query_exemplars?query=http_requests_total" + window)).data();
        differs(soft, Req.get("/api/v1/query_exemplars?query=" + enc("sum by (code) (rate(http_requests_total[5m]))") + window),
                exemplarsOfAnExpression(plain));
        soft.assertAll();
    }

    @Test
    @Order(5)
    void errorAnswersAreTheSame() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (String q : List.of(
                "/api/v1/series",
                "/api/v1/series?start=1",
                "/api/v1/series?match[]=" + enc("up{job=}"),
                "/api/v1/series?match[]=" + enc("{job=~\".*\"}"),
                "/api/v1/series?match[]=" + enc("up{job=\"api\"") ,
                "/api/v1/series?match[]=up&start=yesterday",
                "/api/v1/series?match[]=up&end=abc",
                "/api/v1/labels?start=yesterday",
                "/api/v1/labels?match[]=" + enc("up{"),
                "/api/v1/label/job/values?end=abc",
                "/api/v1/query_exemplars?query=" + enc("up{"),
                "/api/v1/query_exemplars?query=up&start=abc",
                "/api/v1/query_exemplars?query=up&start=" + sec(t(2)) + "&end=" + sec(t(1)),
                "/api/v1/metadata?limit=abc")) {
            same(soft, Req.get(q));
        }
        differs(soft, Req.get("/api/v1/label/job/values?match[]=" + enc("@@@")), PARSER_TOKEN_WORDING);
        differs(soft, Req.get("/api/v1/query_exemplars?query="), EMPTY_EXPRESSION_POSITION);
        differs(soft, Req.get("/api/v1/metadata?limit_per_metric=abc"), LIMIT_PER_METRIC);
        differs(soft, Req.get("/api/v1/metadata"), REMOTE_WRITE_METADATA);
        soft.assertAll();
    }

    @Test
    @Order(6)
    void statusPagesHaveTheSameShape() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        // The head's cardinality must agree exactly; rankings agree but for the order of ties.
        Answer p = ask(prometheus.baseUrl(), Req.get("/api/v1/status/tsdb"));
        Answer m = ask(mantisBase, Req.get("/api/v1/status/tsdb"));
        soft.assertThat(m.status).isEqualTo(200);
        soft.assertThat(fieldNames(m.data())).isEqualTo(fieldNames(p.data()));
        soft.assertThat(m.data().get("headStats")).as("headStats").isEqualTo(p.data().get("headStats"));
        for (String ranking : List.of("seriesCountByMetricName", "labelValueCountByLabelName",
                "memoryInBytesByLabelName", "seriesCountByLabelValuePair")) {
            rankingsAgree(soft, ranking, p.data().get(ranking), m.data().get(ranking));
        }

        // Build and runtime information name the product and the process: the same fields, of
        // the same types, in the same order; the values that describe the store agree.
        p = ask(prometheus.baseUrl(), Req.get("/api/v1/status/buildinfo"));
        m = ask(mantisBase, Req.get("/api/v1/status/buildinfo"));
        soft.assertThat(fieldNames(m.data())).as("buildinfo fields").isEqualTo(fieldNames(p.data()));
        p = ask(prometheus.baseUrl(), Req.get("/api/v1/status/runtimeinfo"));
        m = ask(mantisBase, Req.get("/api/v1/status/runtimeinfo"));
        List<String> expected = fieldNames(p.data());
        // GOMEMLIMIT joined runtimeinfo after 2.42 (Prometheus 3 reports it after GOMAXPROCS).
        expected.add(expected.indexOf("GOMAXPROCS") + 1, "GOMEMLIMIT");
        soft.assertThat(fieldNames(m.data())).as("runtimeinfo fields").isEqualTo(expected);
        for (String same : List.of("reloadConfigSuccess", "corruptionCount", "GOMAXPROCS", "GOGC", "GODEBUG", "storageRetention")) {
            soft.assertThat(m.data().get(same)).as("runtimeinfo %s", same).isEqualTo(p.data().get(same));
        }
        for (String time : List.of("startTime", "lastConfigTime")) {
            soft.assertThat(m.data().get(time).asText()).as("runtimeinfo %s, as Go writes times", time)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z");
        }
        soft.assertThat(m.data().get("lastConfigTime").asText()).as("whole seconds, as Prometheus keeps it")
                .doesNotContain(".");

        // Mantis reports the few flags that mean something for it, under Prometheus' names, with
        // their effective values (Prometheus echoes the command line: 0s for an unset retention).
        p = ask(prometheus.baseUrl(), Req.get("/api/v1/status/flags"));
        m = ask(mantisBase, Req.get("/api/v1/status/flags"));
        soft.assertThat(fieldNames(p.data())).as("flags").containsAll(fieldNames(m.data()));

        // Probes: same status and type; the text names the product.
        for (String probe : List.of("/-/ready", "/-/healthy")) {
            p = ask(prometheus.baseUrl(), Req.get(probe));
            m = ask(mantisBase, Req.get(probe));
            soft.assertThat(m.status).as(probe).isEqualTo(p.status);
            soft.assertThat(m.contentType).as(probe).isEqualTo(p.contentType);
            soft.assertThat(m.body).as(probe).endsWith(p.body.substring(p.body.lastIndexOf(" is ")));
        }
        soft.assertAll();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /**
     * A top-N ranking: the same counts in the same order, and the same names for every count
     * above the last one. Prometheus orders equal counts by heap position, Mantis by name, so
     * which of several tied entries are shown at the cut-off may differ.
     */
    private static void rankingsAgree(SoftAssertions soft, String what, JsonNode p, JsonNode m) {
        List<Long> pv = new ArrayList<>();
        List<Long> mv = new ArrayList<>();
        p.elements().forEachRemaining(e -> pv.add(e.get("value").asLong()));
        m.elements().forEachRemaining(e -> mv.add(e.get("value").asLong()));
        soft.assertThat(mv).as("%s counts", what).isEqualTo(pv);
        if (pv.isEmpty()) {
            return;
        }
        long cut = pv.get(pv.size() - 1);
        Map<String, Long> pn = new LinkedHashMap<>();
        Map<String, Long> mn = new LinkedHashMap<>();
        p.elements().forEachRemaining(e -> {
            if (e.get("value").asLong() > cut) {
                pn.put(e.get("name").asText(), e.get("value").asLong());
            }
        });
        m.elements().forEachRemaining(e -> {
            if (e.get("value").asLong() > cut) {
                mn.put(e.get("name").asText(), e.get("value").asLong());
            }
        });
        soft.assertThat(mn).as("%s entries above the cut-off", what).containsExactlyInAnyOrderEntriesOf(pn);
    }

    /**
     * Refusals, which both sides document differently: Prometheus 2.42 (out-of-order window
     * off) refuses a whole request when one sample is out of order or a duplicate with another
     * value, and stores nothing of it; Mantis stores the valid rest and answers 400 naming the
     * first refused sample. Both keep silent about an identical duplicate, and neither fails a
     * request over an exemplar it cannot store.
     */
    @Test
    @Order(7)
    void remoteWriteRefusalsFollowEachSidesDocumentedBehaviour() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        long newest = t(STEPS - 1);

        RawRemoteWrite w = new RawRemoteWrite();
        w.series("__name__", "up", "instance", "node-1:9100", "job", "node").sample(t(5), 1);
        w.series("__name__", "conformance_refusal", "case", "out_of_order").sample(newest, 1);
        byte[] outOfOrder = w.snappy();
        Answer p = write(prometheus.baseUrl(), outOfOrder);
        Answer m = write(mantisBase, outOfOrder);
        soft.assertThat(p.status).as("Prometheus, out of order").isEqualTo(400);
        soft.assertThat(p.body).as("Prometheus, out of order").contains("out of order sample");
        soft.assertThat(m.status).as("Mantis, out of order").isEqualTo(400);
        soft.assertThat(m.body).as("Mantis, out of order").startsWith(
                "out of order sample for series {__name__=\"up\", instance=\"node-1:9100\", job=\"node\"} at timestamp " + t(5));

        w = new RawRemoteWrite();
        w.series("__name__", "up", "instance", "node-1:9100", "job", "node").sample(newest, 0);
        w.series("__name__", "conformance_refusal", "case", "duplicate").sample(newest, 1);
        byte[] duplicate = w.snappy();
        p = write(prometheus.baseUrl(), duplicate);
        m = write(mantisBase, duplicate);
        soft.assertThat(p.status).as("Prometheus, duplicate").isEqualTo(400);
        soft.assertThat(p.body).as("Prometheus, duplicate").contains("duplicate sample for timestamp");
        soft.assertThat(m.status).as("Mantis, duplicate").isEqualTo(400);
        soft.assertThat(m.body).as("Mantis, duplicate").startsWith("duplicate sample for timestamp for series {__name__=\"up\"");

        w = new RawRemoteWrite();
        w.series("__name__", "up", "instance", "node-1:9100", "job", "node").sample(newest, 1);
        w.series("__name__", "conformance_refusal", "case", "same_duplicate").sample(newest, 1);
        byte[] sameAgain = w.snappy();
        soft.assertThat(write(prometheus.baseUrl(), sameAgain).status).as("Prometheus, identical duplicate").isEqualTo(204);
        soft.assertThat(write(mantisBase, sameAgain).status).as("Mantis, identical duplicate").isEqualTo(204);

        // An exemplar older than the series' newest one cannot be stored; the sample still is.
        w = new RawRemoteWrite();
        w.series("__name__", "http_requests_total", "code", "200", "handler", "/api/v1/query", "instance", "api-1:8080",
                "job", "api", "method", "GET").exemplar(t(1), 9, "trace_id", "00000000000000000000000000000001");
        w.series("__name__", "conformance_refusal", "case", "old_exemplar").sample(newest, 1);
        byte[] oldExemplar = w.snappy();
        p = write(prometheus.baseUrl(), oldExemplar);
        m = write(mantisBase, oldExemplar);
        soft.assertThat(p.status).as("Prometheus, old exemplar: %s", p.body).isEqualTo(204);
        soft.assertThat(m.status).as("Mantis, old exemplar: %s", m.body).isEqualTo(204);

        String stored = "/api/v1/label/case/values?match[]=conformance_refusal";
        soft.assertThat(ask(prometheus.baseUrl(), Req.get(stored)).body).as("Prometheus kept")
                .isEqualTo("{\"status\":\"success\",\"data\":[\"old_exemplar\",\"same_duplicate\"]}");
        soft.assertThat(ask(mantisBase, Req.get(stored)).body).as("Mantis kept").isEqualTo(
                "{\"status\":\"success\",\"data\":[\"duplicate\",\"old_exemplar\",\"out_of_order\",\"same_duplicate\"]}");
        // Neither let the refused samples in: the newest value of the series is still 1.
        same(soft, Req.get("/api/v1/query_exemplars?query=" + enc("http_requests_total{code=\"200\"}")
                + "&start=" + sec(t(0) - 1000) + "&end=" + sec(t(2))));
        soft.assertAll();
    }
}
