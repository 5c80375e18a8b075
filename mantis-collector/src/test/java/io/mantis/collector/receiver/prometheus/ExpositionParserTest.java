package io.mantis.collector.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.collector.receiver.prometheus.Exposition.Family;
import io.mantis.collector.receiver.prometheus.Exposition.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpositionParserTest {

    static Exposition text(String s) throws ExpositionParseException {
        return ExpositionParser.parse(s.getBytes(StandardCharsets.UTF_8), ExpositionFormat.TEXT_004);
    }

    static Exposition om(String s) throws ExpositionParseException {
        return ExpositionParser.parse(s.getBytes(StandardCharsets.UTF_8), ExpositionFormat.OPENMETRICS);
    }

    /** A sample as one comparable line: name{a="x",b="y"} value @ts. */
    static String show(Sample s) {
        StringBuilder sb = new StringBuilder(s.name());
        if (s.labelNames().length > 0) {
            sb.append('{');
            for (int i = 0; i < s.labelNames().length; i++) {
                sb.append(i > 0 ? "," : "").append(s.labelNames()[i]).append("=\"").append(s.labelValues()[i])
                        .append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(s.value());
        if (s.timestampMillis() != Exposition.NO_TIMESTAMP) {
            sb.append(" @").append(s.timestampMillis());
        }
        if (s.exemplar() != null) {
            sb.append(" # ").append(Arrays.toString(s.exemplar().labelNames()))
                    .append(Arrays.toString(s.exemplar().labelValues())).append(' ').append(s.exemplar().value());
            if (s.exemplar().timestampMillis() != Exposition.NO_TIMESTAMP) {
                sb.append(" @").append(s.exemplar().timestampMillis());
            }
        }
        return sb.toString();
    }

    static List<String> shown(Exposition e) {
        List<String> out = new ArrayList<>();
        e.samples().forEach(s -> out.add(show(s)));
        return out;
    }

    @Nested
    class Text004 {
        @Test
        void goldenInputCoversEveryLineForm() throws Exception {
            String in = """
                    # A free comment, ignored.
                    #   HELP   http_requests_total  Requests served.\\nSecond line, a backslash \\\\ and \\t kept
                    # TYPE http_requests_total counter
                    http_requests_total{method="post",code="200"} 1027 1395066363000
                    http_requests_total{method="post",code="400"}    3   1395066363000

                      http_requests_total { method = "get" , code = "200" , } 5
                    # TYPE temperature gauge
                    temperature{room="k\\"itchen\\\\\\n",note="caf\u00e9 \u2603",raw="a\\tb"} -3.5e1
                    temperature\t7.25\t-1000
                    # TYPE latency histogram
                    latency_bucket{le="0.1"} 1
                    latency_bucket{le="+Inf"} 2
                    latency_sum 0.35
                    latency_count 2
                    # TYPE rpc summary
                    rpc{quantile="0.5"} NaN
                    rpc_sum +Inf
                    rpc_count -Inf
                    # TYPE legacy untyped
                    legacy Inf
                    no_metadata{a="1"} 1e-3
                    colon:name 0
                    # HELP only_help Has help but no type.
                    only_help 4
                    last_line_without_newline 9""";
            Exposition e = text(in);
            assertThat(e.format()).isEqualTo(ExpositionFormat.TEXT_004);
            assertThat(shown(e)).containsExactly(
                    "http_requests_total{method=\"post\",code=\"200\"} 1027.0 @1395066363000",
                    "http_requests_total{method=\"post\",code=\"400\"} 3.0 @1395066363000",
                    "http_requests_total{method=\"get\",code=\"200\"} 5.0",
                    "temperature{room=\"k\"itchen\\\n\",note=\"caf\u00e9 \u2603\",raw=\"a\\tb\"} -35.0",
                    "temperature 7.25 @-1000",
                    "latency_bucket{le=\"0.1\"} 1.0",
                    "latency_bucket{le=\"+Inf\"} 2.0",
                    "latency_sum 0.35",
                    "latency_count 2.0",
                    "rpc{quantile=\"0.5\"} NaN",
                    "rpc_sum Infinity",
                    "rpc_count -Infinity",
                    "legacy Infinity",
                    "no_metadata{a=\"1\"} 0.001",
                    "colon:name 0.0",
                    "only_help 4.0",
                    "last_line_without_newline 9.0");
            assertThat(e.families()).containsOnlyKeys("http_requests_total", "temperature", "latency", "rpc", "legacy",
                    "only_help");
            assertThat(e.families().get("http_requests_total")).isEqualTo(new Family("http_requests_total",
                    MetricKind.COUNTER, "Requests served.\nSecond line, a backslash \\ and \\t kept", null));
            assertThat(e.families().get("legacy").kind()).isEqualTo(MetricKind.UNKNOWN);
            assertThat(e.families().get("only_help")).isEqualTo(new Family("only_help", MetricKind.UNKNOWN,
                    "Has help but no type.", null));
            assertThat(e.samples().get(3).line()).isEqualTo(9);
        }

        @Test
        void crlfLineEndingsAndAnEmptyBodyAreAccepted() throws Exception {
            assertThat(shown(text("# TYPE a gauge\r\na 1\r\nb{x=\"y\"} 2\r\n"))).containsExactly("a 1.0",
                    "b{x=\"y\"} 2.0");
            assertThat(text("").samples()).isEmpty();
            assertThat(text("\n\n# nothing\n").samples()).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                1abc 1                                  | 1 | expected a metric name, got '1abc 1'
                foo                                     | 1 | missing value for foo
                foo abc                                 | 1 | invalid value 'abc'
                foo 1d                                  | 1 | invalid value '1d'
                foo 0x10                                | 1 | invalid value '0x10'
                foo 1 12.5                              | 1 | invalid timestamp '12.5' (expected integer milliseconds)
                foo 1 12 extra                          | 1 | unexpected text after the timestamp of foo: 'extra'
                foo{a="1} 1                             | 1 | unterminated value of label 'a' of foo
                foo{a="1\\"} 1                          | 1 | unterminated value of label 'a' of foo
                foo{a 1                                 | 1 | expected '=' after label name 'a' of foo
                foo{a=1} 1                              | 1 | expected '"' to start the value of label 'a' of foo
                foo{a="1" b="2"} 1                      | 1 | expected ',' or '}' after the value of label 'a' of foo
                foo{a="1",a="2"} 1                      | 1 | duplicate label name 'a' in foo
                foo{1a="2"} 1                           | 1 | invalid label name in foo at '1a="2"} 1'
                foo{a="1",                              | 1 | unterminated label set of foo
                foo{a="1"                               | 1 | expected ',' or '}' after the value of label 'a' of foo
                foo{a:b="1"} 1                          | 1 | expected '=' after label name 'a' of foo
                foo-bar 1                               | 1 | unexpected character '-' before the value of foo
                """)
        void malformedSampleLinesNameTheLineAndTheProblem(String line, int lineNo, String message) {
            assertThatThrownBy(() -> text(line))
                    .isInstanceOf(ExpositionParseException.class)
                    .hasMessage("line " + lineNo + ": " + message)
                    .satisfies(e -> assertThat(((ExpositionParseException) e).line()).isEqualTo(lineNo));
        }

        @Test
        void malformedMetadataNamesTheLine() {
            assertThatThrownBy(() -> text("a 1\n# TYPE foo countr\n")).hasMessage("line 2: invalid metric type 'countr'"
                    + " for foo (expected counter, gauge, histogram, summary or untyped)");
            assertThatThrownBy(() -> text("# TYPE foo info\n")).hasMessageStartingWith("line 1: invalid metric type"
                    + " 'info'");
            assertThatThrownBy(() -> text("# TYPE foo gauge\n\n# TYPE foo counter\n"))
                    .hasMessage("line 3: second TYPE line for metric name foo");
            assertThatThrownBy(() -> text("# HELP foo a\n# HELP foo b\n"))
                    .hasMessage("line 2: second HELP line for metric name foo");
            assertThatThrownBy(() -> text("# HELP 9foo a\n")).hasMessage("line 1: invalid metric name in HELP line:"
                    + " '9foo a'");
            assertThatThrownBy(() -> text("# TYPE foo\n")).hasMessageStartingWith("line 1: invalid metric type ''");
        }
    }

    @Nested
    class OpenMetrics {
        @Test
        void goldenInputCoversEveryTypeExemplarsAndTimestamps() throws Exception {
            String in = """
                    # TYPE requests counter
                    # HELP requests Requests with a \\"quote\\", a \\\\ and a \\n.
                    requests_total{path="/a"} 10 1700000000.5 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"} 1.5 1700000000.25
                    requests_created{path="/a"} 1699999000.125
                    requests_total{path="/b"} 3 # {} 1
                    # TYPE requests_seconds gauge
                    # UNIT requests_seconds seconds
                    requests_seconds 0.5
                    # TYPE latency histogram
                    latency_bucket{le="0.5"} 2 # {trace_id="abc"} 0.25
                    latency_bucket{le="+Inf"} 3
                    latency_count 3
                    latency_sum 1.25
                    latency_created 1699999000
                    # TYPE queue gaugehistogram
                    queue_bucket{le="1.0"} 1
                    queue_bucket{le="+Inf"} 2
                    queue_gcount 2
                    queue_gsum 1.5
                    # TYPE rpc summary
                    rpc{quantile="0.99"} 0.1
                    rpc_sum 9
                    rpc_count 90
                    # TYPE build info
                    build_info{version="1.2"} 1
                    # TYPE feature stateset
                    feature{feature="a"} 1
                    feature{feature="b"} 0
                    # TYPE other unknown
                    other 7 -1.5
                    other2 NaN 1e3
                    # EOF
                    """;
            Exposition e = om(in);
            assertThat(shown(e)).containsExactly(
                    "requests_total{path=\"/a\"} 10.0 @1700000000500 # [trace_id, span_id]"
                            + "[0af7651916cd43dd8448eb211c80319c, b7ad6b7169203331] 1.5 @1700000000250",
                    "requests_created{path=\"/a\"} 1.699999000125E9",
                    "requests_total{path=\"/b\"} 3.0 # [][] 1.0",
                    "requests_seconds 0.5",
                    "latency_bucket{le=\"0.5\"} 2.0 # [trace_id][abc] 0.25",
                    "latency_bucket{le=\"+Inf\"} 3.0",
                    "latency_count 3.0",
                    "latency_sum 1.25",
                    "latency_created 1.699999E9",
                    "queue_bucket{le=\"1.0\"} 1.0",
                    "queue_bucket{le=\"+Inf\"} 2.0",
                    "queue_gcount 2.0",
                    "queue_gsum 1.5",
                    "rpc{quantile=\"0.99\"} 0.1",
                    "rpc_sum 9.0",
                    "rpc_count 90.0",
                    "build_info{version=\"1.2\"} 1.0",
                    "feature{feature=\"a\"} 1.0",
                    "feature{feature=\"b\"} 0.0",
                    "other 7.0 @-1500",
                    "other2 NaN @1000000");
            assertThat(e.families().get("requests")).isEqualTo(new Family("requests", MetricKind.COUNTER,
                    "Requests with a \"quote\", a \\ and a \n.", null));
            assertThat(e.families().values()).extracting(Family::kind).containsExactly(MetricKind.COUNTER,
                    MetricKind.GAUGE, MetricKind.HISTOGRAM, MetricKind.GAUGE_HISTOGRAM, MetricKind.SUMMARY,
                    MetricKind.INFO, MetricKind.STATESET, MetricKind.UNKNOWN);
        }

        @Test
        void eofMayEndTheBodyWithoutANewlineAndEmptyMetadataIsAllowed() throws Exception {
            Exposition e = om("# HELP a\n# UNIT a\n# TYPE a gauge\na{} 1\n# EOF");
            assertThat(shown(e)).containsExactly("a 1.0");
            assertThat(e.families().get("a")).isEqualTo(new Family("a", MetricKind.GAUGE, "", ""));
        }

        @ParameterizedTest(name = "{1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                1 | a 1\\n                                       | missing '# EOF' at the end of the OpenMetrics exposition (truncated response?)
                3 | a 1\\n# EOF\\n\\n                            | unexpected content after '# EOF'
                3 | a 1\\n# EOF\\nb 2\\n                         | unexpected content after '# EOF'
                2 | a 1\\n\\nb 1\\n# EOF\\n                      | empty line (OpenMetrics allows none)
                1 | # a comment\\n# EOF\\n                       | expected '# HELP', '# TYPE', '# UNIT' or '# EOF', got '# a comment'
                1 | # TYPE a untyped\\n# EOF\\n                  | invalid metric type 'untyped' for a (expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)
                2 | # TYPE a gauge\\n# TYPE a gauge\\n# EOF\\n   | second TYPE line for metric family a
                1 | # UNIT a_bytes seconds\\n# EOF\\n            | unit 'seconds' is not a suffix of the metric family name a_bytes
                1 | # HELP a x\\\\y\\n# EOF\\n                    | invalid escape sequence '\\y' in HELP text (OpenMetrics allows \\\\, \\" and \\n)
                1 | a{b="\\\\t"} 1\\n# EOF\\n                    | invalid escape sequence '\\t' in the value of label 'b' of a (OpenMetrics allows \\\\, \\" and \\n)
                1 | a  1\\n# EOF\\n                              | missing value for a
                1 | a{b="1"}1\\n# EOF\\n                         | expected a single space before the value of a, got '1'
                1 | a{b = "1"} 1\\n# EOF\\n                      | expected '=' after label name 'b' of a
                1 | a 1 2 3\\n# EOF\\n                           | expected '# {' to start an exemplar, got '3'
                1 | a 1 1e\\n# EOF\\n                            | invalid timestamp '1e' (expected seconds)
                2 | # TYPE g gauge\\ng 1 # {a="b"} 1\\n# EOF\\n  | exemplar on g: OpenMetrics allows exemplars only on counter _total and histogram _bucket samples
                2 | # TYPE c counter\\nc_total 1 # {a="b"}\\n# EOF\\n | expected a space before the exemplar value of c_total
                """)
        void malformedInputNamesTheLineAndTheProblem(int lineNo, String input, String message) {
            String body = unescape(input);
            assertThatThrownBy(() -> om(body))
                    .isInstanceOf(ExpositionParseException.class)
                    .hasMessage("line " + lineNo + ": " + message);
        }

        /** \n and \t stand for newline and tab; \\ for a backslash. */
        private static String unescape(String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        @Test
        void exemplarLabelsAreLimitedTo128Characters() throws Exception {
            String ok = "a".repeat(120);
            om("# TYPE c counter\nc_total 1 # {t=\"" + ok + "\"} 1\n# EOF\n");
            String tooLong = "a".repeat(128);
            assertThatThrownBy(() -> om("# TYPE c counter\nc_total 1 # {t=\"" + tooLong + "\"} 1\n# EOF\n"))
                    .hasMessage("line 2: exemplar labels of c_total have 129 characters; OpenMetrics allows 128");
        }
    }

    @Test
    void floatsAreReadAsGoParsesThem() {
        String[][] cases = {{"1", "1.0"}, {"-0", "-0.0"}, {"+5", "5.0"}, {"1.5e3", "1500.0"}, {".5", "0.5"},
            {"5.", "5.0"}, {"1E-2", "0.01"}, {"NaN", "NaN"}, {"nan", "NaN"}, {"Inf", "Infinity"},
            {"+inf", "Infinity"}, {"-Inf", "-Infinity"}, {"+Infinity", "Infinity"},
            {"123456789012345678901", "1.2345678901234568E20"}, {"", "NaN"}, {"-", "NaN"}, {"1f", "NaN"},
            {"e5", "NaN"}, {"1_000", "NaN"}};
        for (String[] c : cases) {
            byte[] b = c[0].getBytes(StandardCharsets.US_ASCII);
            assertThat(Double.toString(ExpositionParser.parseFloat(b, 0, b.length))).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void formatFollowsTheContentType() {
        assertThat(ExpositionFormat.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
                .isEqualTo(ExpositionFormat.OPENMETRICS);
        assertThat(ExpositionFormat.fromContentType("text/plain; version=0.0.4")).isEqualTo(ExpositionFormat.TEXT_004);
        assertThat(ExpositionFormat.fromContentType("text/html")).isEqualTo(ExpositionFormat.TEXT_004);
        assertThat(ExpositionFormat.fromContentType(null)).isEqualTo(ExpositionFormat.TEXT_004);
    }

    @Test
    void samplesResolveToTheirFamilies() throws Exception {
        Exposition e = text("""
                # TYPE a_total counter
                # TYPE h histogram
                # TYPE s summary
                a_total 1
                a_created 2
                h_bucket{le="1"} 1
                h_count 1
                h_sum 1
                s 1
                s_count 1
                g 1
                h_total 1
                """);
        List<String> roles = new ArrayList<>();
        for (Sample s : e.samples()) {
            FamilyResolver.Resolved r = FamilyResolver.resolve(s.name(), e.families());
            roles.add(s.name() + "->" + r.family().name() + ":" + r.family().kind() + ":" + r.role());
        }
        assertThat(roles).containsExactly("a_total->a_total:COUNTER:TOTAL", "a_created->a_total:COUNTER:CREATED",
                "h_bucket->h:HISTOGRAM:BUCKET", "h_count->h:HISTOGRAM:COUNT", "h_sum->h:HISTOGRAM:SUM",
                "s->s:SUMMARY:VALUE", "s_count->s:SUMMARY:COUNT", "g->g:UNKNOWN:VALUE",
                "h_total->h_total:UNKNOWN:VALUE");
    }
}
