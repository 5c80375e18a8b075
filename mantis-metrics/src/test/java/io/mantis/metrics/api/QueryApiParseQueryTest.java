package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.testkit.LeakCheck;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/parse_query (Prometheus 3's syntax tree for its UI, keys sorted as Go writes maps) and
 * the prettified /api/v1/format_query, over HTTP.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiParseQueryTest {

    private QueryApiFixture api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        api = new QueryApiFixture(dir);
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    private String tree(String query) throws Exception {
        HttpResponse<String> r = api.get("/api/v1/parse_query", "query", query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"status\":\"success\",\"data\":").endsWith("}");
        return r.body().substring("{\"status\":\"success\",\"data\":".length(), r.body().length() - 1);
    }

    private static String selector(String type, String name, String matchers, String rest) {
        return "{\"anchored\":false,\"matchers\":[" + matchers + "],\"name\":\"" + name + "\"," + rest
                + "\"smoothed\":false,";
    }

    /** The operator is written HTML-safe ({@code >} as a u-escape), as Go's encoder writes every string. */
    @Test
    void aggregationCallMatrixSelectorAndScalarComparison() throws Exception {
        String matrix = selector("matrixSelector", "foo",
                "{\"name\":\"a\",\"type\":\"=\",\"value\":\"b\"},{\"name\":\"c\",\"type\":\"=~\",\"value\":\"d.*\"},"
                        + "{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"foo\"}",
                "\"offset\":60000,\"range\":300000,")
                + "\"startOrEnd\":null,\"timestamp\":null,\"type\":\"matrixSelector\"}";
        assertThat(tree("sum by (job) (rate(foo{a=\"b\",c=~\"d.*\"}[5m] offset 1m)) > bool 2")).isEqualTo(
                "{\"bool\":true,\"lhs\":{\"expr\":{\"args\":[" + matrix + "],"
                        + "\"func\":{\"argTypes\":[\"matrix\"],\"name\":\"rate\",\"returnType\":\"vector\",\"variadic\":0},"
                        + "\"type\":\"call\"},\"grouping\":[\"job\"],\"op\":\"sum\",\"param\":null,"
                        + "\"type\":\"aggregation\",\"without\":false},"
                        + "\"matching\":null,\"op\":\"\\u003e\",\"rhs\":{\"type\":\"numberLiteral\",\"val\":\"2\"},"
                        + "\"type\":\"binaryExpr\"}");
    }

    @Test
    void vectorMatchingCardinalities() throws Exception {
        String a = selector("vectorSelector", "a", "{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"a\"}",
                "\"offset\":0,") + "\"startOrEnd\":null,\"timestamp\":null,\"type\":\"vectorSelector\"}";
        String b = a.replace("\"a\"", "\"b\"");
        assertThat(tree("a + on(x) group_left(y) b")).isEqualTo("{\"bool\":false,\"lhs\":" + a
                + ",\"matching\":{\"card\":\"many-to-one\",\"fillValues\":{\"lhs\":null,\"rhs\":null},"
                + "\"include\":[\"y\"],\"labels\":[\"x\"],\"on\":true},\"op\":\"+\",\"rhs\":" + b
                + ",\"type\":\"binaryExpr\"}");
        assertThat(tree("a and b")).contains("\"matching\":{\"card\":\"many-to-many\",\"fillValues\":"
                + "{\"lhs\":null,\"rhs\":null},\"include\":[],\"labels\":[],\"on\":false},\"op\":\"and\"");
        assertThat(tree("a / ignoring(z) group_right b")).contains("\"card\":\"one-to-many\"")
                .contains("\"labels\":[\"z\"],\"on\":false");
        assertThat(tree("a - b")).contains("\"card\":\"one-to-one\"");
    }

    @Test
    void subqueryAtModifiersUnaryParenAndLiterals() throws Exception {
        String x = selector("vectorSelector", "x", "{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"x\"}",
                "\"offset\":0,") + "\"startOrEnd\":null,\"timestamp\":null,\"type\":\"vectorSelector\"}";
        assertThat(tree("max_over_time(x[10m:] @ 1.5 offset -30s)")).isEqualTo("{\"args\":[{\"alignEvalTime\":false,"
                + "\"expr\":" + x + ",\"offset\":-30000,\"range\":600000,\"startOrEnd\":null,\"step\":0,"
                + "\"timestamp\":1500,\"type\":\"subquery\"}],\"func\":{\"argTypes\":[\"matrix\"],"
                + "\"name\":\"max_over_time\",\"returnType\":\"vector\",\"variadic\":0},\"type\":\"call\"}");
        assertThat(tree("-(y @ end())")).isEqualTo("{\"expr\":{\"expr\":" + selector("vectorSelector", "y",
                "{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"y\"}", "\"offset\":0,")
                + "\"startOrEnd\":\"end\",\"timestamp\":null,\"type\":\"vectorSelector\"},\"type\":\"parenExpr\"},"
                + "\"op\":\"-\",\"type\":\"unaryExpr\"}");
        assertThat(tree("1e21")).isEqualTo("{\"type\":\"numberLiteral\",\"val\":\"1000000000000000000000\"}");
        assertThat(tree("-0.5")).isEqualTo("{\"type\":\"numberLiteral\",\"val\":\"-0.5\"}");
        assertThat(tree("Inf")).isEqualTo("{\"type\":\"numberLiteral\",\"val\":\"+Inf\"}");
        assertThat(tree("\"a<b\"")).isEqualTo("{\"type\":\"stringLiteral\",\"val\":\"a\\u003cb\"}");
        assertThat(tree("{job=\"x\"}[1m] @ start()")).isEqualTo(selector("matrixSelector", "",
                "{\"name\":\"job\",\"type\":\"=\",\"value\":\"x\"}", "\"offset\":0,\"range\":60000,")
                + "\"startOrEnd\":\"start\",\"timestamp\":null,\"type\":\"matrixSelector\"}");
    }

    @Test
    void aggregationParametersAndVariadicFunctions() throws Exception {
        String t = tree("topk without (a) (5, x)");
        assertThat(t).startsWith("{\"expr\":{\"anchored\":false,").endsWith(",\"grouping\":[\"a\"],\"op\":\"topk\","
                + "\"param\":{\"type\":\"numberLiteral\",\"val\":\"5\"},\"type\":\"aggregation\",\"without\":true}");
        assertThat(tree("round(x, 5)")).contains("\"func\":{\"argTypes\":[\"vector\",\"scalar\"],\"name\":\"round\","
                + "\"returnType\":\"vector\",\"variadic\":1}");
        assertThat(tree("time()")).isEqualTo("{\"args\":[],\"func\":{\"argTypes\":[],\"name\":\"time\","
                + "\"returnType\":\"scalar\",\"variadic\":0},\"type\":\"call\"}");
    }

    @Test
    void postFormAndParseErrors() throws Exception {
        HttpResponse<String> r = api.post("/api/v1/parse_query", "query", "up");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"type\":\"vectorSelector\"");
        r = api.get("/api/v1/parse_query", "query", "sum(up");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"invalid parameter \\\"query\\\": 1:");
        r = api.get("/api/v1/parse_query");
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void formatQuerySplitsLongQueriesAndKeepsShortOnesOnOneLine() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/format_query", "query", "sum(rate(foo{b=\"1\",a=\"2\"}[5m]))by(job)");
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (rate(foo{a=\\\"2\\\",b=\\\"1\\\"}[5m]))\"}");
        String q = "sum by (job) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m])) "
                + "/ sum by (job) (rate(http_requests_total{job=\"api\"}[5m])) > bool 0.05";
        r = api.post("/api/v1/format_query", "query", q);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(QueryApiFixture.json(r).path("data").asText()).isEqualTo("""
                    sum by (job) (rate(http_requests_total{code=~"5..",job="api"}[5m]))
                  /
                    sum by (job) (rate(http_requests_total{job="api"}[5m]))
                > bool
                  0.05""");
        r = api.get("/api/v1/format_query", "query", "foo{");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"errorType\":\"bad_data\"").contains("invalid parameter \\\"query\\\": 1:");
    }
}
