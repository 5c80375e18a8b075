package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.NativeHistogram.BucketSpan;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.testkit.LeakCheck;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native histogram with custom buckets sent by remote write (snappy protobuf over HTTP, as
 * Prometheus or Alloy send it) is stored with its bounds, answers PromQL as Prometheus does, and
 * still does after a restart that replays the WAL. Invalid ones are refused per series.
 */
@ExtendWith(LeakCheck.class)
class CustomBucketsRemoteWriteTest {

    private static final int NHCB = NativeHistogram.CUSTOM_BUCKETS_SCHEMA;
    private static final NativeHistogram.ResetHint HINT = NativeHistogram.ResetHint.UNKNOWN;

    @TempDir
    Path dir;

    private QueryApiFixture fixture;
    private String base;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        fixture = new QueryApiFixture(dir);
        base = fixture.base;
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        http.close(); // its idle keep-alive connection would otherwise hold the server's drain
        fixture.close();
    }

    private HttpResponse<String> write(RemoteWriteEncoder enc) throws Exception {
        return PrometheusApiTest.write(http, base, enc);
    }

    private String query(String promql, long time) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /**
     * Bounds 1, 2, 5: buckets (-Inf,1] 2, (1,2] 4, (2,5] 2, (5,+Inf] 0 — eight observations. The
     * median's rank 4 falls halfway into (1,2], so Prometheus interpolates 1.5; the 0.875
     * quantile's rank 7 falls halfway into (2,5]: 3.5.
     */
    private static NativeHistogram latency(long t) {
        return NativeHistogram.ofIntegers(t, NHCB, 0, 0, 8, 10.5, List.of(new BucketSpan(0, 4)),
                new long[] {2, 2, -2, -2}, List.of(), new long[0], HINT, new double[] {1, 2, 5});
    }

    private void restart() throws Exception {
        stop();
        start();
    }

    @Test
    void anNhcbSentByRemoteWriteKeepsItsBoundsAndAnswersHistogramQuantile() throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "rpc_duration_seconds", "job", "api"));
        enc.histogram(latency(1_000_000));
        HttpResponse<String> r = write(enc);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

        for (String phase : List.of("written", "after a restart that replays the WAL")) {
            assertThat(query("histogram_quantile(0.5, rpc_duration_seconds)", 1000)).as(phase)
                    .contains("\"value\":[1000,\"1.5\"]");
            assertThat(query("histogram_quantile(0.875, rpc_duration_seconds)", 1000)).as(phase)
                    .contains("\"value\":[1000,\"3.5\"]");
            assertThat(query("histogram_count(rpc_duration_seconds)", 1000)).as(phase)
                    .contains("\"value\":[1000,\"8\"]");
            // The bucket (1,2] with its 4 observations, left-open and right-closed (boundary rule 0).
            assertThat(query("rpc_duration_seconds", 1000)).as(phase).contains("[0,\"1\",\"2\",\"4\"]")
                    .contains("[0,\"2\",\"5\",\"2\"]");
            if (phase.equals("written")) {
                restart();
            }
        }
    }

    @Test
    void anInvalidNhcbIsRefusedNamingItsSeriesAndTheRestIsStored() throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "bad_seconds", "job", "api"));
        enc.histogram(NativeHistogram.ofIntegers(1_000_000, NHCB, 0, 0, 8, 10.5, List.of(new BucketSpan(0, 4)),
                new long[] {2, 2, -2, -2}, List.of(), new long[0], HINT, new double[] {1, 5, 2}));
        enc.series(Labels.of("__name__", "good_seconds", "job", "api"));
        enc.histogram(latency(1_000_000));
        enc.series(Labels.of("__name__", "up", "job", "api"));
        enc.sample(1_000_000, 1);
        HttpResponse<String> r = write(enc);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("invalid histogram for series {__name__=\"bad_seconds\", job=\"api\"}"
                + " at timestamp 1000000: custom buckets: previous bound is 5.0 and current is 2.0:"
                + " histogram custom bounds must be in strictly increasing order");
        assertThat(query("histogram_quantile(0.5, good_seconds)", 1000)).contains("\"1.5\"");
        assertThat(query("up", 1000)).contains("\"1\"");
        assertThat(query("bad_seconds", 1000)).contains("\"result\":[]");
    }

    @Test
    void customBoundsOnAnExponentialHistogramAreRefused() throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "exp_seconds"));
        enc.histogram(NativeHistogram.ofIntegers(1_000_000, 0, 0, 0, 1, 1, List.of(new BucketSpan(0, 1)),
                new long[] {1}, List.of(), new long[0], HINT, new double[] {1}));
        HttpResponse<String> r = write(enc);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body().strip()).isEqualTo("invalid histogram for series {__name__=\"exp_seconds\"}"
                + " at timestamp 1000000: histogram with exponential schema must not have custom bounds");
    }
}
