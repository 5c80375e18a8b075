package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs one eval against an engine and says whether it passed, as the reference harness does:
 * expected failures, annotations, the result; and for an instant eval that passed, the same query
 * once more as a range query from a minute before to a minute after, whose point at the eval time
 * must give the same result (FORMAT.md §6.1).
 */
final class EvalRunner {

    /** Queries whose value depends on the query's own range: not repeated as range queries. */
    private static final Pattern RANGE_DEPENDENT = Pattern.compile("(start|end|range|step)\\(\\)");
    private static final long RANGE_CHECK_STEP = 60_000;

    /**
     * @param strictMessages compare {@code msg:}/{@code regex:} of expected errors and annotations
     *                       (off: any error or annotation of the right kind will do)
     * @param rangeCheck     repeat passing instant evals in range mode
     */
    record Settings(boolean strictMessages, boolean rangeCheck) {

        static final Settings DEFAULTS = new Settings(true, true);

        /** From {@code -Dpromqltest.strictMessages=false} and {@code -Dpromqltest.rangeCheck=false}. */
        static Settings fromSystemProperties() {
            return new Settings(!"false".equals(System.getProperty("promqltest.strictMessages")),
                    !"false".equals(System.getProperty("promqltest.rangeCheck")));
        }
    }

    private EvalRunner() {
    }

    /** Null when the eval passes, else why not. */
    static String check(Eval ev, QueryEngine engine, Settings settings) {
        QueryResult r = ev.range() ? engine.range(ev.query(), ev.start(), ev.end(), ev.step())
                : engine.instant(ev.query(), ev.time());
        if (r.failed()) {
            if (!ev.fail()) {
                return "error evaluating query: " + r.error().type().wire() + ": " + r.error().message();
            }
            return ResultComparator.checkExpectedFailure(ev, r.error(), settings.strictMessages());
        }
        if (ev.fail()) {
            return "expected an error evaluating the query but got none";
        }
        String problem = ResultComparator.checkAnnotations(ev, r.annotations(), settings.strictMessages());
        if (problem != null) {
            return problem;
        }
        if (ev.range() && !(r.value() instanceof Matrix)) {
            return "a range query must return a matrix, got " + r.value().type().wire();
        }
        problem = ResultComparator.compare(ev, r.value());
        if (problem != null || ev.range() || !settings.rangeCheck()) {
            return problem;
        }
        return checkInRangeMode(ev, r, engine);
    }

    private static String checkInRangeMode(Eval ev, QueryResult instant, QueryEngine engine) {
        if (ev.excludedFromRangeCheck() || RANGE_DEPENDENT.matcher(ev.query()).find()) {
            return null;
        }
        long t = ev.time();
        QueryResult r = engine.range(ev.query(), t - RANGE_CHECK_STEP, t + RANGE_CHECK_STEP, RANGE_CHECK_STEP);
        if (r.failed()) {
            return "error evaluating the query in range mode: " + r.error().type().wire() + ": " + r.error().message();
        }
        if (ev.ordered()) {
            // range results are sorted by labels: the order an instant query promises is not there
            return null;
        }
        if (!(r.value() instanceof Matrix m)) {
            return "in range mode: a range query must return a matrix, got " + r.value().type().wire();
        }
        String unsorted = ResultComparator.checkSorted(m);
        if (unsorted != null) {
            return "in range mode: " + unsorted;
        }
        List<Sample> atT = new ArrayList<>();
        for (Series s : m.series()) {
            for (int i = 0; i < s.floatCount(); i++) {
                if (s.floatTimestamp(i) == t) {
                    atT.add(Sample.ofFloat(s.metric(), t, s.floatValue(i)));
                    break;
                }
            }
            for (int i = 0; i < s.histogramCount(); i++) {
                if (s.histogramTimestamp(i) == t) {
                    atT.add(Sample.ofHistogram(s.metric(), t, s.histogram(i)));
                    break;
                }
            }
        }
        String problem;
        if (instant.value() instanceof Scalar) {
            problem = atT.isEmpty() ? "the scalar has no point at the eval time"
                    : ResultComparator.compare(ev, new Scalar(t, atT.get(0).v()));
        } else {
            problem = ResultComparator.compare(ev, new Vector(atT));
        }
        return problem == null ? null : "in range mode: " + problem;
    }
}
