package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mantis.metrics.promql.promqltest.Script.Clear;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import io.mantis.metrics.promql.promqltest.Script.ExpectedSeries;
import io.mantis.metrics.promql.promqltest.Script.Load;
import io.mantis.metrics.promql.promqltest.Script.LoadSeries;
import io.mantis.otlp.prometheus.Labels;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScriptParserTest {

    // ------------------------------------------------------------------ the conformance scripts

    /** Per file: instant evals, range evals (the table in the conformance README). */
    private static final Map<String, int[]> EVALS = new TreeMap<>(Map.ofEntries(
            Map.entry("aggregators.test", new int[] {153, 7}),
            Map.entry("at_modifier.test", new int[] {63, 15}),
            Map.entry("collision.test", new int[] {2, 0}),
            Map.entry("duration_expression.test", new int[] {30, 29}),
            Map.entry("extended_vectors.test", new int[] {162, 7}),
            Map.entry("fill-modifier.test", new int[] {39, 7}),
            Map.entry("functions.test", new int[] {394, 37}),
            Map.entry("histograms.test", new int[] {185, 0}),
            Map.entry("info.test", new int[] {4, 49}),
            Map.entry("limit.test", new int[] {13, 24}),
            Map.entry("literals.test", new int[] {25, 0}),
            Map.entry("name_label_dropping.test", new int[] {29, 1}),
            Map.entry("native_histograms.test", new int[] {502, 20}),
            Map.entry("operators.test", new int[] {113, 101}),
            Map.entry("range_queries.test", new int[] {5, 13}),
            Map.entry("selectors.test", new int[] {31, 0}),
            Map.entry("staleness.test", new int[] {17, 0}),
            Map.entry("start_timestamps.test", new int[] {7, 19}),
            Map.entry("subquery.test", new int[] {34, 0}),
            Map.entry("trig_functions.test", new int[] {19, 0}),
            Map.entry("type_and_unit.test", new int[] {58, 0})));

    @Test
    void everyScriptParsesWithTheDocumentedNumbersOfCommands() {
        Path dir = Testdata.find();
        assumeTrue(dir != null, Testdata.missingMessage());
        Map<String, int[]> seen = new TreeMap<>();
        int evals = 0;
        int loads = 0;
        int clears = 0;
        int seriesLines = 0;
        int scalars = 0;
        int startLines = 0;
        for (Path file : Testdata.scripts(dir)) {
            Script s = Testdata.parse(file);
            int instant = 0;
            int range = 0;
            for (Script.Command c : s.commands()) {
                switch (c) {
                    case Eval e -> {
                        evals++;
                        if (e.range()) {
                            range++;
                        } else {
                            instant++;
                        }
                        seriesLines += e.expected().values().stream().mapToInt(ExpectedSeries::position).max().orElse(0);
                        scalars += e.scalar() != null ? 1 : 0;
                    }
                    case Load l -> {
                        loads++;
                        startLines += (int) l.series().stream().filter(x -> x.startOffsets() != null).count();
                    }
                    case Clear cl -> clears++;
                }
            }
            seen.put(s.name(), new int[] {instant, range});
        }
        assertThat(seen.keySet()).containsExactlyElementsOf(EVALS.keySet());
        for (Map.Entry<String, int[]> e : EVALS.entrySet()) {
            assertThat(seen.get(e.getKey())).as(e.getKey() + " instant/range evals").containsExactly(e.getValue());
        }
        assertThat(evals).isEqualTo(2214);
        assertThat(loads).isEqualTo(310);
        assertThat(clears).isEqualTo(231);
        assertThat(seriesLines).isEqualTo(3066);
        assertThat(scalars).isEqualTo(54);
        assertThat(startLines).isEqualTo(37);
    }

    // ------------------------------------------------------------------ the language, by example

    private static Script parse(String text) {
        return ScriptParser.parse("t.test", text);
    }

    @Test
    void commandsAreSeparatedByEmptyAndCommentLinesAndKeepTheirLineNumbers() {
        Script s = parse("""
                # a comment
                load 5m
                  http{job="a"} 0+10x2
                  # this comment ends the load block
                clear

                eval instant at 10m sum(http)
                  {} 20
                """);
        assertThat(s.commands()).hasSize(3);
        Load l = (Load) s.commands().get(0);
        assertThat(l.line()).isEqualTo(2);
        assertThat(l.intervalMillis()).isEqualTo(300_000);
        assertThat(l.series()).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.labels()).isEqualTo(Labels.of("__name__", "http", "job", "a"));
            assertThat(x.values()).extracting(Slot::value).containsExactly(0.0, 10.0, 20.0);
        });
        assertThat(s.commands().get(1)).isEqualTo(new Clear(5));
        Eval e = (Eval) s.commands().get(2);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.time()).isEqualTo(600_000);
        assertThat(e.query()).isEqualTo("sum(http)");
        assertThat(e.expected()).containsOnlyKeys(Labels.empty());
    }

    @Test
    void aCommentInsideABlockEndsIt() {
        assertThatThrownBy(() -> parse("""
                load 1m
                  a 1
                # comment
                  b 2
                """)).isInstanceOf(ScriptException.class).hasMessageContaining("line 4: invalid command");
    }

    @Test
    void rangeEvalsAndTheirTimes() {
        Eval e = (Eval) parse("eval range from 0 to 1m30s step 10s500ms rate(x[1m]) # not a comment\n  {} 1 _ 2")
                .commands().get(0);
        assertThat(e.range()).isTrue();
        assertThat(e.start()).isZero();
        assertThat(e.end()).isEqualTo(90_000);
        assertThat(e.step()).isEqualTo(10_500);
        assertThat(e.query()).isEqualTo("rate(x[1m]) # not a comment");
        assertThat(e.expected().get(Labels.empty()).values()).hasSize(3);
        assertThatThrownBy(() -> parse("eval range from 10m to 5m step 1m x"))
                .hasMessageContaining("is before start timestamp");
        assertThatThrownBy(() -> parse("eval_ordered range from 0 to 5m step 1m x"))
                .hasMessageContaining("invalid evaluation command");
        assertThatThrownBy(() -> parse("eval range from 0 to 5m step 1m x\n  expect ordered"))
                .hasMessageContaining("ordered");
        assertThatThrownBy(() -> parse("eval instant at 1m1h x")).hasMessageContaining("invalid timestamp");
    }

    @Test
    void expectLines() {
        Eval e = (Eval) parse("""
                eval instant at 1m foo
                  expect fail msg:  something "quoted" went wrong
                  expect warn regex: PromQL warning: .* \\([0-9]+:[0-9]+\\)
                  expect warn
                  expect no_info
                  expect ordered
                """).commands().get(0);
        assertThat(e.fail()).isTrue();
        assertThat(e.failMatcher().message()).isEqualTo("something \"quoted\" went wrong");
        assertThat(e.warn()).hasSize(2);
        assertThat(e.warn().get(0).matches("PromQL warning: x (1:2)", true)).isTrue();
        assertThat(e.warn().get(0).matches("PromQL info: x (1:2)", true)).isFalse();
        assertThat(e.warn().get(0).matches("PromQL info: x (1:2)", false)).isTrue();
        assertThat(e.warn().get(1).isAny()).isTrue();
        assertThat(e.noInfo()).isTrue();
        assertThat(e.ordered()).isTrue();
        assertThatThrownBy(() -> parse("eval instant at 0 x\n expect warn\n expect no_warn"))
                .hasMessageContaining("warn and no_warn");
        assertThatThrownBy(() -> parse("eval instant at 0 x\n expect fail\n expect fail"))
                .hasMessageContaining("multiple expect fail");
        assertThatThrownBy(() -> parse("eval instant at 0 x\n expect sometimes")).hasMessageContaining("invalid expect");
        assertThatThrownBy(() -> parse("eval instant at 0 x\n expect fail regex: (")).hasMessageContaining("invalid regex");
    }

    @Test
    void deprecatedEvalSpellings() {
        Script s = parse("""
                eval_fail instant at 0 x
                  expected_fail_message boom
                eval instant at 0 y

                eval_warn range from 0 to 1m step 1m y

                eval_info instant at 0 z

                eval_ordered instant at 0 w
                """);
        assertThat(s.commands()).hasSize(5);
        Eval fail = (Eval) s.commands().get(0);
        assertThat(fail.fail()).isTrue();
        assertThat(fail.failMatcher().message()).isEqualTo("boom");
        // expected_fail_message ends the block: the next line is a command of its own
        assertThat(((Eval) s.commands().get(1)).query()).isEqualTo("y");
        assertThat(((Eval) s.commands().get(2)).warnRequired()).isTrue();
        assertThat(((Eval) s.commands().get(3)).infoRequired()).isTrue();
        assertThat(((Eval) s.commands().get(4)).ordered()).isTrue();
        assertThatThrownBy(() -> parse("eval_fail instant at 0 x\n  expected_fail_regexp b.*m\n  x 1"))
                .hasMessageContaining("line 3: invalid command");
    }

    @Test
    void scalarLinesEndTheBlockAndAcceptGoNumberSyntax() {
        Script s = parse("eval instant at 0 1\n  0x10\n");
        assertThat(((Eval) s.commands().get(0)).scalar().value()).isEqualTo(16.0);
        assertThat(ScriptParser.number("010")).isEqualTo(8.0);
        assertThat(ScriptParser.number("-0b11")).isEqualTo(-3.0);
        assertThat(ScriptParser.number("1e3")).isEqualTo(1000.0);
        assertThat(ScriptParser.number("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ScriptParser.number("+infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ScriptParser.number("NaN")).isNaN();
        assertThat(ScriptParser.number("0x1p-2")).isEqualTo(0.25);
        assertThat(ScriptParser.number("99999999999999999999")).isEqualTo(1e20);
        assertThat(ScriptParser.number("1d")).isNull();
        assertThat(ScriptParser.number("{} 1")).isNull();
        assertThatThrownBy(() -> parse("eval instant at 0 1\n  2\n  {} 3"))
                .hasMessageContaining("line 3: invalid command");
    }

    @Test
    void instantEvalsTakeOneValuePerSeriesUnlessARangeVectorIsExpected() {
        assertThatThrownBy(() -> parse("eval instant at 1m x[1m]\n  x 1 2"))
                .hasMessageContaining("multiple values in instant evaluation");
        Eval e = (Eval) parse("eval instant at 1m x[1m]\n  expect range vector from 0 to 1m step 30s\n  x 1 2 3")
                .commands().get(0);
        assertThat(e.rangeVector()).isEqualTo(new Script.RangeVector(0, 60_000, 30_000));
        assertThat(e.time()).isEqualTo(60_000);
        assertThat(e.excludedFromRangeCheck()).isTrue();
    }

    @Test
    void expectedStringsAreGoLiterals() {
        Eval e = (Eval) parse("eval instant at 0 \"a\"\n  expect string \"a\\tb\"").commands().get(0);
        assertThat(e.string()).isEqualTo("a\tb");
        assertThat(((Eval) parse("eval instant at 0 `x`\n  expect string `a\\tb`").commands().get(0)).string())
                .isEqualTo("a\\tb");
        assertThatThrownBy(() -> parse("eval instant at 0 \"a\"\n  expect string a")).hasMessageContaining("quoted");
        assertThatThrownBy(() -> parse("eval instant at 0 \"a\"\n  expect string")).hasMessageContaining("required");
    }

    @Test
    void orderedPositionsCountSeriesLinesOnlyAndLaterLinesReplaceEarlierOnes() {
        Eval e = (Eval) parse("""
                eval instant at 0 sort(x)
                  expect ordered
                  x{a="1"} 1
                  expect no_warn
                  x{a="2"} 2
                  x{a="1"} 3
                """).commands().get(0);
        assertThat(e.expected().values()).extracting(ExpectedSeries::position).containsExactly(2, 3);
        assertThat(e.expected().get(Labels.of("__name__", "x", "a", "1")).values().get(0).value()).isEqualTo(3.0);
    }

    @Test
    void startTimestampLines() {
        Load l = (Load) parse("""
                load 1m
                  c{t="x"}@st _ _ -30s-1mx2 0
                  c{t="x"} _ _ 0+60x3
                """).commands().get(0);
        LoadSeries s = l.series().get(0);
        assertThat(s.startOffsets()).containsExactly(LoadSeries.NO_START, LoadSeries.NO_START, -30_000, -90_000,
                -150_000, 0);
        assertThatThrownBy(() -> parse("load 1m\n  c@st 0 0\n  c 1"))
                .hasMessageContaining("line 2: @st line has 2 values but sample line has 1");
        assertThatThrownBy(() -> parse("load 1m\n  c@st 0\n  d 1")).hasMessageContaining("does not match");
        assertThatThrownBy(() -> parse("load 1m\n  c@st 0")).hasMessageContaining("no following sample line");
    }

    @Test
    void loadsReplaceARepeatedSeriesAndRejectBadLines() {
        Load l = (Load) parse("load_with_nhcb 1m\n  a 1\n  b 2\n  a 3").commands().get(0);
        assertThat(l.withNhcb()).isTrue();
        assertThat(l.series()).extracting(x -> x.values().get(0).value()).containsExactly(3.0, 2.0);
        assertThatThrownBy(() -> parse("load 1m\n  a{b=~\"x\"} 1")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> parse("load 1x\n  a 1")).hasMessageContaining("invalid interval");
        assertThatThrownBy(() -> parse("bogus")).hasMessageContaining("invalid command");
    }
}
