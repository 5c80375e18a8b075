package io.mantis.metrics.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.DataSize;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.wal.FsyncPolicy;
import io.mantis.metrics.api.QueryResultJson;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.QueryStats;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import io.mantis.testkit.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instant query's plain selectors take each head series' newest sample from the open chunk's
 * appender state instead of decoding the chunk ({@link Series#latestFloat}). Series where that
 * sample may not be the answer (late samples, deletions, histograms, a window that ends before
 * it) must decode; either way the answers must be the ones decoding gives, which a query with
 * statistics (always decoding, since it counts the samples read) shows.
 */
@ExtendWith(LeakCheck.class)
class LatestSampleTest {

    private static final long STEP = 15_000;
    private static final int SAMPLES = 300;
    private static final long LAST = (SAMPLES - 1) * STEP;

    @TempDir
    Path dir;

    private static Labels series(String name) {
        return Labels.of("__name__", "m_" + name, "job", "j");
    }

    private static void fill(Tsdb tsdb) throws Exception {
        for (int i = 0; i < SAMPLES; i++) {
            Appender app = tsdb.appender();
            long t = i * STEP;
            app.append(0, series("plain"), t, i * 1.5);
            app.append(0, series("stale"), t, i == SAMPLES - 1 ? SeriesSink.STALE_NAN : i);
            if (i < SAMPLES - 40) {
                app.append(0, series("old"), t, i); // ends 10 minutes before the others
            }
            if (i % 9 != 4 || i < 200) {
                app.append(0, series("ooo"), t, -i);
            }
            app.append(0, series("deleted"), t, 2.0 * i);
            if (i < SAMPLES / 2) {
                app.append(0, series("mixed"), t, i);
            } else {
                FloatHistogram h = new FloatHistogram().schema(0).count(i).sum(i * 2.0).zeroCount(i);
                app.appendHistogram(0, series("mixed"), t, h);
            }
            app.commit();
        }
        // Late samples of "ooo", inside the out-of-order window.
        Appender app = tsdb.appender();
        for (int i = 200; i < SAMPLES; i++) {
            if (i % 9 == 4) {
                app.append(0, series("ooo"), i * STEP, -i);
            }
        }
        app.commit();
        tsdb.delete(LAST - 2 * STEP, LAST, Matcher.equal("__name__", "m_deleted"));
    }

    @Test
    void answersMatchDecodingAndOnlySafeSeriesSkipIt() throws Exception {
        TsdbOptions options = new TsdbOptions(Duration.ofDays(30), 0,
                new HeadOptions(7_200_000, 3_600_000, 120, 0),
                TsdbOptions.defaults().wal().withSegmentSize(DataSize.ofKibibytes(64)).withFsync(FsyncPolicy.NEVER));
        try (Tsdb tsdb = Tsdb.openManual(dir, options, new MetricRegistry())) {
            fill(tsdb);

            // The storage side: which series can tell their newest sample, for a window that
            // includes it and one that ends before it.
            List<String> known = new ArrayList<>();
            try (Querier q = tsdb.querier(LAST - 300_000, LAST)) {
                SeriesSet set = q.select(true, Matcher.equal("job", "j"));
                long[] ft = new long[1];
                double[] fv = new double[1];
                while (set.next()) {
                    if (set.at().latestFloat(ft, fv)) {
                        known.add(set.at().labels().metricName() + "@" + ft[0] + "=" + fv[0]);
                    }
                }
            }
            assertThat(known).containsExactly("m_plain@" + LAST + "=" + (SAMPLES - 1) * 1.5,
                    "m_stale@" + LAST + "=NaN");
            try (Querier q = tsdb.querier(LAST - 300_000, LAST - 1)) {
                SeriesSet set = q.select(true, Matcher.equal("__name__", "m_plain"));
                assertThat(set.next()).isTrue();
                assertThat(set.at().latestFloat(new long[1], new double[1])).isFalse();
            }

            QueryEngine engine = ServiceLoader.load(QueryEngine.Factory.class).findFirst().orElseThrow()
                    .create(tsdb, QueryEngine.Options.DEFAULTS);
            String[] queries = {
                "{job=\"j\"}",
                "m_plain",
                "m_plain offset 1m",
                "m_plain @ " + (LAST - 7_000) / 1000.0,
                "timestamp({job=\"j\"})",
                "m_plain + on(job) group_left m_ooo",
                "count({job=\"j\"})",
                "rate(m_plain[5m]) * m_plain",
                "max_over_time(m_plain[10m:1m])",
                "m_stale or m_old",
            };
            long[] times = {LAST, LAST + 1, LAST - 1, LAST + 299_999, LAST + 300_000, LAST + 400_000, LAST - STEP,
                LAST / 2, 0};
            int answered = 0;
            for (String query : queries) {
                for (long t : times) {
                    QueryResult fast = engine.instant(query, t);
                    QueryResult decoded = engine.instant(query, t, new QueryStats(false));
                    assertThat(json(fast)).as("%s at %d", query, t).isEqualTo(json(decoded));
                    if (!json(fast).contains("\"result\":[]")) {
                        answered++;
                    }
                }
            }
            assertThat(answered).as("queries with non-empty answers").isGreaterThan(50);
            // The newest sample's value, at the query's time as instant vectors are.
            assertThat(json(engine.instant("m_plain", LAST + 60_000)))
                    .contains("\"value\":[" + (LAST + 60_000) / 1000 + ",\"" + (SAMPLES - 1) * 1.5 + "\"]");
            assertThat(json(engine.instant("m_stale", LAST + 60_000))).contains("\"result\":[]");
        }
    }

    private static String json(QueryResult r) {
        return new String(QueryResultJson.encode(r), StandardCharsets.UTF_8);
    }
}
