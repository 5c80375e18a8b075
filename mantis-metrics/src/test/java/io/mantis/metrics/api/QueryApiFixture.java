package io.mantis.metrics.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.engine.StepwiseEngineFactory;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.otlp.prometheus.TranslationSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The query API on a real HTTP listener over a real store, with remote write to fill it: what the
 * {@code QueryApi*} tests talk to.
 */
final class QueryApiFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Tsdb tsdb;
    private final HttpListener server;
    private final HttpClient http = HttpClient.newHttpClient();
    final String base;

    QueryApiFixture(Path dir) throws Exception {
        tsdb = Tsdb.open(dir, TsdbOptions.defaults(), new MetricRegistry());
        Ingest ingest = new Ingest(tsdb, TranslationSettings.defaults(), 16, new MetricRegistry());
        WriteApi write = new WriteApi(ingest, 32 * 1024 * 1024);
        StepwiseEngineFactory engines = new StepwiseEngineFactory();
        QueryApi query = new QueryApi(t -> engines.create(tsdb, QueryEngine.Options.DEFAULTS.withTimeout(t)),
                Duration.ofSeconds(30));
        server = HttpListener.builder("metrics", "127.0.0.1", 0).routes(sb -> {
            write.routes(sb);
            query.routes(sb);
        }).build();
        server.start();
        base = "http://127.0.0.1:" + server.port();
    }

    /**
     * Gauges {@code m{i="1"}}, {@code m{i="2"}}, {@code m{i="3"}} every 15 s from
     * {@code startMillis} for {@code points} samples, series i holding {@code k * i} at point k.
     */
    void writeGauges(long startMillis, int points) throws Exception {
        int status = remoteWrite(http, base, gauges(startMillis, points));
        if (status != 204) {
            throw new IllegalStateException("remote write refused: " + status);
        }
    }

    /**
     * A gauge native histogram {@code h} every 15 s from {@code startMillis}: schema 0, one span of
     * four positive buckets, counts 1, 2, 3, 4.
     */
    void writeHistograms(long startMillis, int points) throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "h"));
        for (int k = 0; k < points; k++) {
            enc.histogram(NativeHistogram.ofFloats(startMillis + k * 15_000L, 0, 0.001, 0, 10, 25,
                    List.of(new NativeHistogram.BucketSpan(0, 4)), new double[] {1, 2, 3, 4},
                    List.of(), new double[0], NativeHistogram.ResetHint.GAUGE));
        }
        int status = remoteWrite(http, base, enc.toSnappy());
        if (status != 204) {
            throw new IllegalStateException("remote write refused: " + status);
        }
    }

    /** The remote-write body of {@link #writeGauges}. */
    static byte[] gauges(long startMillis, int points) {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        for (int i = 1; i <= 3; i++) {
            enc.series(Labels.of("__name__", "m", "i", Integer.toString(i)));
            for (int k = 0; k < points; k++) {
                enc.sample(startMillis + k * 15_000L, k * i);
            }
        }
        return enc.toSnappy();
    }

    /** Posts a remote-write body to {@code baseUrl}; the HTTP status. */
    static int remoteWrite(HttpClient http, String baseUrl, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/write"))
                .header("Content-Type", RemoteWriteEncoder.CONTENT_TYPE)
                .header("Content-Encoding", RemoteWriteEncoder.CONTENT_ENCODING)
                .header(RemoteWriteEncoder.VERSION_HEADER, RemoteWriteEncoder.VERSION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    HttpResponse<String> get(String path, String... params) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path + "?" + form(params))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String... params) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** Name-value pairs as a URL-encoded form. */
    static String form(String... params) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            if (i > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        http.close(); // its idle keep-alive connection would otherwise hold the server's drain
        server.stop();
        tsdb.close();
    }
}
