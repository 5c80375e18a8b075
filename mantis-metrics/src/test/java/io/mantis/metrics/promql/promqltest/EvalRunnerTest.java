package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import io.mantis.metrics.promql.value.Annotations;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.otlp.prometheus.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalRunnerTest {

    private static final Labels A = Labels.of("__name__", "m", "x", "a");

    /** Answers instant and range queries with fixed results, and records what it was asked. */
    private static final class FixedEngine implements QueryEngine {
        final QueryResult instant;
        final QueryResult range;
        final List<String> calls = new ArrayList<>();

        FixedEngine(QueryResult instant, QueryResult range) {
            this.instant = instant;
            this.range = range;
        }

        @Override
        public QueryResult instant(String query, long t) {
            calls.add("instant " + query + " @" + t);
            return instant;
        }

        @Override
        public QueryResult range(String query, long start, long end, long step) {
            calls.add("range " + query + " " + start + ".." + end + "/" + step);
            return range;
        }
    }

    private static Eval eval(String text) {
        return (Eval) ScriptParser.parse("t.test", text).commands().get(0);
    }

    private static QueryResult vector(double v) {
        return QueryResult.of(Vector.of(Sample.ofFloat(A, 120_000, v)));
    }

    private static QueryResult matrixAt2m(double v) {
        return QueryResult.of(Matrix.of(Series.ofFloats(A, new long[] {60_000, 120_000, 180_000},
                new double[] {0, v, 0})));
    }

    private static final EvalRunner.Settings STRICT = EvalRunner.Settings.DEFAULTS;

    @Test
    void instantEvalsAreRepeatedInRangeModeAroundTheirTime() {
        Eval ev = eval("eval instant at 2m m\n  m{x=\"a\"} 5");
        FixedEngine ok = new FixedEngine(vector(5), matrixAt2m(5));
        assertThat(EvalRunner.check(ev, ok, STRICT)).isNull();
        assertThat(ok.calls).containsExactly("instant m @120000", "range m 60000..180000/60000");
        // a range mode that disagrees at the eval time is caught
        assertThat(EvalRunner.check(ev, new FixedEngine(vector(5), matrixAt2m(6)), STRICT))
                .startsWith("in range mode: expected 5");
        assertThat(EvalRunner.check(ev, new FixedEngine(vector(5), QueryResult.failure(ErrorType.EXECUTION, "x")), STRICT))
                .contains("in range mode");
        assertThat(EvalRunner.check(ev, new FixedEngine(vector(5), vector(5)), STRICT)).contains("must return a matrix");
        // ... unless it is turned off, or the query depends on its own range
        assertThat(EvalRunner.check(ev, new FixedEngine(vector(5), matrixAt2m(6)), new EvalRunner.Settings(true, false)))
                .isNull();
        Eval stepDependent = eval("eval instant at 2m m + step()\n  m{x=\"a\"} 5");
        FixedEngine once = new FixedEngine(vector(5), matrixAt2m(6));
        assertThat(EvalRunner.check(stepDependent, once, STRICT)).isNull();
        assertThat(once.calls).hasSize(1);
    }

    @Test
    void scalarsAreComparedInRangeModeThroughTheirPointAtTheEvalTime() {
        Eval ev = eval("eval instant at 2m 5\n  5");
        QueryResult series = QueryResult.of(Matrix.of(Series.ofFloats(Labels.empty(), new long[] {60_000, 120_000},
                new double[] {5, 5})));
        assertThat(EvalRunner.check(ev, new FixedEngine(QueryResult.of(new Scalar(120_000, 5)), series), STRICT)).isNull();
        assertThat(EvalRunner.check(ev, new FixedEngine(QueryResult.of(new Scalar(120_000, 5)), QueryResult.of(Matrix.EMPTY)),
                STRICT)).contains("no point");
    }

    @Test
    void failuresExpectedAndUnexpected() {
        QueryResult boom = QueryResult.failure(ErrorType.EXECUTION, "boom");
        assertThat(EvalRunner.check(eval("eval instant at 0 m"), new FixedEngine(boom, null), STRICT))
                .isEqualTo("error evaluating query: execution: boom");
        assertThat(EvalRunner.check(eval("eval instant at 0 m\n expect fail msg: boom"), new FixedEngine(boom, null), STRICT))
                .isNull();
        assertThat(EvalRunner.check(eval("eval instant at 0 m\n expect fail msg: bang"), new FixedEngine(boom, null), STRICT))
                .contains("expected error matching message \"bang\"");
        assertThat(EvalRunner.check(eval("eval instant at 0 m\n expect fail msg: bang"), new FixedEngine(boom, null),
                new EvalRunner.Settings(false, true))).isNull();
        assertThat(EvalRunner.check(eval("eval_fail instant at 0 m"), new FixedEngine(vector(1), null), STRICT))
                .contains("expected an error");
        assertThat(EvalRunner.check(eval("eval range from 0 to 1m step 1m m\n expect fail"),
                new FixedEngine(null, QueryResult.failure(ErrorType.BAD_DATA, "1:2: parse error: no")), STRICT))
                .contains("unparsable");
    }

    @Test
    void annotationsAreCheckedBeforeTheResult() {
        QueryResult warned = QueryResult.of(Vector.EMPTY, Annotations.ofWarnings("PromQL warning: w (1:1)"));
        assertThat(EvalRunner.check(eval("eval instant at 0 m\n expect no_warn"), new FixedEngine(warned, null), STRICT))
                .contains("unexpected warning");
        assertThat(EvalRunner.check(eval("eval instant at 0 m\n expect warn"),
                new FixedEngine(warned, QueryResult.of(Matrix.EMPTY)), STRICT)).isNull();
    }

    @Test
    void rangeEvalsMustReturnMatrices() {
        Eval ev = eval("eval range from 0 to 1m step 1m m\n  m{x=\"a\"} 1 1");
        assertThat(EvalRunner.check(ev, new FixedEngine(null, vector(1)), STRICT)).contains("must return a matrix");
        QueryResult m = QueryResult.of(Matrix.of(Series.ofFloats(A, new long[] {0, 60_000}, new double[] {1, 1})));
        assertThat(EvalRunner.check(ev, new FixedEngine(null, m), STRICT)).isNull();
    }

    @Test
    void orderedInstantEvalsAreNotComparedInRangeMode() {
        Eval ev = eval("eval instant at 2m sort(m)\n  expect ordered\n  m{x=\"a\"} 5");
        assertThat(EvalRunner.check(ev, new FixedEngine(vector(5), matrixAt2m(6)), STRICT)).isNull();
    }

    @Test
    void aScriptRunsEndToEndAgainstARealStore(@TempDir Path dir) {
        Script script = ScriptParser.parse("t.test", """
                load 1m
                  m{x="a"} 1 2 3 _ _ _ _ _ _ _ 9
                  m{x="b"} 5 stale

                eval instant at 2m m
                  m{x="a"} 3

                eval instant at 30s m
                  m{x="a"} 1
                  m{x="b"} 5

                eval range from 0 to 12m step 4m m
                  m{x="a"} 1 3 _ 9
                  m{x="b"} 5

                eval instant at 0 42
                  42

                eval instant at 2m m
                  m{x="a"} 4

                eval instant at 0 sum(m)

                clear

                eval instant at 2m m

                load 1m
                  n 1

                load 1m
                  n 2

                eval instant at 0 n
                  n 1
                """);
        List<String> outcomes = new ArrayList<>();
        try (ScriptSession session = new ScriptSession(script, dir, new SelectorEngine.Factory(),
                EngineFactories.SCRIPT_OPTIONS)) {
            for (int i = 0; i < script.commands().size(); i++) {
                if (script.commands().get(i) instanceof Eval ev) {
                    String problem;
                    try {
                        problem = EvalRunner.check(ev, session.engineFor(i), STRICT);
                    } catch (IllegalStateException e) {
                        problem = e.getMessage();
                    }
                    outcomes.add(ev.line() + ": " + Optional.ofNullable(problem).orElse("ok"));
                }
            }
        }
        assertThat(outcomes).hasSize(8);
        assertThat(outcomes.subList(0, 4)).containsExactly("5: ok", "8: ok", "12: ok", "16: ok");
        assertThat(outcomes.get(4)).startsWith("19: expected 4 for");
        assertThat(outcomes.get(5)).startsWith("22: error evaluating query: bad_data: 1:4: parse error");
        // after the clear the store is empty again
        assertThat(outcomes.get(6)).isEqualTo("26: ok");
        // the second load of n refuses its sample at t=0: every eval until the next clear says so
        assertThat(outcomes.get(7)).startsWith("34: an earlier load failed: line 32: the store refused");
    }

    @Test
    void sessionsRunForwardOnly(@TempDir Path dir) {
        Script script = ScriptParser.parse("t.test", "load 1m\n  m 1\n\neval instant at 0 m\n  m 1\n");
        try (ScriptSession session = new ScriptSession(script, dir, new SelectorEngine.Factory(),
                EngineFactories.SCRIPT_OPTIONS)) {
            QueryEngine engine = session.engineFor(1);
            assertThat(session.engineFor(1)).isSameAs(engine);
            assertThatThrownBy(() -> session.engineFor(0)).isInstanceOf(IllegalStateException.class);
        }
    }
}
