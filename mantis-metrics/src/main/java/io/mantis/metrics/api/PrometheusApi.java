package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.SeriesSelectors;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbStats;
import io.mantis.metrics.tsdb.head.Head;
import io.mantis.metrics.tsdb.index.CodePointOrder;
import io.mantis.otlp.prometheus.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The read side of the Prometheus HTTP API over a {@link Tsdb}: series, label names and values,
 * metadata, exemplars and status pages, with Prometheus' JSON shapes and error answers. Query
 * endpoints are added by the PromQL engine on the same listener.
 */
public final class PrometheusApi {

    private static final JsonFactory JSON = PromJson.FACTORY;

    private final Tsdb tsdb;
    private final BuildInfo buildInfo;
    private final boolean adminApi;
    private final Instant startTime = Instant.now();

    /** What {@code /api/v1/status/buildinfo} reports. */
    public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
            String goVersion) {
    }

    public PrometheusApi(Tsdb tsdb, BuildInfo buildInfo) {
        this(tsdb, buildInfo, false);
    }

    /** @param adminApi whether the admin endpoints (series deletion) answer, as Prometheus' --web.enable-admin-api */
    public PrometheusApi(Tsdb tsdb, BuildInfo buildInfo, boolean adminApi) {
        this.tsdb = tsdb;
        this.buildInfo = buildInfo;
        this.adminApi = adminApi;
    }

    /** Registers every read route on {@code sb}. */
    public void routes(ServerBuilder sb) {
        sb.service("/api/v1/series", getOrPost(this::series));
        sb.service("/api/v1/labels", getOrPost(this::labels));
        sb.service("prefix:/api/v1/label/", getOnly(this::labelValues));
        sb.service("/api/v1/metadata", getOnly(this::metadata));
        sb.service("/api/v1/query_exemplars", getOrPost(this::exemplars));
        sb.service("/api/v1/status/tsdb", getOnly(this::tsdbStatus));
        sb.service("/api/v1/status/buildinfo", getOnly(this::buildInfo));
        sb.service("/api/v1/status/runtimeinfo", getOnly(this::runtimeInfo));
        sb.service("/api/v1/status/flags", getOnly((req, p, g) -> {
            g.writeStartObject();
            g.writeStringField("storage.tsdb.retention.time", tsdb.options().retentionText());
            g.writeStringField("storage.tsdb.path", "metrics");
            g.writeEndObject();
        }));
        sb.service("/api/v1/admin/tsdb/delete_series", admin(this::deleteSeries));
        sb.service("/api/v1/admin/tsdb/clean_tombstones", admin((req, p) -> {
            // Head deletions need no cleaning; blocks drop deleted data when they are compacted.
        }));
        sb.service("/-/healthy", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
                "Mantis metrics store is Healthy.\n"));
        sb.service("/-/ready", (ctx, req) -> tsdb.isReady()
                ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "Mantis metrics store is Ready.\n")
                : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                        "Service Unavailable"));
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    interface DataWriter {
        /** Writes the value of {@code data}; may add warnings through the request's list. */
        void write(AggregatedHttpRequest req, Params params, JsonGenerator g) throws IOException;
    }

    private static final ThreadLocal<List<String>> WARNINGS = ThreadLocal.withInitial(ArrayList::new);

    static void warn(String w) {
        WARNINGS.get().add(w);
    }

    private HttpService getOrPost(DataWriter w) {
        return serve(w, true);
    }

    private HttpService getOnly(DataWriter w) {
        return serve(w, false);
    }

    private HttpService serve(DataWriter w, boolean post) {
        return ApiRoutes.blocking(post ? ApiRoutes.GET_POST : ApiRoutes.GET, agg -> answer(w, agg));
    }

    @FunctionalInterface
    interface AdminAction {
        void run(AggregatedHttpRequest req, Params params) throws IOException;
    }

    /** Admin endpoints: POST or PUT, 204 on success, 503 "admin APIs disabled" unless enabled. */
    private HttpService admin(AdminAction action) {
        return ApiRoutes.blocking(ApiRoutes.POST_PUT, agg -> {
            if (!adminApi) {
                return error(ApiException.Type.UNAVAILABLE, "admin APIs disabled");
            }
            action.run(agg, new Params(agg));
            return HttpResponse.of(HttpStatus.NO_CONTENT);
        });
    }

    private void deleteSeries(AggregatedHttpRequest req, Params p) throws IOException {
        List<Matcher[]> sets = p.matchers(true);
        if (sets.isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        long start = p.time("start", MIN);
        long end = p.time("end", MAX);
        for (Matcher[] ms : sets) {
            tsdb.delete(start, end, ms);
        }
    }

    static HttpResponse answer(DataWriter w, AggregatedHttpRequest req) {
        List<String> warnings = WARNINGS.get();
        warnings.clear();
        ByteArrayOutputStream data = new ByteArrayOutputStream(256);
        try {
            Params params = new Params(req);
            try (JsonGenerator g = JSON.createGenerator(data)) {
                w.write(req, params, g);
            }
        } catch (ApiException e) {
            return error(e.type(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            return error(ApiException.Type.INTERNAL, String.valueOf(e.getMessage()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.size() + 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeFieldName("data");
            g.writeRawValue(data.toString(java.nio.charset.StandardCharsets.UTF_8));
            if (!warnings.isEmpty()) {
                g.writeArrayFieldStart("warnings");
                for (String s : warnings) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        warnings.clear();
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, com.linecorp.armeria.common.HttpHeaderNames.CONTENT_TYPE,
                MediaType.JSON), HttpData.wrap(out.toByteArray()));
    }

    /** The API's error document, e.g. {@code {"status":"error","errorType":"bad_data","error":"..."}}. */
    public static HttpResponse error(ApiException.Type type, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "error");
            g.writeStringField("errorType", type.wire);
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(type.status),
                com.linecorp.armeria.common.HttpHeaderNames.CONTENT_TYPE, MediaType.JSON), HttpData.wrap(out.toByteArray()));
    }

    static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            g.writeStringField(labels.name(i), labels.value(i));
        }
        g.writeEndObject();
    }

    private static final long MIN = Long.MIN_VALUE / 2;
    private static final long MAX = Long.MAX_VALUE / 2;

    // ------------------------------------------------------------------ endpoints

    private void series(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        if (p.all("match[]").isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        int limit = p.limit();
        long start = p.time("start", MIN);
        long end = p.time("end", MAX);
        List<Matcher[]> sets = p.matchers(true);
        // One querier, every selector: series matched by several selectors are listed once,
        // sorted like Prometheus' merged result. Like Prometheus, an end before the start is
        // not refused here; the window is simply empty or narrow.
        TreeSet<Labels> found = new TreeSet<>(PromJson.LABELS_ORDER);
        try (Querier q = tsdb.querier(start, end)) {
            for (Matcher[] ms : sets) {
                SeriesSet set = q.select(false, ms);
                while (set.next()) {
                    found.add(set.at().labels());
                }
                set.warnings().forEach(PrometheusApi::warn);
            }
        }
        g.writeStartArray();
        int n = 0;
        for (Labels l : found) {
            if (limit > 0 && n == limit) {
                warn("results truncated due to limit");
                break;
            }
            writeLabels(g, l);
            n++;
        }
        g.writeEndArray();
    }

    private void labels(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        int limit = p.limit();
        long start = p.time("start", MIN);
        long end = p.time("end", MAX);
        List<Matcher[]> sets = p.matchers(false);
        TreeSet<String> names = new TreeSet<>(CodePointOrder.INSTANCE);
        try (Querier q = tsdb.querier(start, end)) {
            if (sets.isEmpty()) {
                names.addAll(q.labelNames());
            } else {
                for (Matcher[] ms : sets) {
                    names.addAll(q.labelNames(ms));
                }
            }
        }
        writeStrings(g, names, limit);
    }

    private void labelValues(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        String path = req.path();
        int q = path.indexOf('?');
        String rest = (q < 0 ? path : path.substring(0, q)).substring("/api/v1/label/".length());
        if (!rest.endsWith("/values") || rest.length() == "/values".length()) {
            throw new ApiException(ApiException.Type.NOT_FOUND, "404 page not found");
        }
        String raw = rest.substring(0, rest.length() - "/values".length());
        String name = unescapeLabelName(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        if (name.isEmpty()) {
            throw ApiException.badData("invalid label name: \"" + name + "\"");
        }
        int limit = p.limit();
        long start = p.time("start", MIN);
        long end = p.time("end", MAX);
        List<Matcher[]> sets = p.matchers(false);
        TreeSet<String> values = new TreeSet<>(CodePointOrder.INSTANCE);
        try (Querier qr = tsdb.querier(start, end)) {
            if (sets.isEmpty()) {
                values.addAll(qr.labelValues(name));
            } else {
                for (Matcher[] ms : sets) {
                    values.addAll(qr.labelValues(name, ms));
                }
            }
        }
        writeStrings(g, values, limit);
    }

    /**
     * Prometheus 3's escaping of UTF-8 label names in URL paths: {@code U__} then the name with
     * {@code _} written {@code __} and any other character outside [a-zA-Z0-9] as {@code _<hex>_}.
     */
    static String unescapeLabelName(String s) {
        if (!s.startsWith("U__")) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        String body = s.substring(3);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '_') {
                sb.append(c);
                continue;
            }
            if (i + 1 < body.length() && body.charAt(i + 1) == '_') {
                sb.append('_');
                i++;
                continue;
            }
            int close = body.indexOf('_', i + 1);
            if (close < 0) {
                return s; // not a valid escape: take the name literally
            }
            try {
                sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, close), 16));
            } catch (IllegalArgumentException e) {
                return s;
            }
            i = close;
        }
        return sb.toString();
    }

    private static void writeStrings(JsonGenerator g, java.util.Collection<String> values, int limit)
            throws IOException {
        g.writeStartArray();
        int n = 0;
        for (String v : values) {
            if (limit > 0 && n == limit) {
                warn("results truncated due to limit");
                break;
            }
            g.writeString(v);
            n++;
        }
        g.writeEndArray();
    }

    private void metadata(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        // Unlike the other endpoints' limit: negative means none, 0 means nothing, and the
        // errors are plain (Prometheus' metadata handler parses these itself).
        int limit = metadataLimit(p, "limit");
        int perMetric = metadataLimit(p, "limit_per_metric");
        String metric = p.get("metric");
        Map<String, List<Head.SeriesMetadata>> all = tsdb.metadata();
        g.writeStartObject();
        int families = 0;
        for (Map.Entry<String, List<Head.SeriesMetadata>> e : all.entrySet()) {
            if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) {
                continue;
            }
            if (limit >= 0 && families >= limit) {
                break;
            }
            g.writeArrayFieldStart(e.getKey());
            int k = 0;
            for (Head.SeriesMetadata m : e.getValue()) {
                if (perMetric > 0 && k == perMetric) {
                    break;
                }
                g.writeStartObject();
                g.writeStringField("type", m.type().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("help", m.help());
                g.writeStringField("unit", m.unit());
                g.writeEndObject();
                k++;
            }
            g.writeEndArray();
            families++;
        }
        g.writeEndObject();
    }

    private static int metadataLimit(Params p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.badData(name + " must be a number");
        }
    }

    private void exemplars(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        long start = p.time("start", MIN);
        long end = p.time("end", MAX);
        if (end < start) {
            throw ApiException.badData("end timestamp must not be before start timestamp");
        }
        String query = p.get("query");
        if (query == null || query.isEmpty()) {
            // Prometheus 3's parser has no position for empty input (2.42 said 1:1).
            throw ApiException.badData("unknown position: parse error: no expression found in input");
        }
        List<Matcher> matchers;
        try {
            matchers = SeriesSelectors.parse(query);
        } catch (ParseException e) {
            throw ApiException.badData(e.getMessage());
        }
        List<Head.SeriesExemplars> found = new ArrayList<>(tsdb.exemplars(start, end, matchers.toArray(Matcher[]::new)));
        // Prometheus lists the series in label order, whatever order their exemplars arrived in.
        found.sort((a, b) -> PromJson.LABELS_ORDER.compare(a.seriesLabels(), b.seriesLabels()));
        g.writeStartArray();
        for (Head.SeriesExemplars se : found) {
            g.writeStartObject();
            g.writeFieldName("seriesLabels");
            writeLabels(g, se.seriesLabels());
            g.writeArrayFieldStart("exemplars");
            for (Head.SeriesExemplars.Exemplar e : se.exemplars()) {
                g.writeStartObject();
                g.writeFieldName("labels");
                writeLabels(g, e.labels());
                g.writeStringField("value", PromFormat.value(e.value()));
                g.writeFieldName("timestamp");
                g.writeNumber(PromFormat.seconds(e.timestampMillis()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void tsdbStatus(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        String l = p.get("limit");
        int limit = 10;
        if (l != null && !l.isEmpty()) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw ApiException.badData("limit must be a number");
            }
            if (limit <= 0) {
                throw ApiException.badData("limit must be a positive number");
            }
        }
        TsdbStats s = tsdb.stats(limit);
        g.writeStartObject();
        g.writeObjectFieldStart("headStats");
        g.writeNumberField("numSeries", s.numSeries());
        g.writeNumberField("numLabelPairs", s.numLabelPairs());
        g.writeNumberField("chunkCount", s.chunkCount());
        g.writeNumberField("minTime", s.minTime());
        g.writeNumberField("maxTime", s.maxTime());
        g.writeEndObject();
        writeCounts(g, "seriesCountByMetricName", s.seriesCountByMetricName());
        writeCounts(g, "labelValueCountByLabelName", s.labelValueCountByLabelName());
        writeCounts(g, "memoryInBytesByLabelName", s.memoryInBytesByLabelName());
        writeCounts(g, "seriesCountByLabelValuePair", s.seriesCountByLabelValuePair());
        g.writeEndObject();
    }

    private static void writeCounts(JsonGenerator g, String field, List<TsdbStats.Count> counts) throws IOException {
        g.writeArrayFieldStart(field);
        for (TsdbStats.Count c : counts) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeNumberField("value", c.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void buildInfo(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("version", buildInfo.version());
        g.writeStringField("revision", buildInfo.revision());
        g.writeStringField("branch", buildInfo.branch());
        g.writeStringField("buildUser", buildInfo.buildUser());
        g.writeStringField("buildDate", buildInfo.buildDate());
        g.writeStringField("goVersion", buildInfo.goVersion());
        g.writeEndObject();
    }

    private void runtimeInfo(AggregatedHttpRequest req, Params p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("startTime", PromFormat.rfc3339(startTime));
        g.writeStringField("CWD", Path.of("").toAbsolutePath().toString());
        g.writeBooleanField("reloadConfigSuccess", true);
        // Prometheus keeps the reload time in whole seconds.
        g.writeStringField("lastConfigTime", PromFormat.rfc3339(startTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        g.writeNumberField("corruptionCount", tsdb.corruptionCount());
        g.writeNumberField("goroutineCount", ManagementFactory.getThreadMXBean().getThreadCount());
        g.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
        g.writeNumberField("GOMEMLIMIT", Runtime.getRuntime().maxMemory());
        g.writeStringField("GOGC", "");
        g.writeStringField("GODEBUG", "");
        g.writeStringField("storageRetention", tsdb.options().retentionText());
        g.writeEndObject();
    }
}
