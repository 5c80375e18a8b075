package io.mantis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PromQL query latency side by side: the same node-exporter-like data (with classic histograms,
 * {@link NodeExporterStream}) is written by remote write to Mantis, Prometheus and
 * VictoriaMetrics, then the fixed {@link QuerySet} runs against each over
 * {@code /api/v1/query_range} and {@code /api/v1/query}, and the latency per query per store is
 * reported (p50, p90) with the ratios Mantis / Prometheus and Mantis / VictoriaMetrics.
 *
 * <p>Layout on a 2-core machine: the three servers run at the same time, all pinned to the same
 * core ({@code --core}, 1 by default) while this client runs on the other ({@code taskset -c 0}).
 * Queries are sent one at a time; each repetition round asks every store the same query in turn
 * (interleaved), so that a disturbance on the machine (other builds) falls on all three alike
 * instead of on whichever store happened to be measured then. Idle servers use next to no CPU;
 * the run waits until all three are idle (head compaction, merges) before it measures.
 *
 * <p>Data: {@code --series} series for {@code --hours} at {@code --interval}, timestamps in the
 * past ending about two minutes ago, written oldest first, one time slice (all series of one
 * round) after another, with a barrier every few rounds so the senders' lanes never drift apart.
 * That is what all three accept: Prometheus and Mantis refuse samples older than an hour behind
 * the newest sample of their head (and older than their newest block), VictoriaMetrics takes
 * anything within its retention.
 *
 * <pre>
 * ./mvnw -q -o -pl mantis-bench -am package -DskipTests
 * taskset -c 0 java -cp mantis-bench/target/mantis-bench.jar io.mantis.bench.QueryLoad
 * taskset -c 0 java -cp mantis-bench/target/mantis-bench.jar io.mantis.bench.QueryLoad --quick
 * </pre>
 */
public final class QueryLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLE_OFFSET_MILLIS = 8_000;
    private static final long QUERY_OFFSET_MILLIS = 3_000;

    private QueryLoad() {
    }

    /** Command-line settings. */
    static final class Options extends ServerOptions {
        int series = 30_000;
        double hours = 3;
        long intervalMillis = 15_000;
        long rangeMillis = 3_600_000;
        long stepMillis = 30_000;
        int warmup = 5;
        int warmupRounds = 100;
        int reps = 40;
        int batch = 2000;
        int inflight = 4;
        List<String> only = List.of();
        int jfrSeconds = 60;

        Options() {
            // Queries go to every store in turn; Prometheus, the reference, right after Mantis.
            servers = List.of("mantis", "prometheus", "victoriametrics");
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        o.series = 3_000;
                        o.hours = 1.25;
                        o.warmup = 2;
                        o.warmupRounds = 2;
                        o.reps = 3;
                        o.jfrSeconds = 10;
                    }
                    case "--series" -> o.series = Integer.parseInt(args[++i]);
                    case "--hours" -> o.hours = Double.parseDouble(args[++i]);
                    case "--interval" -> o.intervalMillis = millis(args[++i]);
                    case "--range" -> o.rangeMillis = millis(args[++i]);
                    case "--step" -> o.stepMillis = millis(args[++i]);
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--warmup-rounds" -> o.warmupRounds = Integer.parseInt(args[++i]);
                    case "--reps" -> o.reps = Integer.parseInt(args[++i]);
                    case "--batch" -> o.batch = Integer.parseInt(args[++i]);
                    case "--inflight" -> o.inflight = Integer.parseInt(args[++i]);
                    case "--queries" -> o.only = List.of(args[++i].split(","));
                    case "--jfr-seconds" -> o.jfrSeconds = Integer.parseInt(args[++i]);
                    default -> i = o.parseShared(args, i, QueryLoad.class);
                }
            }
            o.checkServers();
            if (o.reps < 1 || o.warmup < 0 || o.warmupRounds < 0) {
                throw new IllegalArgumentException(
                        "--reps must be at least 1, --warmup and --warmup-rounds at least 0");
            }
            return o;
        }

        List<QuerySet.Query> queries() {
            List<QuerySet.Query> all = QuerySet.all();
            if (only.isEmpty()) {
                return all;
            }
            return all.stream().filter(q -> only.contains(q.name())).toList();
        }
    }

    /**
     * What a store answered: the result type, how many series (or samples), the sum of the values
     * at the last timestamp of each series (a cheap fingerprint to compare values), or the error.
     */
    record Answer(String resultType, int series, double lastSum, String error) {
        static Answer parse(String body) {
            try {
                JsonNode root = JSON.readTree(body);
                if (!"success".equals(root.path("status").asText())) {
                    return new Answer("", -1, Double.NaN, root.path("errorType").asText() + ": "
                            + root.path("error").asText());
                }
                JsonNode data = root.path("data");
                String type = data.path("resultType").asText();
                JsonNode result = data.path("result");
                double sum = 0;
                int n = 0;
                switch (type) {
                    case "matrix" -> {
                        for (JsonNode s : result) {
                            JsonNode values = s.path("values");
                            if (!values.isEmpty()) {
                                sum += values.get(values.size() - 1).get(1).asDouble();
                            }
                            n++;
                        }
                    }
                    case "vector" -> {
                        for (JsonNode s : result) {
                            sum += s.path("value").get(1).asDouble();
                            n++;
                        }
                    }
                    case "scalar" -> {
                        sum = result.get(1).asDouble();
                        n = 1;
                    }
                    default -> n = 0;
                }
                return new Answer(type, n, sum, null);
            } catch (IOException | RuntimeException e) {
                return new Answer("", -1, Double.NaN, "unparseable answer: " + e);
            }
        }
    }

    /** Latencies of one query on one store. */
    static final class Timing {
        final long[] nanos;
        int n;
        double cpuSeconds;
        Answer answer;

        Timing(int reps) {
            nanos = new long[reps];
        }

        void add(long ns) {
            nanos[n++] = ns;
        }

        double percentileMillis(double p) {
            return percentile(Arrays.copyOf(nanos, n), p) / 1e6;
        }

        double cpuMillisPerQuery() {
            // /proc counts in clock ticks (10 ms): only the mean over many runs means anything.
            return n == 0 ? Double.NaN : Math.max(0, cpuSeconds * 1000 / n);
        }
    }

    /** Nearest-rank percentile of {@code values} (sorted here), {@code p} in (0, 100]. */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path work = o.dir != null ? o.dir : Files.createTempDirectory("query-load");
        Files.createDirectories(work);
        long now = System.currentTimeMillis();
        int rounds = (int) Math.round(o.hours * 3_600_000 / o.intervalMillis) + 1;
        long end = (now - TimeUnit.MINUTES.toMillis(2)) / o.intervalMillis * o.intervalMillis;
        // Samples sit 8 s before the 15 s grid and query times 3 s before it, so no sample falls on
        // the left edge of a range window and no subquery step (a multiple of 1m) on the left edge
        // of a subquery's range: Prometheus 2.x closes ranges on the left, Prometheus 3 and Mantis
        // open them, and an edge sample would change the answers. Real scrapes rarely sit on an edge.
        long start = end - (rounds - 1) * o.intervalMillis - SAMPLE_OFFSET_MILLIS;
        NodeExporterStream stream = new NodeExporterStream(o.series, start, o.intervalMillis, true);
        long samples = (long) rounds * o.series;
        System.out.printf(Locale.ROOT, "query load: client sees %d core(s), pid %d; servers on core %s, all running"
                        + " at once, queried one at a time%n", Runtime.getRuntime().availableProcessors(),
                ProcessHandle.current().pid(), o.core);
        System.out.println("stream: " + stream.describe());
        System.out.printf(Locale.ROOT, "data: %d rounds at %d ms from %s to %s = %,d samples per store; work dir %s%n",
                rounds, o.intervalMillis, Instant.ofEpochMilli(start), Instant.ofEpochMilli(stream.timestamp(rounds - 1)), samples, work);
        // Off the scrape grid and off every subquery step, for the same reason as the samples.
        long qEnd = end - QUERY_OFFSET_MILLIS;
        long qStart = qEnd - o.rangeMillis;
        System.out.printf(Locale.ROOT, "queries: range [%s, %s] step %d s (%d points), instant at %s; %d warm-up"
                        + " rounds of the whole set, then per query and store %d warm-up and %d measured runs%n",
                Instant.ofEpochMilli(qStart), Instant.ofEpochMilli(qEnd), o.stepMillis / 1000,
                o.rangeMillis / o.stepMillis + 1, Instant.ofEpochMilli(qEnd), o.warmupRounds, o.warmup, o.reps);

        Map<String, StoreProcess> stores = new LinkedHashMap<>();
        try {
            for (String name : o.servers) {
                StoreProcess s = server(name, o);
                s.start(work, "query");
                stores.put(name, s);
                System.out.println("== " + name + ": " + s.version() + " (pid " + s.pid() + ", port " + s.port + ")");
            }
            for (StoreProcess s : stores.values()) {
                write(o, s, stream, rounds);
            }
            for (StoreProcess s : stores.values()) {
                if (s instanceof StoreProcess.VictoriaMetrics) {
                    s.get("/internal/force_flush");
                }
            }
            waitQueryable(stores, stream, end);
            waitIdle(stores, Duration.ofMinutes(o.hours > 2 ? 6 : 2));

            List<QuerySet.Query> queries = o.queries();
            Map<QuerySet.Query, Map<String, Timing>> results = new LinkedHashMap<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            warmUp(o, http, stores, queries, qStart, qEnd);
            for (QuerySet.Query q : queries) {
                results.put(q, measure(o, http, stores, q, qStart, qEnd));
            }
            System.out.println();
            report(o, stores.keySet(), results);
            if (o.jfr != null && stores.containsKey("mantis")) {
                profile(o, http, stores.get("mantis"), queries, qStart, qEnd);
            }
        } finally {
            LEAN.values().forEach(LeanHttpClient::close);
            for (StoreProcess s : stores.values()) {
                s.stop();
                if (!o.keep) {
                    StoreProcess.deleteTree(s.dataDir);
                }
            }
        }
        System.exit(0);
    }

    private static StoreProcess server(String name, Options o) {
        return switch (name) {
            case "mantis" -> {
                List<String> jvm = new ArrayList<>();
                if (o.java.equals(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                        && Runtime.version().feature() >= 23) {
                    jvm.add("--sun-misc-unsafe-memory-access=allow");
                }
                jvm.addAll(o.mantisJvmOptions);
                yield new StoreProcess.Mantis(o.core, o.java, o.jar, jvm, "interval", "");
            }
            case "prometheus" -> new StoreProcess.Prometheus(o.core, o.prometheus);
            // Repeated identical range queries would otherwise be answered from its rollup result
            // cache; the other two have no result cache.
            default -> new StoreProcess.VictoriaMetrics(o.core, o.victoriaMetrics, List.of("-search.disableCache"));
        };
    }

    /** Writes every round oldest first, waiting for all lanes every {@code barrier} rounds. */
    private static void write(Options o, StoreProcess store, NodeExporterStream stream, int rounds) throws Exception {
        int batch = Math.min(o.batch, (o.series + o.inflight - 1) / o.inflight);
        int barrier = 20;
        NodeExporterStream.Encoder enc = new NodeExporterStream.Encoder();
        double[] cpu0 = ProcStats.userSystemSeconds(store.pid());
        long t0 = System.nanoTime();
        long acked = 0;
        long failed = 0;
        String firstError = null;
        try (RemoteWriteSender sender = new RemoteWriteSender(store.writeUrl(), o.inflight)) {
            for (int r0 = 0; r0 < rounds; r0 += barrier) {
                List<RemoteWriteSender.Body> bodies = new ArrayList<>();
                for (int r = r0; r < Math.min(rounds, r0 + barrier); r++) {
                    for (int from = 0; from < o.series; from += batch) {
                        int to = Math.min(o.series, from + batch);
                        bodies.add(new RemoteWriteSender.Body(stream.encode(enc, r, from, to), to - from, from / batch));
                    }
                }
                RemoteWriteSender.Result res = sender.send(bodies.iterator(), 0, 0);
                acked += res.samples();
                failed += res.failed();
                if (firstError == null) {
                    firstError = res.firstError();
                }
            }
        }
        double[] cpu1 = ProcStats.userSystemSeconds(store.pid());
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s: wrote %,d samples in %.1f s (%,.0f samples/s, server CPU %.1f s), %d"
                        + " failed requests%s%n", store.name, acked, seconds, acked / seconds,
                cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1], failed, firstError == null ? "" : " (first: " + firstError + ")");
    }

    /** Waits until every store answers {@code count(up)} with every target, at the last timestamp. */
    private static void waitQueryable(Map<String, StoreProcess> stores, NodeExporterStream stream, long end)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (StoreProcess s : stores.values()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            Answer a = null;
            while (System.nanoTime() < deadline) {
                a = Answer.parse(get(http, s, "/api/v1/query?query=" + enc("count(up)") + "&time=" + seconds(end)));
                if (a.error() == null && a.series() == 1 && a.lastSum() == stream.countSeries("up")) {
                    break;
                }
                Thread.sleep(1000);
            }
            Answer samples = Answer.parse(get(http, s, "/api/v1/query?query="
                    + enc("sum(count_over_time(up[1d]))") + "&time=" + seconds(end)));
            System.out.printf(Locale.ROOT, "%s: count(up) = %s, up samples stored = %.0f (expected %d)%n", s.name,
                    a == null ? "-" : String.valueOf(a.lastSum()), samples.lastSum(),
                    (long) stream.countSeries("up") * (Math.floorDiv(end - stream.timestamp(0), stream.intervalMillis()) + 1));
        }
    }

    /** Waits until no server used more than 3 % of a core over 3 consecutive 2 s windows. */
    private static void waitIdle(Map<String, StoreProcess> stores, Duration max) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            double[] before = new double[stores.size()];
            int i = 0;
            for (StoreProcess s : stores.values()) {
                double[] us = ProcStats.userSystemSeconds(s.pid());
                before[i++] = us[0] + us[1];
            }
            Thread.sleep(2000);
            boolean idle = true;
            i = 0;
            for (StoreProcess s : stores.values()) {
                double[] us = ProcStats.userSystemSeconds(s.pid());
                idle &= us[0] + us[1] - before[i++] < 0.06;
            }
            quiet = idle ? quiet + 1 : 0;
        }
        System.out.printf(Locale.ROOT, "servers idle after %.0f s%s%n", (System.nanoTime() - t0) / 1e9,
                quiet < 3 ? " (NOT idle at the deadline: figures may be disturbed)" : "");
    }

    /**
     * Asks every store the whole set {@code --warmup-rounds} times, then waits until they are idle:
     * a server runs for days, so what users see is its latency with the code compiled. Without
     * this, the first queries of the set were measured while the JVM's compiler was still busy
     * (on the server's one core), and a Go server needs no warming, so they compared unlike
     * states. Each store gets the same rounds.
     */
    private static void warmUp(Options o, HttpClient http, Map<String, StoreProcess> stores,
                               List<QuerySet.Query> queries, long qStart, long qEnd) throws Exception {
        if (o.warmupRounds == 0) {
            return;
        }
        long t0 = System.nanoTime();
        for (int round = 0; round < o.warmupRounds; round++) {
            for (QuerySet.Query q : queries) {
                for (StoreProcess s : stores.values()) {
                    fetch(http, s, path(o, q, qStart, qEnd));
                }
            }
        }
        System.out.printf(Locale.ROOT, "warm-up: %d rounds of %d queries on every store in %.0f s%n",
                o.warmupRounds, queries.size(), (System.nanoTime() - t0) / 1e9);
        waitIdle(stores, Duration.ofMinutes(2));
    }

    private static String path(Options o, QuerySet.Query q, long qStart, long qEnd) {
        return q.range()
                ? "/api/v1/query_range?query=" + enc(q.expr()) + "&start=" + seconds(qStart) + "&end=" + seconds(qEnd)
                        + "&step=" + o.stepMillis / 1000.0
                : "/api/v1/query?query=" + enc(q.expr()) + "&time=" + seconds(qEnd);
    }

    private static Map<String, Timing> measure(Options o, HttpClient http, Map<String, StoreProcess> stores,
                                               QuerySet.Query q, long qStart, long qEnd) throws Exception {
        String path = path(o, q, qStart, qEnd);
        Map<String, Timing> out = new LinkedHashMap<>();
        for (Map.Entry<String, StoreProcess> e : stores.entrySet()) {
            Timing t = new Timing(o.reps);
            t.answer = Answer.parse(get(http, e.getValue(), path));
            for (int i = 1; i < o.warmup; i++) {
                fetch(http, e.getValue(), path);
            }
            out.put(e.getKey(), t);
        }
        // Interleaved: each round asks every store once, so machine noise is shared out evenly.
        for (int rep = 0; rep < o.reps; rep++) {
            for (Map.Entry<String, StoreProcess> e : stores.entrySet()) {
                Timing t = out.get(e.getKey());
                long pid = e.getValue().pid();
                double[] c0 = ProcStats.userSystemSeconds(pid);
                long t0 = System.nanoTime();
                fetch(http, e.getValue(), path);
                t.add(System.nanoTime() - t0);
                double[] c1 = ProcStats.userSystemSeconds(pid);
                t.cpuSeconds += c1[0] + c1[1] - c0[0] - c0[1];
            }
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-42s", q.label()));
        for (Map.Entry<String, Timing> e : out.entrySet()) {
            Timing t = e.getValue();
            line.append(String.format(Locale.ROOT, "  %s p50 %.1f ms p90 %.1f ms (%s %d)", e.getKey(),
                    t.percentileMillis(50), t.percentileMillis(90), t.answer.resultType(), t.answer.series()));
            if (t.answer.error() != null) {
                line.append(" ERROR ").append(t.answer.error());
            }
        }
        System.out.println(line);
        return out;
    }

    private static String get(HttpClient http, StoreProcess s, String pathAndQuery)
            throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(request(s, pathAndQuery), HttpResponse.BodyHandlers.ofString());
        return res.body();
    }

    /** Per server, the kept-alive connection timed requests go over. */
    private static final Map<StoreProcess, LeanHttpClient> LEAN = new java.util.IdentityHashMap<>();

    /**
     * A timed request: the whole answer is received, and dropped. It goes through
     * {@link LeanHttpClient}: the JDK's client spent ~2 ms on a few hundred kilobytes of answer
     * (and more decoding it into a string), the same for every store, which pulled every ratio
     * towards 1. Answers are compared from the untimed first request.
     */
    private static void fetch(HttpClient http, StoreProcess s, String pathAndQuery) throws IOException {
        int status = LEAN.computeIfAbsent(s, k -> new LeanHttpClient("127.0.0.1", k.port)).get(pathAndQuery);
        if (status != 200) {
            throw new IOException(s.name + " answered " + status + " to " + pathAndQuery);
        }
    }

    private static HttpRequest request(StoreProcess s, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + pathAndQuery))
                .timeout(Duration.ofMinutes(5)).build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /**
     * Whether the answers agree: Mantis' and Prometheus' series counts and values (the sum of the
     * last points) must match; VictoriaMetrics' rollups differ by design (rate without
     * extrapolation, its own topk and lookback rules), so only its series count is shown when it
     * differs.
     */
    static String agreement(Map<String, Timing> t) {
        for (Map.Entry<String, Timing> e : t.entrySet()) {
            if (e.getValue().answer.error() != null) {
                return e.getKey() + " failed";
            }
        }
        Timing m = t.get("mantis");
        Timing p = t.get("prometheus");
        Timing v = t.get("victoriametrics");
        Timing ref = m != null ? m : p != null ? p : v;
        StringBuilder sb = new StringBuilder().append(ref.answer.series()).append(" series");
        if (m != null && p != null) {
            if (m.answer.series() != p.answer.series()) {
                sb.append("; Prometheus ").append(p.answer.series()).append(" (DIFFERENT)");
            } else {
                double a = m.answer.lastSum();
                double b = p.answer.lastSum();
                double rel = a == b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
                sb.append(rel <= 1e-9 ? ", values as Prometheus'"
                        : String.format(Locale.ROOT, ", values DIFFER from Prometheus' (rel %.2g)", rel));
            }
        }
        if (v != null && v != ref && v.answer.series() != ref.answer.series()) {
            sb.append("; VM ").append(v.answer.series());
        }
        return sb.toString();
    }

    private static void report(Options o, Iterable<String> names, Map<QuerySet.Query, Map<String, Timing>> results) {
        List<String> stores = new ArrayList<>();
        names.forEach(stores::add);
        System.out.println("== results: latency per query, ms (p50 / p90 over " + o.reps + " runs), server CPU ms per"
                + " query (mean, from /proc clock ticks);"
                + " ratios of p50");
        StringBuilder header = new StringBuilder("| query | answer |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String s : stores) {
            header.append(' ').append(s).append(" p50 / p90 | ").append(s).append(" CPU |");
            rule.append("---|---|");
        }
        boolean mantis = stores.contains("mantis");
        for (String s : stores) {
            if (mantis && !s.equals("mantis")) {
                header.append(" mantis / ").append(s).append(" |");
                rule.append("---|");
            }
        }
        System.out.println(header);
        System.out.println(rule);
        List<Double> ratiosProm = new ArrayList<>();
        for (Map.Entry<QuerySet.Query, Map<String, Timing>> e : results.entrySet()) {
            Map<String, Timing> t = e.getValue();
            StringBuilder row = new StringBuilder("| ").append(e.getKey().label()).append(" | ")
                    .append(agreement(t)).append(" |");
            for (String s : stores) {
                Timing x = t.get(s);
                row.append(String.format(Locale.ROOT, " %s / %s | %s |", fmt(x.percentileMillis(50)),
                        fmt(x.percentileMillis(90)), fmt(x.cpuMillisPerQuery())));
            }
            for (String s : stores) {
                if (mantis && !s.equals("mantis")) {
                    double r = t.get("mantis").percentileMillis(50) / t.get(s).percentileMillis(50);
                    row.append(String.format(Locale.ROOT, " %.2f |", r));
                    if (s.equals("prometheus")) {
                        ratiosProm.add(r);
                    }
                }
            }
            System.out.println(row);
        }
        if (!ratiosProm.isEmpty()) {
            double logSum = 0;
            int met = 0;
            for (double r : ratiosProm) {
                logSum += Math.log(r);
                met += r <= 0.5 ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%ntarget p50 <= 0.5x Prometheus: met for %d of %d queries; geometric mean of"
                    + " Mantis / Prometheus p50 = %.2f%n", met, ratiosProm.size(), Math.exp(logSum / ratiosProm.size()));
        }
    }

    private static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms)
                : String.format(Locale.ROOT, "%.2f", ms);
    }

    /**
     * A JFR profile of Mantis while it answers the query set in a loop for {@code --jfr-seconds}
     * (after the measurements, so the recording does not slow them down).
     */
    private static void profile(Options o, HttpClient http, StoreProcess mantis, List<QuerySet.Query> queries,
                                long qStart, long qEnd) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        long pid = mantis.pid();
        run(List.of(jcmd, Long.toString(pid), "JFR.start", "name=queryload", "settings=profile"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.jfrSeconds);
        int n = 0;
        while (System.nanoTime() < deadline) {
            for (QuerySet.Query q : queries) {
                fetch(http, mantis, path(o, q, qStart, qEnd));
                n++;
            }
        }
        Path file = Path.of(o.jfr).toAbsolutePath();
        run(List.of(jcmd, Long.toString(pid), "JFR.stop", "name=queryload", "filename=" + file));
        System.out.printf(Locale.ROOT, "JFR profile of Mantis over %d queries: %s (jfr view hot-methods %s)%n", n,
                file, file);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
