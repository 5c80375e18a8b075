package io.mantis.metrics.promql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.parser.Parser;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layouts Prometheus' own prettier tests expect, with their line limit of 10 so that short
 * queries exercise every rule, plus the real limit of 100.
 */
class PrettifierTest {

    private static String pretty10(String query) throws ParseException {
        return Prettifier.format(Parser.parse(query), 10);
    }

    private static String pretty(String query) throws ParseException {
        return Prettifier.format(Parser.parse(query));
    }

    static Stream<Arguments> aggregations() {
        return Stream.of(
                Arguments.of("sum(foo)", "sum(foo)"),
                Arguments.of("sum by() (task:errors:rate10s{job=\"s\"})", """
                        sum(
                          task:errors:rate10s{job="s"}
                        )"""),
                Arguments.of("sum without(job,foo) (task:errors:rate10s{job=\"s\"})", """
                        sum without (job, foo) (
                          task:errors:rate10s{job="s"}
                        )"""),
                Arguments.of("sum(task:errors:rate10s{job=\"s\"}) without(job,foo)", """
                        sum without (job, foo) (
                          task:errors:rate10s{job="s"}
                        )"""),
                Arguments.of("sum (task:errors:rate10s{job=\"s\"}) by(job,foo)", """
                        sum by (job, foo) (
                          task:errors:rate10s{job="s"}
                        )"""),
                Arguments.of("topk(10, ask:errors:rate10s{job=\"s\"})", """
                        topk(
                          10,
                          ask:errors:rate10s{job="s"}
                        )"""),
                Arguments.of("sum by(job,foo) (sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job=\"s\"})))", """
                        sum by (job, foo) (
                          sum by (job, foo) (
                            sum by (job, foo) (
                              task:errors:rate10s{job="s"}
                            )
                          )
                        )"""),
                Arguments.of("sum by(job,foo) # Comment 1.\n(sum by(job,foo) ( # Comment 2.\ntask:errors:rate10s{job=\"s\"}))", """
                        sum by (job, foo) (
                          sum by (job, foo) (
                            task:errors:rate10s{job="s"}
                          )
                        )"""));
    }

    static Stream<Arguments> binaries() {
        return Stream.of(
                Arguments.of("a+b", "a + b"),
                Arguments.of("a == bool 1", "  a\n== bool\n  1"),
                Arguments.of("a + ignoring(job) b", "  a\n+ ignoring (job)\n  b"),
                Arguments.of("foo_1 + foo_2", "  foo_1\n+\n  foo_2"),
                Arguments.of("foo_1 + foo_2 + foo_3", "    foo_1\n  +\n    foo_2\n+\n  foo_3"),
                Arguments.of("foo + baar + foo_3", "  foo + baar\n+\n  foo_3"),
                Arguments.of("foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4", """
                              foo_1
                            + ignoring (foo)
                              foo_2
                          + ignoring (job) group_left ()
                            foo_3
                        + on (instance) group_right ()
                          foo_4"""));
    }

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("rate(foo[1m])", "rate(\n  foo[1m]\n)"),
                Arguments.of("rate(long_vector_selector[10m:1m] @ start() offset 1m)", """
                        rate(
                          long_vector_selector[10m:1m] @ start() offset 1m
                        )"""),
                Arguments.of("histogram_quantile(0.9, rate(foo[1m]))", """
                        histogram_quantile(
                          0.9,
                          rate(
                            foo[1m]
                          )
                        )"""),
                Arguments.of("max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)", """
                        max_over_time(
                          rate(
                            demo_api_request_duration_seconds_count[1m]
                          )[1m:] @ start() offset 1m
                        )"""),
                Arguments.of("label_replace(label_replace(up{job=\"api-server\",service=\"a:c\"}, \"foo\", \"$1\", \"service\", \"(.*):.*\"), \"foo\", \"$1\", \"service\", \"(.*):.*\")", """
                        label_replace(
                          label_replace(
                            up{job="api-server",service="a:c"},
                            "foo",
                            "$1",
                            "service",
                            "(.*):.*"
                          ),
                          "foo",
                          "$1",
                          "service",
                          "(.*):.*"
                        )"""));
    }

    static Stream<Arguments> parensUnaryAndInvariants() {
        return Stream.of(
                Arguments.of("(foo)", "(foo)"),
                Arguments.of("(_foo_long_)", "(\n  _foo_long_\n)"),
                Arguments.of("((foo_long))", "(\n  (foo_long)\n)"),
                Arguments.of("(((foo_long)))", "(\n  (\n    (foo_long)\n  )\n)"),
                Arguments.of("a @ 1", "a @ 1.000"),
                Arguments.of("vector_selector @ start()", "vector_selector @ start()"),
                Arguments.of("(1 + 2)", "(1 + 2)"),
                Arguments.of("(foo + bar)", "(\n  foo + bar\n)"),
                Arguments.of("((foo_long + bar_long) + bar_2_long)", """
                        (
                            (
                                foo_long
                              +
                                bar_long
                            )
                          +
                            bar_2_long
                        )"""),
                Arguments.of("(1111 + 2222)", "(\n    1111\n  +\n    2222\n)"),
                Arguments.of("-1", "-1"),
                Arguments.of("-vector_selector", "-vector_selector"),
                Arguments.of("(-vector_selector)", "(\n  -vector_selector\n)"),
                Arguments.of("-histogram_quantile(0.99, sum by (le) (rate(foo[1m])))", """
                        -histogram_quantile(
                          0.99,
                          sum by (le) (
                            rate(
                              foo[1m]
                            )
                          )
                        )"""),
                Arguments.of("(-histogram_quantile(0.9, -rate(foo[1m] @ start())))", """
                        (
                          -histogram_quantile(
                            0.9,
                            -rate(
                              foo[1m] @ start()
                            )
                          )
                        )"""));
    }

    static Stream<Arguments> mixins() {
        return Stream.of(
                Arguments.of("(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"} / node_filesystem_size_bytes{job=\"node\",fstype!=\"\"} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"}[6h], 24*60*60) < 0 and node_filesystem_readonly{job=\"node\",fstype!=\"\"} == 0)", """
                        (
                                    node_filesystem_avail_bytes{fstype!="",job="node"}
                                  /
                                    node_filesystem_size_bytes{fstype!="",job="node"}
                                *
                                  100
                              <
                                40
                            and
                                predict_linear(
                                  node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
                                    24 * 60
                                  *
                                    60
                                )
                              <
                                0
                          and
                              node_filesystem_readonly{fstype!="",job="node"}
                            ==
                              0
                        )"""),
                Arguments.of("(node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0)", """
                          (
                                node_timex_offset_seconds
                              >
                                0.05
                            and
                                deriv(
                                  node_timex_offset_seconds[5m]
                                )
                              >=
                                0
                          )
                        or
                          (
                                node_timex_offset_seconds
                              <
                                -0.05
                            and
                                deriv(
                                  node_timex_offset_seconds[5m]
                                )
                              <=
                                0
                          )"""),
                Arguments.of("min by (job, integration) (rate(alertmanager_notifications_failed_total{job=\"alertmanager\", integration=~\".*\"}[5m]) / rate(alertmanager_notifications_total{job=\"alertmanager\", integration=\"~.*\"}[5m])) > 0.01", """
                          min by (job, integration) (
                              rate(
                                alertmanager_notifications_failed_total{integration=~".*",job="alertmanager"}[5m]
                              )
                            /
                              rate(
                                alertmanager_notifications_total{integration="~.*",job="alertmanager"}[5m]
                              )
                          )
                        >
                          0.01"""));
    }

    @ParameterizedTest
    @MethodSource({"aggregations", "binaries", "calls", "parensUnaryAndInvariants", "mixins"})
    void layoutsMatchPrometheusPrettierAtLimitTen(String query, String expected) throws ParseException {
        assertThat(pretty10(query)).isEqualTo(expected);
    }

    @Test
    void shortQueriesStayOnOneLineAtTheRealLimit() throws ParseException {
        String q = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))";
        assertThat(pretty(q)).isEqualTo(Printer.format(Parser.parse(q)));
    }

    @Test
    void theLimitIsOneHundredUtf8Bytes() throws ParseException {
        String name = "m".repeat(100 - "sum()".length());
        assertThat(pretty("sum(" + name + ")")).isEqualTo("sum(" + name + ")");
        assertThat(pretty("sum(" + name + "x)")).isEqualTo("sum(\n  " + name + "x\n)");
        // 55 Java chars but 100 bytes: "ü" is two bytes of UTF-8, as Go counts.
        String label = "m{l=\"" + "\u00fc".repeat(45) + "\"}";
        String query = "sum(" + label + ")";
        assertThat(query.length()).isLessThan(100);
        assertThat(pretty(query)).isEqualTo("sum(\n  " + label + "\n)");
    }

    @Test
    void aSubqueryThatFitsIsNotIndented() throws ParseException {
        String inner = "rate(" + "x".repeat(70) + "[5m])[10m:1m]";
        String q = "quantile_over_time(0.99, " + inner + ")";
        assertThat(pretty(q)).isEqualTo("quantile_over_time(\n  0.99,\n" + inner + "\n)");
    }
}
