package io.mantis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.engine.StepwiseEngineFactory;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryLoadTest {

    @TempDir
    Path dir;

    @Test
    void quickModeIsSmallAndOptionsParse() {
        QueryLoad.Options q = QueryLoad.Options.parse(new String[] {"--quick", "--servers", "mantis,prometheus",
            "--range", "30m", "--step", "15s", "--queries", "rate,subquery"});
        assertThat(q.series).isLessThanOrEqualTo(5000);
        assertThat(q.rangeMillis).isEqualTo(1_800_000);
        assertThat(q.stepMillis).isEqualTo(15_000);
        assertThat(q.servers).containsExactly("mantis", "prometheus");
        assertThat(q.queries()).extracting(QuerySet.Query::name).containsExactly("rate", "subquery", "rate", "subquery");
        assertThatThrownBy(() -> QueryLoad.Options.parse(new String[] {"--servers", "thanos"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryLoad.Options.parse(new String[] {"--bogus"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentileIsNearestRank() {
        long[] v = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100};
        assertThat(QueryLoad.percentile(v, 50)).isEqualTo(50);
        assertThat(QueryLoad.percentile(v, 90)).isEqualTo(90);
        assertThat(QueryLoad.percentile(v, 100)).isEqualTo(100);
        assertThat(QueryLoad.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(QueryLoad.percentile(new long[0], 50)).isNaN();
    }

    @Test
    void answersAreParsedAndCompared() {
        QueryLoad.Answer matrix = QueryLoad.Answer.parse("""
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"a":"1"},"values":[[1,"1"],[2,"2.5"]]},
                 {"metric":{"a":"2"},"values":[[1,"3"],[2,"4"]]}]}}""");
        assertThat(matrix).isEqualTo(new QueryLoad.Answer("matrix", 2, 6.5, null));
        QueryLoad.Answer vector = QueryLoad.Answer.parse("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"6.5"]},
                 {"metric":{"b":"x"},"value":[1,"0"]}]}}""");
        assertThat(vector.series()).isEqualTo(2);
        QueryLoad.Answer error = QueryLoad.Answer.parse("""
                {"status":"error","errorType":"bad_data","error":"1:5: parse error"}""");
        assertThat(error.error()).isEqualTo("bad_data: 1:5: parse error");
        assertThat(QueryLoad.Answer.parse("not json").error()).startsWith("unparseable");

        Map<String, QueryLoad.Timing> t = new LinkedHashMap<>();
        t.put("mantis", timing(matrix));
        t.put("prometheus", timing(new QueryLoad.Answer("matrix", 2, 6.5, null)));
        t.put("victoriametrics", timing(new QueryLoad.Answer("matrix", 3, 1, null)));
        assertThat(QueryLoad.agreement(t)).isEqualTo("2 series, values as Prometheus'; VM 3");
        t.put("prometheus", timing(new QueryLoad.Answer("matrix", 2, 7, null)));
        assertThat(QueryLoad.agreement(t)).contains("DIFFER");
        t.put("prometheus", timing(error));
        assertThat(QueryLoad.agreement(t)).isEqualTo("prometheus failed");
    }

    private static QueryLoad.Timing timing(QueryLoad.Answer a) {
        QueryLoad.Timing t = new QueryLoad.Timing(1);
        t.answer = a;
        return t;
    }

    /** Every query of the set runs on Mantis' engine over the stream's data and selects something. */
    @Test
    void everyQueryOfTheSetAnswersOnTheStreamData() throws Exception {
        long start = 1_700_000_000_000L;
        NodeExporterStream stream = new NodeExporterStream(1400, start, 15_000, true);
        int rounds = 4 * 60 + 1;
        try (Tsdb tsdb = Tsdb.openManual(dir, TsdbOptions.defaults(), null)) {
            StreamTsdb.fill(tsdb, stream, rounds);
            QueryEngine engine = new StepwiseEngineFactory().create(tsdb, QueryEngine.Options.DEFAULTS);
            long end = stream.timestamp(rounds - 1) + 8_000;
            for (QuerySet.Query q : QuerySet.all()) {
                QueryResult r = q.range() ? engine.range(q.expr(), end - 1_800_000, end, 30_000)
                        : engine.instant(q.expr(), end);
                assertThat(r.failed()).as(q.label() + ": " + r.error()).isFalse();
                int n = r.value() instanceof Matrix m ? m.size() : ((Vector) r.value()).size();
                assertThat(n).as(q.label()).isPositive();
            }
        }
    }
}
