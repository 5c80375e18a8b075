package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mantis.testkit.LeakCheck;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stats} on /api/v1/query and /api/v1/query_range: the object's shape and key order, and
 * sample counts worked out by hand for three gauges scraped every 15 s (Prometheus 3's left-open
 * range windows, so a 1m window holds 4 samples of a series).
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiStatsTest {

    private static final String T = "1300"; // 300 s after the first sample, on the 15 s grid

    private QueryApiFixture api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        api = new QueryApiFixture(dir);
        api.writeGauges(1_000_000, 41);
        api.writeHistograms(1_000_000, 41);
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    private JsonNode instantStats(String query, String stats) throws Exception {
        HttpResponse<String> r = api.get("/api/v1/query", "query", query, "time", T, "stats", stats);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return QueryApiFixture.json(r).path("data").path("stats");
    }

    @Test
    void statsAllHasTimingsSamplesAndPerStepCountsInPrometheusOrder() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/query", "query", "m", "time", T, "stats", "all");
        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        assertThat(body).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        assertThat(body).contains("],\"stats\":{\"timings\":{\"evalTotalTime\":");
        assertThat(body).endsWith(",\"samples\":{\"totalQueryableSamplesPerStep\":[[1300,3]],"
                + "\"totalQueryableSamples\":3,\"peakSamples\":3}}}}");
        JsonNode timings = QueryApiFixture.json(r).path("data").path("stats").path("timings");
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = timings.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertThat(keys).containsExactly("evalTotalTime", "resultSortTime", "queryPreparationTime",
                "innerEvalTime", "execQueueTime", "execTotalTime");
        for (String k : keys) {
            assertThat(timings.get(k).isNumber()).as(k).isTrue();
            assertThat(timings.get(k).asDouble()).as(k).isGreaterThanOrEqualTo(0).isLessThan(60);
        }
        assertThat(timings.get("execTotalTime").asDouble()).isGreaterThanOrEqualTo(timings.get("evalTotalTime").asDouble());
        assertThat(timings.get("evalTotalTime").asDouble()).isGreaterThan(0);
    }

    @Test
    void anyOtherNonEmptyValueLeavesOutThePerStepCountsAndNoValueLeavesOutStats() throws Exception {
        JsonNode stats = instantStats("m", "true");
        assertThat(stats.path("samples").has("totalQueryableSamplesPerStep")).isFalse();
        assertThat(stats.path("samples").path("totalQueryableSamples").asLong()).isEqualTo(3);
        HttpResponse<String> none = api.get("/api/v1/query", "query", "m", "time", T);
        assertThat(QueryApiFixture.json(none).path("data").has("stats")).isFalse();
        HttpResponse<String> empty = api.get("/api/v1/query", "query", "m", "time", T, "stats", "");
        assertThat(QueryApiFixture.json(empty).path("data").has("stats")).isFalse();
    }

    @Test
    void instantQueriesCountSelectedSamplesAndWindows() throws Exception {
        // instant selector: one sample per series
        assertSamples(instantStats("m", "all"), 3, 3);
        // range selector: (1240 s, 1300 s] holds 4 samples of each series
        assertSamples(instantStats("m[1m]", "all"), 12, 12);
        assertSamples(instantStats("rate(m[1m])", "all"), 12, 12);
        assertSamples(instantStats("sum(m)", "all"), 3, 3);
        assertSamples(instantStats("m + m", "all"), 6, 6);
        // a subquery counts the points of its result in the window (1200, 1230, 1260, 1290), not its inner selections
        assertSamples(instantStats("max_over_time(m[2m:30s])", "all"), 12, 12);
        assertSamples(instantStats("1 + 1", "all"), 0, 0);
        assertSamples(instantStats("nothing_here", "all"), 0, 0);
    }

    /**
     * A native histogram counts as the 16-byte samples its memory would take in Prometheus: 168
     * bytes, 8 per span and bucket, 8 for the timestamp; one span of four buckets is 216 bytes, 13.
     */
    @Test
    void nativeHistogramsWeighAsPrometheusWeighsThem() throws Exception {
        assertSamples(instantStats("h", "all"), 13, 13);
        assertSamples(instantStats("h[1m]", "all"), 52, 52);
        // Under histogram_count the selector reads count and sum only (Prometheus 3's statistics
        // iterator), so its histogram weighs as one without buckets: 11 instead of 13.
        assertSamples(instantStats("histogram_count(h) + m", "all"), 14, 14);
    }

    @Test
    void rangeQueriesCountPerStepAndPeakAtTheResult() throws Exception {
        HttpResponse<String> r = api.post("/api/v1/query_range", "query", "m", "start", "1300", "end", "1420",
                "step", "30", "stats", "all");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).endsWith("\"samples\":{\"totalQueryableSamplesPerStep\":[[1300,3],[1330,3],[1360,3],"
                + "[1390,3],[1420,3]],\"totalQueryableSamples\":15,\"peakSamples\":15}}}}");

        r = api.get("/api/v1/query_range", "query", "rate(m[1m])", "start", "1300", "end", "1420", "step", "30",
                "stats", "all");
        JsonNode samples = QueryApiFixture.json(r).path("data").path("stats").path("samples");
        assertThat(samples.path("totalQueryableSamples").asLong()).isEqualTo(60);
        assertThat(samples.path("peakSamples").asLong()).isEqualTo(15); // the 15 result points outweigh a step's 12
        for (JsonNode step : samples.path("totalQueryableSamplesPerStep")) {
            assertThat(step.get(1).asLong()).isEqualTo(12);
        }

        // fractional step times are seconds as Go writes a float64
        r = api.get("/api/v1/query_range", "query", "m", "start", "1300.5", "end", "1301", "step", "0.5",
                "stats", "all");
        assertThat(r.body()).contains("\"totalQueryableSamplesPerStep\":[[1300.5,3],[1301,3]]");
    }

    @Test
    void failedQueriesAnswerTheErrorDocumentWithoutStats() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/query", "query", "sum(", "time", T, "stats", "all");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error:")
                .doesNotContain("stats");
    }

    @Test
    void goFloatMatchesGoEncodingJson() {
        assertThat(QueryStatsJson.goFloat(0)).isEqualTo("0");
        assertThat(QueryStatsJson.goFloat(1435781451.781)).isEqualTo("1435781451.781");
        assertThat(QueryStatsJson.goFloat(1300)).isEqualTo("1300");
        assertThat(QueryStatsJson.goFloat(0.000066609)).isEqualTo("0.000066609");
        assertThat(QueryStatsJson.goFloat(0.000001)).isEqualTo("0.000001");
        assertThat(QueryStatsJson.goFloat(1.2e-7)).isEqualTo("1.2e-7");
        assertThat(QueryStatsJson.goFloat(5e-10)).isEqualTo("5e-10");
        assertThat(QueryStatsJson.goFloat(1e21)).isEqualTo("1e+21");
        assertThat(QueryStatsJson.goFloat(-2.5)).isEqualTo("-2.5");
    }

    private static void assertSamples(JsonNode stats, long total, long peak) {
        JsonNode s = stats.path("samples");
        assertThat(s.path("totalQueryableSamples").asLong()).as("total of %s", stats).isEqualTo(total);
        assertThat(s.path("peakSamples").asLong()).as("peak of %s", stats).isEqualTo(peak);
        assertThat(s.path("totalQueryableSamplesPerStep").get(0).get(1).asLong()).isEqualTo(total);
    }
}
