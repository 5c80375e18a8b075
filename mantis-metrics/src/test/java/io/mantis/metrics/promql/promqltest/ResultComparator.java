package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import io.mantis.metrics.promql.promqltest.Script.ExpectedSeries;
import io.mantis.metrics.promql.promqltest.Script.TextMatcher;
import io.mantis.metrics.promql.value.Annotations;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryError;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.StringValue;
import io.mantis.metrics.promql.value.Value;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.metrics.tsdb.index.CodePointOrder;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares what an engine returned with what an eval expects, by the rules of Prometheus'
 * promqltest (FORMAT.md §4): floats within a relative 1e-6, NaN equal to NaN but the staleness
 * marker only to itself, histograms compared after compaction (the hint only where the script wrote
 * it), instant vectors in any order unless {@code expect ordered}, matrices point by point at
 * {@code start + i * step} and sorted by labels, annotations and failures by their texts.
 *
 * <p>Each check returns null when the result passes, else a message saying what differs. A few
 * checks are stricter than the reference where it would let a wrong result type through (a string
 * expected and a vector returned, or the other way round).
 */
final class ResultComparator {

    static final double EPSILON = 1e-6;
    private static final double MIN_NORMAL = Double.MIN_NORMAL;

    /** Go's labels.Compare: names then values, pair by pair, by UTF-8 bytes; shorter first on a tie. */
    static final Comparator<Labels> LABELS_ORDER = (a, b) -> {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = CodePointOrder.INSTANCE.compare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = CodePointOrder.INSTANCE.compare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private ResultComparator() {
    }

    // ------------------------------------------------------------------ numbers and histograms

    /** The reference's "almost equal": relative epsilon, NaN equals NaN, stale NaN only stale NaN. */
    static boolean floatEquals(double expected, double actual) {
        boolean staleE = SeriesSink.isStaleMarker(expected);
        boolean staleA = SeriesSink.isStaleMarker(actual);
        if (staleE || staleA) {
            return staleE && staleA;
        }
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return true;
        }
        if (expected == actual) {
            return true;
        }
        double absSum = Math.abs(expected) + Math.abs(actual);
        double diff = Math.abs(expected - actual);
        if (expected == 0 || actual == 0 || absSum < MIN_NORMAL) {
            return diff < EPSILON * MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < EPSILON;
    }

    /** Histogram equality after compacting both; the counter-reset hint only when {@code hintSet}. */
    static boolean histogramEquals(FloatHistogram expected, FloatHistogram actual, boolean hintSet) {
        FloatHistogram e = Histograms.compact(expected, 0);
        FloatHistogram a = Histograms.compact(actual, 0);
        if (e.schema() != a.schema() || !floatEquals(e.count(), a.count()) || !floatEquals(e.sum(), a.sum())) {
            return false;
        }
        if (e.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA && !Histograms.sameBounds(e, a)) {
            return false;
        }
        if (e.zeroThreshold() != a.zeroThreshold() || !floatEquals(e.zeroCount(), a.zeroCount())) {
            return false;
        }
        if (!sameBuckets(Histograms.Side.of(e.positive()), Histograms.Side.of(a.positive()))
                || !sameBuckets(Histograms.Side.of(e.negative()), Histograms.Side.of(a.negative()))) {
            return false;
        }
        return !hintSet || e.counterResetHint() == a.counterResetHint();
    }

    private static boolean sameBuckets(Histograms.Side e, Histograms.Side a) {
        if (!java.util.Arrays.equals(e.indexes(), a.indexes())) {
            return false;
        }
        for (int i = 0; i < e.counts().length; i++) {
            if (!floatEquals(e.counts()[i], a.counts()[i])) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ results

    /** Checks a successful result against the eval's expectations. */
    static String compare(Eval ev, Value actual) {
        return switch (actual) {
            case Matrix m -> compareMatrix(ev, m);
            case Vector v -> compareVector(ev, v);
            case Scalar s -> {
                if (ev.scalar() == null) {
                    yield "expected " + expectedKind(ev) + " result, but got scalar " + Histograms.number(s.v());
                }
                yield floatEquals(ev.scalar().value(), s.v()) ? null
                        : "expected scalar " + Histograms.number(ev.scalar().value()) + " but got "
                                + Histograms.number(s.v());
            }
            case StringValue s -> {
                if (ev.string() == null) {
                    yield "expected " + expectedKind(ev) + " result, but got string \"" + s.s() + "\"";
                }
                yield ev.string().equals(s.s()) ? null : "expected string \"" + ev.string() + "\" but got \"" + s.s() + "\"";
            }
        };
    }

    private static String expectedKind(Eval ev) {
        return ev.scalar() != null ? "scalar" : ev.string() != null ? "string" : "vector or matrix";
    }

    private static String compareMatrix(Eval ev, Matrix m) {
        if (ev.ordered()) {
            return "expected ordered result, but query returned a matrix";
        }
        if (ev.scalar() != null || ev.string() != null) {
            return "expected " + expectedKind(ev) + " result, but got a matrix of " + m.size() + " series";
        }
        String unsorted = checkSorted(m);
        if (unsorted != null) {
            return unsorted;
        }
        long start;
        long end;
        long step;
        if (ev.range()) {
            start = ev.start();
            end = ev.end();
            step = ev.step();
        } else if (ev.rangeVector() != null) {
            start = ev.rangeVector().start();
            end = ev.rangeVector().end();
            step = ev.rangeVector().step();
        } else {
            // An instant eval without 'expect range vector' has no time range: any expected value
            // for a matrix result is too many, as in the reference.
            start = ev.time();
            end = Long.MIN_VALUE;
            step = 0;
        }
        Set<Labels> seen = new HashSet<>();
        for (Series s : m.series()) {
            ExpectedSeries exp = ev.expected().get(s.metric());
            if (exp == null) {
                return "unexpected metric " + s.metric() + " in result, has " + describe(s);
            }
            seen.add(s.metric());
            List<long[]> floatTimes = new ArrayList<>();
            List<Slot> floats = new ArrayList<>();
            List<long[]> histTimes = new ArrayList<>();
            List<Slot> hists = new ArrayList<>();
            for (int i = 0; i < exp.values().size(); i++) {
                long t = start + i * step;
                if (t > end) {
                    return "expected " + exp.values().size() + " points for " + s.metric()
                            + ", but query time range cannot return this many points";
                }
                Slot v = exp.values().get(i);
                if (v.isHistogram()) {
                    histTimes.add(new long[] {t});
                    hists.add(v);
                } else if (!v.isGap()) {
                    floatTimes.add(new long[] {t});
                    floats.add(v);
                }
            }
            if (floats.size() != s.floatCount() || hists.size() != s.histogramCount()) {
                return "expected " + floats.size() + " float points and " + hists.size() + " histogram points for "
                        + s.metric() + ", but got " + describe(s);
            }
            for (int i = 0; i < floats.size(); i++) {
                long t = floatTimes.get(i)[0];
                if (t != s.floatTimestamp(i)) {
                    return "expected float value at index " + i + " for " + s.metric() + " to have timestamp " + t
                            + ", but it had timestamp " + s.floatTimestamp(i) + " (result has " + describe(s) + ")";
                }
                if (!floatEquals(floats.get(i).value(), s.floatValue(i))) {
                    return "expected float value at index " + i + " (t=" + t + ") for " + s.metric() + " to be "
                            + floats.get(i) + ", but got " + Histograms.number(s.floatValue(i)) + " (result has "
                            + describe(s) + ")";
                }
            }
            for (int i = 0; i < hists.size(); i++) {
                long t = histTimes.get(i)[0];
                if (t != s.histogramTimestamp(i)) {
                    return "expected histogram value at index " + i + " for " + s.metric() + " to have timestamp " + t
                            + ", but it had timestamp " + s.histogramTimestamp(i) + " (result has " + describe(s) + ")";
                }
                Slot e = hists.get(i);
                if (!histogramEquals(e.histogram(), s.histogram(i), e.hintSet())) {
                    return "expected histogram value at index " + i + " (t=" + t + ") for " + s.metric() + " to be "
                            + e + ", but got " + Histograms.testExpression(s.histogram(i)) + " (result has "
                            + describe(s) + ")";
                }
            }
        }
        for (Labels l : ev.expected().keySet()) {
            if (!seen.contains(l)) {
                return "expected metric " + l + " not found";
            }
        }
        return null;
    }

    private static String compareVector(Eval ev, Vector v) {
        if (ev.scalar() != null || ev.string() != null) {
            return "expected " + expectedKind(ev) + " result, but got a vector of " + v.size() + " samples";
        }
        Set<Labels> seen = new HashSet<>();
        for (int pos = 0; pos < v.size(); pos++) {
            Sample s = v.get(pos);
            ExpectedSeries exp = ev.expected().get(s.metric());
            if (exp == null) {
                return "unexpected metric " + s.metric() + " in result, has value " + describe(s);
            }
            if (!seen.add(s.metric())) {
                return "metric " + s.metric() + " appears twice in the result";
            }
            if (ev.ordered() && exp.position() != pos + 1) {
                return "expected metric " + s.metric() + " with " + exp.values() + " at position " + exp.position()
                        + " but was at " + (pos + 1);
            }
            if (exp.values().isEmpty() || exp.values().get(0).isGap()) {
                return "expected no value for " + s.metric() + " but got " + describe(s);
            }
            Slot e = exp.values().get(0);
            if (!e.isHistogram() && s.isHistogram()) {
                return "expected float value " + e + " for " + s.metric() + " but got histogram " + describe(s);
            }
            if (e.isHistogram() && !s.isHistogram()) {
                return "expected histogram " + e + " for " + s.metric() + " but got float value " + describe(s);
            }
            if (e.isHistogram() ? !histogramEquals(e.histogram(), s.h(), e.hintSet()) : !floatEquals(e.value(), s.v())) {
                return "expected " + e + " for " + s.metric() + " but got " + describe(s);
            }
        }
        for (ExpectedSeries e : ev.expected().values()) {
            if (!seen.contains(e.labels())) {
                return "expected metric " + e.labels() + " with " + e.values() + " not found";
            }
        }
        return null;
    }

    /** Range results must be sorted by labels. */
    static String checkSorted(Matrix m) {
        for (int i = 1; i < m.size(); i++) {
            if (LABELS_ORDER.compare(m.get(i - 1).metric(), m.get(i).metric()) > 0) {
                return "matrix results should always be sorted by labels, but matrix is not sorted: series at index "
                        + i + " with labels " + m.get(i).metric() + " sorts before series at index " + (i - 1)
                        + " with labels " + m.get(i - 1).metric();
            }
        }
        return null;
    }

    private static String describe(Sample s) {
        return s.isHistogram() ? Histograms.testExpression(s.h()) : Histograms.number(s.v());
    }

    private static String describe(Series s) {
        StringBuilder sb = new StringBuilder().append(s.floatCount()).append(" float point")
                .append(s.floatCount() == 1 ? "" : "s").append(" [");
        for (int i = 0; i < s.floatCount(); i++) {
            sb.append(i == 0 ? "" : " ").append(Histograms.number(s.floatValue(i))).append(" @[")
                    .append(s.floatTimestamp(i)).append(']');
        }
        sb.append("] and ").append(s.histogramCount()).append(" histogram point")
                .append(s.histogramCount() == 1 ? "" : "s").append(" [");
        for (int i = 0; i < s.histogramCount(); i++) {
            sb.append(i == 0 ? "" : " ").append(Histograms.testExpression(s.histogram(i))).append(" @[")
                    .append(s.histogramTimestamp(i)).append(']');
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ annotations and failures

    /** Warnings and infos, each checked only when the eval says something about them. */
    static String checkAnnotations(Eval ev, Annotations a, boolean strict) {
        if (ev.warnRequired() && a.warnings().isEmpty()) {
            return "expected warnings but got none";
        }
        if (ev.infoRequired() && a.infos().isEmpty()) {
            return "expected info annotations but got none";
        }
        String w = checkKind(ev.warn(), a.warnings(), "warn", strict);
        if (w != null) {
            return w;
        }
        String i = checkKind(ev.info(), a.infos(), "info", strict);
        if (i != null) {
            return i;
        }
        if (ev.noWarn() && !a.warnings().isEmpty()) {
            return "unexpected warning annotations: " + a.warnings();
        }
        if (ev.noInfo() && !a.infos().isEmpty()) {
            return "unexpected info annotations: " + a.infos();
        }
        return null;
    }

    private static String checkKind(List<TextMatcher> expected, List<String> actual, String kind, boolean strict) {
        if (expected.isEmpty()) {
            return null;
        }
        if (actual.isEmpty()) {
            return "expected " + kind + " annotations but none were found";
        }
        for (TextMatcher e : expected) {
            if (actual.stream().noneMatch(t -> e.matches(t, strict))) {
                return "expected " + kind + " annotation matching " + e.describe()
                        + " but no matching annotation was found, found: " + actual;
            }
        }
        for (String t : actual) {
            if (expected.stream().noneMatch(e -> e.matches(t, strict))) {
                return "unexpected " + kind + " annotation \"" + t + "\" found";
            }
        }
        return null;
    }

    /** An error the eval expects: its text must match the expectation, and it must not be a parse error. */
    static String checkExpectedFailure(Eval ev, QueryError error, boolean strict) {
        if (isParseError(error)) {
            return "the query was rejected as unparsable (" + error.message() + "), but every query of the scripts "
                    + "parses: 'expect fail' is about evaluation errors";
        }
        if (!ev.failMatcher().matches(error.message(), strict)) {
            return "expected error matching " + ev.failMatcher().describe() + ", but got: " + error.message();
        }
        return null;
    }

    static boolean isParseError(QueryError error) {
        return error.type() == ErrorType.BAD_DATA && error.message().contains("parse error");
    }
}
