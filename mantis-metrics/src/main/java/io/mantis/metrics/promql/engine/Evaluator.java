package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.QueryStats;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.AtModifier;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.BinaryOp;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.DurationExpr;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.PosRange;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.StringLiteral;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.UnaryExpr;
import io.mantis.metrics.promql.ast.VectorMatching;
import io.mantis.metrics.promql.ast.VectorSelector;
import io.mantis.metrics.promql.functions.MathFunctions;
import io.mantis.metrics.promql.functions.RangeFunctions;
import io.mantis.metrics.promql.value.Annotations;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.StringValue;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Queryable;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one query: the series every selector needs, loaded once, and the recursive
 * evaluation of the AST at one step. Values while evaluating are a {@link Double} (scalar), a
 * {@link String}, a {@code List<Pt>} (instant vector) or a {@link RangeValue} (range vector).
 */
final class Evaluator {

    /** The stale marker's bit pattern (Prometheus' {@code value.StaleNaN}). */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    /** The series of a range vector at one step and the range they were taken from. */
    record RangeValue(List<Win> series, long rangeStart, long rangeEnd, boolean anchored, boolean smoothed) {

        RangeValue(List<Win> series, long rangeStart, long rangeEnd) {
            this(series, rangeStart, rangeEnd, false, false);
        }
    }

    /** One selected series with all its points in the loaded span, stale markers included. */
    static final class Loaded {
        final Labels labels;
        final long[] ft;
        final double[] fv;
        final int fn;
        private final long[] ht;
        private final FloatHistogram[] hv;
        final int hn;
        /**
         * The float window handed out at the current step, reused from step to step: a window is
         * consumed within its step (range functions read it; an instant query has one step), and
         * copying into fresh arrays per series per step was most of a range query's allocation.
         */
        private long[] wt = new long[0];
        private double[] wv = new double[0];
        /** The window object handed out at each step (see {@link Win#set}). */
        private Win win;
        /** Whether any float is a staleness marker (windows leave them out). */
        final boolean hasStale;
        // The previous float window: its range and edges, where the next step's search starts.
        private long lastStart = Long.MAX_VALUE;
        private long lastEnd = Long.MAX_VALUE;
        private int lastF0;
        private int lastF1;

        Loaded(Labels labels, long[] ft, double[] fv, int fn, long[] ht, FloatHistogram[] hv, int hn) {
            this.labels = labels;
            this.ft = ft;
            this.fv = fv;
            this.fn = fn;
            this.ht = ht;
            this.hv = hv;
            this.hn = hn;
            boolean stale = false;
            for (int i = 0; i < fn && !stale; i++) {
                stale = isStale(fv[i]);
            }
            this.hasStale = stale;
        }
    }

    final Queryable storage;
    final QueryEngine.Options options;
    final String query;
    final long start;
    final long end;
    final long interval;
    final long lookback;
    final boolean delayedNameRemoval;
    private final long deadlineNanos;
    private final Annotations.Builder annotations = Annotations.builder();
    private final IdentityHashMap<VectorSelector, long[]> spans = new IdentityHashMap<>();
    private final IdentityHashMap<VectorSelector, List<Loaded>> data = new IdentityHashMap<>();
    private final IdentityHashMap<Call, VectorSelector> infoSelectors = new IdentityHashMap<>();
    /** Selectors read as histogram statistics only ({@link #detectStatsOnly}). */
    private final IdentityHashMap<VectorSelector, Boolean> statsOnly = new IdentityHashMap<>();

    /**
     * Selectors of an instant query read as instant vectors at the query's one time, outside any
     * subquery: each series only contributes its newest sample in the span, which the head can
     * tell without decoding its chunk ({@link io.mantis.metrics.tsdb.Series#latestFloat}).
     */
    private final IdentityHashMap<VectorSelector, Boolean> latestOnly = new IdentityHashMap<>();

    /** Subqueries and info() calls around the expression {@link #plan} is at. */
    private int planNesting;
    private long stepSamples;
    /** {@link #stepSamples} with native histograms weighed as Prometheus weighs them, for the statistics. */
    private long stepWeighted;
    /** Filled as the query runs when the caller asked for statistics, else null. */
    QueryStats stats;
    /** The query step being evaluated (0 for an instant query), for per-step statistics. */
    private int stepIndex;
    /** Above 0 inside a subquery's own evaluation, whose samples Prometheus does not count. */
    private int statsPaused;
    /** Whether a range query may evaluate subtrees series-at-a-time ({@link Columns}). */
    boolean seriesAtATime = true;
    /** The subtrees of a range query evaluated series-at-a-time, or null. */
    private Columns columns;
    /** Every sample and series the selectors loaded. */
    private long loadedSamples;
    private long loadedSeries;

    Evaluator(Queryable storage, QueryEngine.Options options, String query, long start, long end, long interval) {
        this.storage = storage;
        this.options = options;
        this.query = query;
        this.start = start;
        this.end = end;
        this.interval = interval;
        this.lookback = options.lookbackDelta().toMillis();
        this.delayedNameRemoval = options.has(QueryEngine.Feature.DELAYED_NAME_REMOVAL);
        this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
    }

    Annotations annotations() {
        return annotations.build();
    }

    // -----------------------------------------------------------------------------------------
    // Annotations

    void warn(String text, PosRange pos) {
        annotations.warning("PromQL warning: " + text + position(pos));
    }

    void info(String text, PosRange pos) {
        annotations.info("PromQL info: " + text + position(pos));
    }

    private String position(PosRange pos) {
        if (pos == null) {
            return "";
        }
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos.start() && i < query.length(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return " (" + line + ":" + col + ")";
    }

    // -----------------------------------------------------------------------------------------
    // Query driver

    QueryResult run(Expr expr, boolean isRange) {
        long began = System.nanoTime();
        if (stats != null) {
            stats.steps(start, end, isRange ? interval : 0);
        }
        detectStatsOnly(expr, new java.util.ArrayDeque<>());
        plan(expr, start, end);
        load();
        long loaded = System.nanoTime();
        if (!isRange) {
            Object v = evalStep(expr, start);
            QueryResult r = QueryResult.of(toValue(v, start), annotations.build());
            timings(began, loaded, System.nanoTime(), 0);
            return r;
        }
        columns = seriesAtATime ? Columns.plan(this, expr, loadedSamples, loadedSeries) : null;
        if (columns != null && columns.isRoot(expr)) {
            List<Series> series = columns.series(expr);
            long evaluated = System.nanoTime();
            QueryResult r = QueryResult.of(new Matrix(series).sortedByLabels(), annotations.build());
            timings(began, loaded, evaluated, System.nanoTime() - evaluated);
            return r;
        }
        Map<Labels, Series.Builder> out = new HashMap<>();
        long total = 0;
        int steps = (int) Math.min(1024, (end - start) / interval + 1);
        java.util.function.Function<Labels, Series.Builder> newSeries = l -> Series.builder(l).expectFloats(steps);
        for (long t = start; t <= end; t += interval) {
            Object v = evalStep(expr, t);
            if (v instanceof Double d) {
                out.computeIfAbsent(Labels.empty(), newSeries).addFloat(t, d);
                total++;
            } else {
                @SuppressWarnings("unchecked")
                List<Pt> vec = finishNames((List<Pt>) v, false);
                for (Pt p : vec) {
                    Series.Builder b = out.computeIfAbsent(p.metric(), newSeries);
                    if (b.lastTimestamp() == t) {
                        throw EvalException.execution("vector cannot contain metrics with the same labelset");
                    }
                    if (p.isHistogram()) {
                        b.addHistogram(t, p.h());
                    } else {
                        b.addFloat(t, p.f());
                    }
                }
                total += vec.size();
            }
            if (stats != null) {
                stats.updatePeak(total);
            }
            if (total > options.maxSamples()) {
                throw tooManySamples();
            }
        }
        List<Series> series = new ArrayList<>(out.size());
        for (Series.Builder b : out.values()) {
            series.add(b.build());
        }
        long evaluated = System.nanoTime();
        QueryResult r = QueryResult.of(new Matrix(series).sortedByLabels(), annotations.build());
        long sorted = System.nanoTime();
        timings(began, loaded, evaluated, sorted - evaluated);
        return r;
    }

    private void timings(long began, long loaded, long evaluated, long sortNanos) {
        if (stats != null) {
            stats.addQueryPreparation(loaded - began);
            stats.addInnerEval(evaluated - loaded);
            stats.addResultSort(sortNanos);
            stats.addEvalTotal(evaluated - began + sortNanos);
        }
    }

    private Object evalStep(Expr expr, long t) {
        stepSamples = 0;
        stepWeighted = 0;
        stepIndex = interval > 0 ? (int) ((t - start) / interval) : 0;
        return eval(expr, t);
    }

    private io.mantis.metrics.promql.value.Value toValue(Object v, long t) {
        if (v instanceof Double d) {
            return new Scalar(t, d);
        }
        if (v instanceof String s) {
            return new StringValue(t, s);
        }
        if (v instanceof RangeValue r) {
            List<Series> series = new ArrayList<>(r.series().size());
            Set<Labels> seen = new HashSet<>();
            for (Win w : r.series()) {
                Labels m = w.dropName() ? withoutName(w.metric()) : w.metric();
                if (!seen.add(m)) {
                    throw EvalException.execution("vector cannot contain metrics with the same labelset");
                }
                series.add(new Series(m, w.ft(), w.fv(), w.fn(), w.ht(), w.hv(), w.hn()));
            }
            return new Matrix(series);
        }
        @SuppressWarnings("unchecked")
        List<Pt> vec = finishNames((List<Pt>) v);
        List<Sample> samples = new ArrayList<>(vec.size());
        for (Pt p : vec) {
            samples.add(p.isHistogram() ? Sample.ofHistogram(p.metric(), t, p.h())
                    : Sample.ofFloat(p.metric(), t, p.f()));
        }
        return new Vector(samples);
    }

    /** Drops the names marked for dropping and rejects a vector that then holds a label set twice. */
    List<Pt> finishNames(List<Pt> vec) {
        return finishNames(vec, true);
    }

    /**
     * {@link #finishNames(List)}; {@code check} false leaves the duplicate check to the caller
     * (a range query meets each label set in its result map anyway).
     */
    private List<Pt> finishNames(List<Pt> vec, boolean check) {
        List<Pt> out = new ArrayList<>(vec.size());
        Set<Labels> seen = check ? new HashSet<>() : null;
        for (Pt p : vec) {
            Pt q = p.dropName() ? new Pt(withoutName(p.metric()), p.f(), p.h(), p.ts(), false) : p;
            if (check && !seen.add(q.metric())) {
                throw EvalException.execution("vector cannot contain metrics with the same labelset");
            }
            out.add(q);
        }
        return out;
    }

    EvalException tooManySamples() {
        return EvalException.execution(
                "query processing would load too many samples into memory in query execution");
    }

    void countSamples(long n) {
        countSamples(n, n);
    }

    /** {@code n} samples against the limit, {@code weighted} ({@link QueryStats#weight}) for the statistics. */
    private void countSamples(long n, long weighted) {
        stepSamples += n;
        if (stats != null) {
            stepWeighted += weighted;
            if (statsPaused == 0) {
                stats.addSamples(stepIndex, weighted);
            }
            stats.updatePeak(stepWeighted);
        }
        if (stepSamples > options.maxSamples()) {
            throw tooManySamples();
        }
    }

    private static long weightOf(List<Pt> vec) {
        long w = 0;
        for (Pt p : vec) {
            w += p.isHistogram() ? QueryStats.weight(p.h()) : 1;
        }
        return w;
    }

    private static long weightOf(FloatHistogram[] hv, int n) {
        long w = 0;
        for (int i = 0; i < n; i++) {
            w += QueryStats.weight(hv[i]);
        }
        return w;
    }

    void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new EvalException(ErrorType.TIMEOUT, "query timed out in expression evaluation");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new EvalException(ErrorType.CANCELED, "query was canceled in expression evaluation");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Loading

    long duration(DurationExpr d) {
        if (d == null) {
            return 0;
        }
        try {
            return d.millis(interval, end - start);
        } catch (ArithmeticException e) {
            throw EvalException.execution(e.getMessage());
        }
    }

    private long ref(AtModifier at, long t) {
        return at == null ? t : at.resolve(start, end);
    }

    /** Works out, for every selector, the span of time its samples are needed from. */
    private void plan(Expr e, long s, long en) {
        switch (e) {
            case VectorSelector vs -> {
                addSpan(vs, s, en, lookback, vs.smoothed() ? lookback : 0);
                if (start == end && planNesting == 0 && !vs.smoothed() && !vs.anchored()) {
                    latestOnly.put(vs, Boolean.TRUE);
                }
            }
            case MatrixSelector ms -> addSpan(ms.selector(), s, en,
                    duration(ms.range()) + (ms.selector().anchored() || ms.selector().smoothed() ? lookback : 0),
                    ms.selector().smoothed() ? lookback : 0);
            case Call c when c.function().name().equals("info") -> {
                planNesting++;
                plan(c.args().get(0), s, en);
                planNesting--;
                VectorSelector info = InfoFunction.infoSelector(c);
                infoSelectors.put(c, info);
                long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
                collectSpan(c.args().get(0), span);
                if (span[0] <= span[1]) {
                    spans.put(info, new long[] {span[0] - lookback, span[1]});
                }
            }
            case SubqueryExpr sq -> {
                long off = duration(sq.offset());
                long r = duration(sq.range());
                long ns = (sq.at() == null ? s : sq.at().resolve(start, end)) - off - r;
                long ne = (sq.at() == null ? en : sq.at().resolve(start, end)) - off;
                planNesting++;
                plan(sq.expr(), ns, ne);
                planNesting--;
            }
            default -> {
                for (Expr c : e.children()) {
                    plan(c, s, en);
                }
            }
        }
    }

    /**
     * Finds the selectors whose native histograms only feed {@code histogram_count},
     * {@code histogram_sum} or {@code histogram_avg} (Prometheus reads those without their
     * buckets): walking up from a selector, such a function marks it, unless a function that
     * needs buckets ({@code histogram_quantile(s)}, {@code histogram_fraction}), a trim operator
     * or a subquery comes first on the way up.
     */
    private void detectStatsOnly(Expr e, java.util.ArrayDeque<Expr> path) {
        if (e instanceof VectorSelector vs) {
            boolean skip = false;
            walk:
            for (Expr p : path) {
                switch (p) {
                    case SubqueryExpr sq -> {
                        skip = false;
                        break walk;
                    }
                    case MatrixSelector ms when vs.anchored() || vs.smoothed() -> {
                        // Interpolating at the range's edges needs the buckets.
                        skip = false;
                        break walk;
                    }
                    case BinaryExpr b when b.op() == BinaryOp.TRIM_UPPER || b.op() == BinaryOp.TRIM_LOWER -> {
                        skip = false;
                        break walk;
                    }
                    case Call c -> {
                        switch (c.function().name()) {
                            case "histogram_count", "histogram_sum", "histogram_avg" -> skip = true;
                            case "histogram_quantile", "histogram_quantiles", "histogram_fraction" -> {
                                skip = false;
                                break walk;
                            }
                            default -> {
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (skip && !vs.smoothed()) {
                statsOnly.put(vs, Boolean.TRUE);
            }
            return;
        }
        path.push(e);
        for (Expr c : e.children()) {
            detectStatsOnly(c, path);
        }
        path.pop();
    }

    /**
     * What such a selector reads of a histogram: its schema, count and sum, and a counter-reset hint
     * worked out against the sample read before it (Prometheus' histogram statistics iterator),
     * so that an aggregation can see resets and notice conflicting ones. The first sample read
     * has no predecessor: its hint stays unknown unless the store knew it.
     */
    private static FloatHistogram statsOf(FloatHistogram h, FloatHistogram prev) {
        FloatHistogram out = new FloatHistogram();
        if (h.isStale()) {
            return out.sum(h.sum());
        }
        FloatHistogram.CounterResetHint hint = h.counterResetHint();
        if (hint == FloatHistogram.CounterResetHint.UNKNOWN && prev != null) {
            hint = HistogramMath.detectReset(h, prev) ? FloatHistogram.CounterResetHint.RESET
                    : FloatHistogram.CounterResetHint.NOT_RESET;
        }
        // The schema stays: a mix of exponential and custom buckets is still an error.
        return out.schema(h.schema()).count(h.count()).sum(h.sum()).counterResetHint(hint);
    }

    private void collectSpan(Expr e, long[] span) {
        if (e instanceof VectorSelector vs && spans.containsKey(vs)) {
            span[0] = Math.min(span[0], spans.get(vs)[0]);
            span[1] = Math.max(span[1], spans.get(vs)[1]);
        }
        if (e instanceof MatrixSelector ms) {
            collectSpan(ms.selector(), span);
        }
        for (Expr c : e.children()) {
            collectSpan(c, span);
        }
    }

    VectorSelector infoSelector(Call c) {
        return infoSelectors.get(c);
    }

    /** The time a selector with these modifiers samples at for step {@code t}. */
    long selectorTime(AtModifier at, DurationExpr offset, long t) {
        return ref(at, t) - duration(offset);
    }

    /** The info series of an {@code info()} call at sample time {@code ts}. */
    List<Pt> selectAt(VectorSelector vs, long ts) {
        if (!data.containsKey(vs)) {
            return List.of();
        }
        return selectVectorAt(vs, ts);
    }

    private void addSpan(VectorSelector vs, long s, long en, long back, long forward) {
        long off = duration(vs.offset());
        long lo = (vs.at() == null ? s : vs.at().resolve(start, end)) - off - back;
        long hi = (vs.at() == null ? en : vs.at().resolve(start, end)) - off + forward;
        long[] span = spans.get(vs);
        if (span == null) {
            spans.put(vs, new long[] {lo, hi});
        } else {
            span[0] = Math.min(span[0], lo);
            span[1] = Math.max(span[1], hi);
        }
    }

    private void load() {
        for (Map.Entry<VectorSelector, long[]> e : spans.entrySet()) {
            VectorSelector vs = e.getKey();
            long[] span = e.getValue();
            List<Loaded> list = new ArrayList<>();
            try (Querier q = storage.querier(span[0], span[1])) {
                SeriesSet set = q.select(true, vs.matchers().toArray(Matcher[]::new));
                boolean countAndSum = statsOnly.containsKey(vs);
                // Statistics count the samples read, as Prometheus' do: those queries read them all.
                boolean latest = latestOnly.containsKey(vs) && !countAndSum && stats == null;
                ChunkIterator it = null;
                long loaded = 0;
                // Read into buffers shared by all series, then keep exact-size copies: growing
                // each series' own arrays by doubling allocated about three times what it kept.
                long[] ft = new long[256];
                double[] fv = new double[256];
                while (set.next()) {
                    checkDeadline();
                    if (latest && set.at().latestFloat(ft, fv)) {
                        loaded++;
                        loadedSamples++;
                        loadedSeries++;
                        list.add(new Loaded(set.at().labels(), new long[] {ft[0]}, new double[] {fv[0]}, 1,
                                null, null, 0));
                        continue;
                    }
                    it = set.at().iterator(it);
                    int fn = 0;
                    long[] ht = null;
                    FloatHistogram[] hv = null;
                    int hn = 0;
                    FloatHistogram prevFull = null;
                    ValueType vt = it.seek(span[0]);
                    while (vt != ValueType.NONE) {
                        long ts = it.timestamp();
                        if (ts > span[1]) {
                            break;
                        }
                        if (vt == ValueType.FLOAT) {
                            if (fn == ft.length) {
                                ft = Arrays.copyOf(ft, fn * 2);
                                fv = Arrays.copyOf(fv, fn * 2);
                            }
                            fn = it.readFloats(span[1], ft, fv, fn);
                            vt = it.seek(Long.MIN_VALUE);
                            continue;
                        } else {
                            if (ht == null) {
                                ht = new long[8];
                                hv = new FloatHistogram[8];
                            } else if (hn == ht.length) {
                                ht = Arrays.copyOf(ht, hn * 2);
                                hv = Arrays.copyOf(hv, hn * 2);
                            }
                            FloatHistogram h = new FloatHistogram();
                            it.histogram(h);
                            if (countAndSum) {
                                FloatHistogram full = h;
                                h = statsOf(full, prevFull);
                                prevFull = full;
                            }
                            ht[hn] = ts;
                            hv[hn++] = h;
                        }
                        vt = it.next();
                    }
                    loaded += fn + hn;
                    loadedSamples += fn + hn;
                    // The whole span is held at once, so a query whose selectors need more than the
                    // limit (with some room for small limits) fails before it can exhaust memory,
                    // even when no single step would hold that many.
                    if (loaded > options.maxSamples() + 1_000_000L) {
                        throw tooManySamples();
                    }
                    if (fn + hn > 0) {
                        loadedSeries++;
                        list.add(new Loaded(set.at().labels(), Arrays.copyOf(ft, fn), Arrays.copyOf(fv, fn), fn,
                                ht, hv, hn));
                    }
                }
                for (String w : set.warnings()) {
                    annotations.warning(w);
                }
            }
            data.put(vs, list);
        }
    }

    /** The series-at-a-time plan of the last range query run, or null. */
    Columns columns() {
        return columns;
    }

    /** The series a selector loaded, or null when it has none loaded. */
    List<Loaded> loaded(VectorSelector vs) {
        return data.get(vs);
    }

    /** {@code e} without the parentheses and step-invariance wrappers around it. */
    static Expr unwrap(Expr e) {
        while (true) {
            if (e instanceof ParenExpr p) {
                e = p.expr();
            } else if (e instanceof StepInvariantExpr s) {
                e = s.expr();
            } else {
                return e;
            }
        }
    }

    static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    // -----------------------------------------------------------------------------------------
    // Evaluation

    Object eval(Expr e, long t) {
        checkDeadline();
        if (columns != null) {
            List<Pt> c = columns.at(e, t);
            if (c != null) {
                return c;
            }
        }
        return switch (e) {
            case NumberLiteral n -> n.value();
            case StringLiteral s -> s.value();
            case ParenExpr p -> eval(p.expr(), t);
            case StepInvariantExpr s -> eval(s.expr(), t);
            case UnaryExpr u -> unary(u, t);
            case VectorSelector vs -> selectVector(vs, t);
            case MatrixSelector ms -> selectRange(ms, t);
            case SubqueryExpr sq -> subquery(sq, t);
            case BinaryExpr b -> binary(b, t);
            case AggregateExpr a -> Aggregations.eval(this, a, t);
            case Call c -> Calls.eval(this, c, t);
        };
    }

    double evalScalar(Expr e, long t) {
        Object v = eval(e, t);
        if (v instanceof Double d) {
            return d;
        }
        throw EvalException.execution("expected scalar, got " + v.getClass().getSimpleName());
    }

    @SuppressWarnings("unchecked")
    List<Pt> evalVector(Expr e, long t) {
        Object v = eval(e, t);
        if (v instanceof List<?> l) {
            return (List<Pt>) l;
        }
        throw EvalException.execution("expected instant vector");
    }

    RangeValue evalRange(Expr e, long t) {
        Object v = eval(e, t);
        if (v instanceof RangeValue r) {
            return r;
        }
        throw EvalException.execution("expected range vector");
    }

    /** A sample whose name is to go: dropped now, or marked for the end with delayed name removal. */
    Pt dropName(Pt p, double f, FloatHistogram h, long t) {
        return dropName(p.metric(), f, h, t);
    }

    /** A sample of the series {@code metric} whose name is to go, as {@link #dropName(Pt, double, FloatHistogram, long)}. */
    Pt dropName(Labels metric, double f, FloatHistogram h, long t) {
        if (delayedNameRemoval) {
            return new Pt(metric, f, h, t, true);
        }
        return new Pt(withoutName(metric), f, h, t, false);
    }

    private Object unary(UnaryExpr u, long t) {
        Object v = eval(u.expr(), t);
        if (!u.negate()) {
            return v;
        }
        if (v instanceof Double d) {
            return -d;
        }
        List<Pt> in = evalCast(v);
        List<Pt> out = new ArrayList<>(in.size());
        for (Pt p : in) {
            if (p.isHistogram()) {
                FloatHistogram neg = HistogramMath.mul(p.h().copy(), -1);
                neg.counterResetHint(FloatHistogram.CounterResetHint.GAUGE);
                out.add(dropName(p, 0, neg, t));
            } else {
                out.add(dropName(p, -p.f(), null, t));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Pt> evalCast(Object v) {
        return (List<Pt>) v;
    }

    private List<Pt> selectVector(VectorSelector vs, long t) {
        return selectVectorAt(vs, ref(vs.at(), t) - duration(vs.offset()));
    }

    private List<Pt> selectVectorAt(VectorSelector vs, long ts) {
        List<Loaded> series = data.get(vs);
        List<Pt> out = new ArrayList<>(series.size());
        for (Loaded s : series) {
            int fi = RangeFunctions.firstAfter(s.ft, 0, s.fn, ts) - 1;
            int hi = s.hn == 0 ? -1 : RangeFunctions.firstAfter(s.ht, 0, s.hn, ts) - 1;
            long fts = fi >= 0 ? s.ft[fi] : Long.MIN_VALUE;
            long hts = hi >= 0 ? s.ht[hi] : Long.MIN_VALUE;
            if (fts == Long.MIN_VALUE && hts == Long.MIN_VALUE) {
                continue;
            }
            if (fts >= hts) {
                if (fts <= ts - lookback || isStale(s.fv[fi])) {
                    continue;
                }
                double v = s.fv[fi];
                if (vs.smoothed() && fts < ts && nextIsOtherKind(s.ft, s.fn, fi, s.ht, s.hn, hi, ts)) {
                    warn("encountered a mix of histograms and floats for metric name \""
                            + nameOf(s.labels) + "\"", vs.pos());
                    continue;
                }
                if (vs.smoothed() && fts < ts && fi + 1 < s.fn) {
                    // Smoothed: the value on the straight line to the next sample, if that is near.
                    long nts = s.ft[fi + 1];
                    double nv = s.fv[fi + 1];
                    if (nts <= ts + lookback && !isStale(nv)) {
                        v = v + (nv - v) * (double) (ts - fts) / (double) (nts - fts);
                    }
                }
                out.add(new Pt(s.labels, v, null, fts, false));
            } else {
                if (hts <= ts - lookback || s.hv[hi].isStale()) {
                    continue;
                }
                FloatHistogram h = s.hv[hi];
                if (vs.smoothed() && hts < ts) {
                    if (nextIsOtherKind(s.ht, s.hn, hi, s.ft, s.fn, fi, ts)) {
                        warn("encountered a mix of histograms and floats for metric name \""
                                + nameOf(s.labels) + "\"", vs.pos());
                        continue;
                    }
                    if (hi + 1 < s.hn && s.ht[hi + 1] <= ts + lookback && !s.hv[hi + 1].isStale()) {
                        FloatHistogram next = s.hv[hi + 1];
                        if (HistogramMath.usesCustomBuckets(h) != HistogramMath.usesCustomBuckets(next)) {
                            warn("vector contains a mix of histograms with exponential and custom buckets schemas "
                                    + "for metric name \"" + nameOf(s.labels) + "\"", vs.pos());
                            continue;
                        }
                        double frac = (double) (ts - hts) / (double) (s.ht[hi + 1] - hts);
                        FloatHistogram r = HistogramMath.mul(next.copy(), frac);
                        boolean counter = next.counterResetHint() != FloatHistogram.CounterResetHint.GAUGE;
                        if (!(counter && HistogramMath.detectReset(next, h))) {
                            HistogramMath.add(r, HistogramMath.mul(h.copy(), 1 - frac));
                        }
                        h = HistogramMath.compact(r);
                    }
                }
                out.add(new Pt(s.labels, 0, h, hts, false));
            }
        }
        countSamples(out.size(), stats == null ? out.size() : weightOf(out));
        return out;
    }

    private static String nameOf(Labels l) {
        String n = l.metricName();
        return n == null ? "" : n;
    }

    /**
     * Whether the sample after index {@code i} of one kind, up to the lookback delta after
     * {@code ts}, is of the other kind: smoothing cannot interpolate between a float and a histogram.
     */
    private boolean nextIsOtherKind(long[] t, int n, int i, long[] ot, int on, int oi, long ts) {
        long next = i + 1 < n ? t[i + 1] : Long.MAX_VALUE;
        long other = oi + 1 < on ? ot[oi + 1] : Long.MAX_VALUE;
        return other < next && other <= ts + lookback;
    }

    private RangeValue selectRange(MatrixSelector ms, long t) {
        VectorSelector vs = ms.selector();
        long rangeEnd = ref(vs.at(), t) - duration(vs.offset());
        long rangeStart = rangeEnd - duration(ms.range());
        List<Loaded> series = data.get(vs);
        List<Win> out = new ArrayList<>(series.size());
        boolean extended = vs.anchored() || vs.smoothed();
        for (Loaded s : series) {
            Win w = extended ? extendedWindow(s, rangeStart, rangeEnd, vs.smoothed()) : window(s, rangeStart, rangeEnd);
            if (w != null) {
                out.add(w);
            }
        }
        return new RangeValue(out, rangeStart, rangeEnd, vs.anchored(), vs.smoothed());
    }

    /**
     * The floats of an {@code anchored} or {@code smoothed} range: those inside it plus the last
     * one at or before its start (within the lookback delta) and, when smoothed, the first one after
     * its end (within the lookback delta). Histograms do not take part.
     */
    private Win extendedWindow(Loaded s, long rangeStart, long rangeEnd, boolean smoothed) {
        int[] fi = extendedIndices(s.ft, s.fn, i -> isStale(s.fv[i]), rangeStart, rangeEnd, smoothed);
        int[] hi = s.hn == 0 ? new int[0]
                : extendedIndices(s.ht, s.hn, i -> s.hv[i].isStale(), rangeStart, rangeEnd, smoothed);
        if (fi.length + hi.length == 0) {
            return null;
        }
        // Only one sample, of either kind, anchors the start of the range.
        if (fi.length > 0 && hi.length > 0 && s.ft[fi[0]] <= rangeStart && s.ht[hi[0]] <= rangeStart) {
            if (s.ft[fi[0]] < s.ht[hi[0]]) {
                fi = Arrays.copyOfRange(fi, 1, fi.length);
            } else {
                hi = Arrays.copyOfRange(hi, 1, hi.length);
            }
        }
        boolean after = fi.length > 0 && s.ft[fi[fi.length - 1]] > rangeStart
                || hi.length > 0 && s.ht[hi[hi.length - 1]] > rangeStart;
        if (!after) {
            return null;
        }
        long[] ft = new long[fi.length];
        double[] fv = new double[fi.length];
        for (int k = 0; k < fi.length; k++) {
            ft[k] = s.ft[fi[k]];
            fv[k] = s.fv[fi[k]];
        }
        long[] ht = new long[hi.length];
        FloatHistogram[] hv = new FloatHistogram[hi.length];
        for (int k = 0; k < hi.length; k++) {
            ht[k] = s.ht[hi[k]];
            hv[k] = s.hv[hi[k]];
        }
        countSamples(fi.length + hi.length, stats == null ? 0 : fi.length + weightOf(hv, hi.length));
        return new Win(s.labels, ft, fv, fi.length, ht, hv, hi.length, false);
    }

    /**
     * The points of an {@code anchored} or {@code smoothed} range: those inside it plus the last
     * one at or before its start (within the lookback delta) and, when smoothed, the first one
     * after its end (within the lookback delta). None when all of them lie after the range.
     */
    private int[] extendedIndices(long[] ts, int n, java.util.function.IntPredicate stale, long rangeStart,
            long rangeEnd, boolean smoothed) {
        int[] out = new int[n];
        int k = 0;
        int before = -1;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            if (stale.test(i)) {
                if (t <= rangeStart) {
                    before = -1;
                }
                continue;
            }
            if (t <= rangeStart) {
                before = t > rangeStart - lookback ? i : -1;
                continue;
            }
            if (t > rangeEnd) {
                if (smoothed && t <= rangeEnd + lookback) {
                    if (k == 0 && before >= 0) {
                        out[k++] = before;
                        before = -1;
                    }
                    out[k++] = i;
                }
                break;
            }
            if (k == 0 && before >= 0) {
                out[k++] = before;
                before = -1;
            }
            out[k++] = i;
        }
        if (k == 0 && before >= 0) {
            out[k++] = before;
        }
        if (k == 0 || ts[out[0]] > rangeEnd) {
            return new int[0];
        }
        return Arrays.copyOf(out, k);
    }

    private Win window(Loaded s, long rangeStart, long rangeEnd) {
        int f0;
        int f1;
        long[] lt = s.ft;
        int ln = s.fn;
        if (rangeStart >= s.lastStart && rangeEnd >= s.lastEnd) {
            // Steps move forward: walk on from the previous window's edges.
            f0 = s.lastF0;
            while (f0 < ln && lt[f0] <= rangeStart) {
                f0++;
            }
            f1 = Math.max(s.lastF1, f0);
            while (f1 < ln && lt[f1] <= rangeEnd) {
                f1++;
            }
        } else {
            f0 = RangeFunctions.firstAfter(lt, 0, ln, rangeStart);
            f1 = RangeFunctions.firstAfter(lt, f0, ln, rangeEnd);
        }
        s.lastStart = rangeStart;
        s.lastEnd = rangeEnd;
        s.lastF0 = f0;
        s.lastF1 = f1;
        int fn = 0;
        long[] ft = null;
        double[] fv = null;
        if (f1 > f0) {
            if (s.wt.length < f1 - f0) {
                s.wt = new long[Math.max(f1 - f0, 2 * s.wt.length)];
                s.wv = new double[s.wt.length];
            }
            ft = s.wt;
            fv = s.wv;
            if (!s.hasStale) {
                fn = f1 - f0;
                System.arraycopy(lt, f0, ft, 0, fn);
                System.arraycopy(s.fv, f0, fv, 0, fn);
            } else {
                for (int i = f0; i < f1; i++) {
                    if (!isStale(s.fv[i])) {
                        ft[fn] = lt[i];
                        fv[fn++] = s.fv[i];
                    }
                }
            }
        }
        int hn = 0;
        long[] ht = null;
        FloatHistogram[] hv = null;
        if (s.hn > 0) {
            int h0 = RangeFunctions.firstAfter(s.ht, 0, s.hn, rangeStart);
            int h1 = RangeFunctions.firstAfter(s.ht, h0, s.hn, rangeEnd);
            if (h1 > h0) {
                ht = new long[h1 - h0];
                hv = new FloatHistogram[h1 - h0];
                for (int i = h0; i < h1; i++) {
                    if (!s.hv[i].isStale()) {
                        ht[hn] = s.ht[i];
                        hv[hn++] = s.hv[i];
                    }
                }
            }
        }
        if (fn + hn == 0) {
            return null;
        }
        countSamples(fn + hn, stats == null ? 0 : fn + weightOf(hv, hn));
        if (s.win == null) {
            s.win = new Win(s.labels, ft, fv, fn, ht, hv, hn, false);
            return s.win;
        }
        return s.win.set(s.labels, ft, fv, fn, ht, hv, hn, false);
    }

    /**
     * A subquery's inner results over the whole query, one evaluation per inner step: successive
     * outer steps share most of their inner steps, and evaluating them again at every outer step
     * multiplies the work by the number of inner steps per window. Per series, in step order.
     */
    private static final class SubqueryCache {
        final LinkedHashMap<Labels, SubquerySeries> series = new LinkedHashMap<>();
        /** The first inner step of the latest window; windows must not move back before it. */
        long windowFirst = Long.MIN_VALUE;
        /** The last inner step evaluated. */
        long last = Long.MIN_VALUE;
        long points;
    }

    private static final class SubquerySeries {
        final Labels labels;
        boolean drop;
        long[] ft = new long[8];
        double[] fv = new double[8];
        int fn;
        long[] ht;
        FloatHistogram[] hv;
        int hn;

        SubquerySeries(Labels labels) {
            this.labels = labels;
        }

        void addFloat(long t, double v) {
            if (fn == ft.length) {
                ft = Arrays.copyOf(ft, fn * 2);
                fv = Arrays.copyOf(fv, fn * 2);
            }
            ft[fn] = t;
            fv[fn++] = v;
        }

        void addHistogram(long t, FloatHistogram h) {
            if (ht == null) {
                ht = new long[8];
                hv = new FloatHistogram[8];
            } else if (hn == ht.length) {
                ht = Arrays.copyOf(ht, hn * 2);
                hv = Arrays.copyOf(hv, hn * 2);
            }
            ht[hn] = t;
            hv[hn++] = h;
        }
    }

    private final IdentityHashMap<SubqueryExpr, SubqueryCache> subqueries = new IdentityHashMap<>();
    private final LabelMemo withoutName = new LabelMemo(LabelSets::withoutName);
    /** What a memo derives: one node can need several (an aggregation inside histogram_quantile). */
    enum Derived { GROUP, SIGNATURE, BUCKET_GROUP }

    /** Per kind and expression node that derives label sets, its memo. */
    private final java.util.EnumMap<Derived, IdentityHashMap<Object, LabelMemo>> memos =
            new java.util.EnumMap<>(Derived.class);

    /** {@link LabelSets#withoutName}, once per label set per query. */
    Labels withoutName(Labels l) {
        return withoutName.apply(l);
    }

    /** {@code transform} of {@code l}, remembered per kind and {@code node} for the query. */
    Labels memo(Derived kind, Object node, Labels l, java.util.function.UnaryOperator<Labels> transform) {
        return memos.computeIfAbsent(kind, k -> new IdentityHashMap<>())
                .computeIfAbsent(node, k -> new LabelMemo(transform)).apply(l);
    }

    private RangeValue subquery(SubqueryExpr sq, long t) {
        long refT = ref(sq.at(), t) - duration(sq.offset());
        long range = duration(sq.range());
        long step = sq.step() == null ? options.defaultSubqueryStep().toMillis() : duration(sq.step());
        if (step <= 0) {
            throw EvalException.execution("subquery step must be positive");
        }
        long mint = refT - range;
        long first = Math.floorDiv(mint, step) * step;
        if (first <= mint) {
            first += step;
        }
        SubqueryCache cache = subqueries.computeIfAbsent(sq, k -> new SubqueryCache());
        if (first < cache.windowFirst) {
            // A window reaching back before one already served (not seen in range queries, whose
            // windows only move forward): evaluate it on its own.
            SubqueryCache own = new SubqueryCache();
            evaluateInner(own, sq, first, refT, step);
            return subqueryWindows(own, mint, first, refT);
        }
        cache.windowFirst = first;
        evaluateInner(cache, sq, cache.last == Long.MIN_VALUE ? first : Math.max(cache.last + step, first), refT,
                step);
        return subqueryWindows(cache, mint, first, refT);
    }

    /**
     * The subquery's expression at the inner steps {@code from}, {@code from + step}, ... up to
     * {@code to}, into {@code cache}.
     */
    private void evaluateInner(SubqueryCache cache, SubqueryExpr sq, long from, long to, long step) {
        if (from > to) {
            return;
        }
        long saved = stepSamples;
        long savedWeighted = stepWeighted;
        statsPaused++;
        for (long tt = from; tt <= to; tt += step) {
            Object v = eval(sq.expr(), tt);
            if (v instanceof Double d) {
                cache.series.computeIfAbsent(Labels.empty(), SubquerySeries::new).addFloat(tt, d);
                cache.points++;
            } else {
                for (Pt p : evalCast(v)) {
                    SubquerySeries ss = cache.series.computeIfAbsent(p.metric(), SubquerySeries::new);
                    if (ss.fn > 0 && ss.ft[ss.fn - 1] == tt || ss.hn > 0 && ss.ht[ss.hn - 1] == tt) {
                        // As in a range query's result: one label set, one point per step.
                        throw EvalException.execution("vector cannot contain metrics with the same labelset");
                    }
                    if (p.isHistogram()) {
                        ss.addHistogram(tt, subquerySample(p.h()));
                    } else {
                        ss.addFloat(tt, p.f());
                    }
                    ss.drop |= p.dropName();
                    cache.points++;
                }
            }
            cache.last = tt;
        }
        statsPaused--;
        stepSamples = saved;
        stepWeighted = savedWeighted;
        if (cache.points > options.maxSamples() + 1_000_000L) {
            throw tooManySamples();
        }
    }

    /** The window {@code [first, refT]} of every subquery series that has points in it. */
    private RangeValue subqueryWindows(SubqueryCache cache, long mint, long first, long refT) {
        List<Win> out = new ArrayList<>();
        long n = 0;
        long weighted = 0;
        for (SubquerySeries ss : cache.series.values()) {
            int f0 = RangeFunctions.firstAfter(ss.ft, 0, ss.fn, first - 1);
            int f1 = RangeFunctions.firstAfter(ss.ft, f0, ss.fn, refT);
            int h0 = 0;
            int h1 = 0;
            if (ss.hn > 0) {
                h0 = RangeFunctions.firstAfter(ss.ht, 0, ss.hn, first - 1);
                h1 = RangeFunctions.firstAfter(ss.ht, h0, ss.hn, refT);
            }
            int fn = f1 - f0;
            int hn = h1 - h0;
            if (fn + hn == 0) {
                continue;
            }
            long[] ft = Arrays.copyOfRange(ss.ft, f0, f1);
            double[] fv = Arrays.copyOfRange(ss.fv, f0, f1);
            long[] ht = hn == 0 ? new long[0] : Arrays.copyOfRange(ss.ht, h0, h1);
            FloatHistogram[] hv = hn == 0 ? new FloatHistogram[0] : Arrays.copyOfRange(ss.hv, h0, h1);
            n += fn + hn;
            weighted += stats == null ? 0 : fn + weightOf(hv, hn);
            out.add(new Win(ss.labels, ft, fv, fn, ht, hv, hn, ss.drop));
        }
        countSamples(n, weighted);
        return new RangeValue(out, mint, refT);
    }

    /**
     * A histogram as a subquery point: the store's counter-reset hint spoke of the sample before
     * it in the store, not of the previous subquery step, so resets must be detected afresh.
     */
    private static FloatHistogram subquerySample(FloatHistogram h) {
        if (h.counterResetHint() == FloatHistogram.CounterResetHint.GAUGE
                || h.counterResetHint() == FloatHistogram.CounterResetHint.UNKNOWN) {
            return h;
        }
        return h.copy().counterResetHint(FloatHistogram.CounterResetHint.UNKNOWN);
    }

    // -----------------------------------------------------------------------------------------
    // Binary operators

    private Object binary(BinaryExpr b, long t) {
        Object l = eval(b.lhs(), t);
        Object r = eval(b.rhs(), t);
        BinaryOp op = b.op();
        if (l instanceof Double x && r instanceof Double y) {
            if (op.isComparison()) {
                return compare(op, x, y) ? 1.0 : 0.0;
            }
            return arith(op, x, y);
        }
        if (l instanceof Double x) {
            return vectorScalar(b, evalCast(r), x, true, t);
        }
        if (r instanceof Double y) {
            return vectorScalar(b, evalCast(l), y, false, t);
        }
        List<Pt> lv = evalCast(l);
        List<Pt> rv = evalCast(r);
        VectorMatching m = b.matching() == null ? VectorMatching.oneToOne() : b.matching();
        return switch (op) {
            case AND -> and(lv, rv, m, false);
            case UNLESS -> and(lv, rv, m, true);
            case OR -> or(lv, rv, m);
            default -> vectorVector(b, lv, rv, m, t);
        };
    }

    static boolean compare(BinaryOp op, double x, double y) {
        return switch (op) {
            case EQL -> x == y;
            case NEQ -> x != y;
            case GTR -> x > y;
            case LSS -> x < y;
            case GTE -> x >= y;
            case LTE -> x <= y;
            default -> throw new IllegalStateException(op.symbol());
        };
    }

    static double arith(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MOD -> MathFunctions.mod(x, y);
            case POW -> MathFunctions.pow(x, y);
            case ATAN2 -> MathFunctions.atan2(x, y);
            default -> throw EvalException.execution("operator " + op.symbol() + " not allowed on floats");
        };
    }

    /** The result of one element pair: a float or a histogram, or nothing when {@code keep} is false. */
    private static final class Elem {
        double f;
        FloatHistogram h;
        boolean keep;
    }

    /**
     * Applies {@code op} to one pair; histograms take part where Prometheus allows it, otherwise
     * the pair gives nothing (with an info about the incompatible types).
     */
    private void elem(BinaryExpr b, double lf, FloatHistogram lh, double rf, FloatHistogram rh, Elem out) {
        elemTyped(b, lf, lh, rf, rh, out);
        if (!out.keep && (lh != null || rh != null) && !incompatibleAllowed(b, lh, rh)) {
            info("incompatible sample types encountered for binary operator \"" + b.op().symbol() + "\": "
                    + (lh != null ? "histogram" : "float") + " " + b.op().symbol() + " "
                    + (rh != null ? "histogram" : "float"), b.pos());
        }
    }

    /** Whether a dropped pair with a histogram was a legitimate comparison outcome rather than a type clash. */
    private static boolean incompatibleAllowed(BinaryExpr b, FloatHistogram lh, FloatHistogram rh) {
        return lh != null && rh != null && (b.op() == BinaryOp.EQL || b.op() == BinaryOp.NEQ);
    }

    private void elemTyped(BinaryExpr b, double lf, FloatHistogram lh, double rf, FloatHistogram rh, Elem out) {
        BinaryOp op = b.op();
        out.h = null;
        out.keep = true;
        if (lh == null && rh == null) {
            if (op.isComparison()) {
                boolean c = compare(op, lf, rf);
                if (b.returnBool()) {
                    out.f = c ? 1 : 0;
                } else {
                    out.f = lf;
                    out.keep = c;
                }
                return;
            }
            if (op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER) {
                out.keep = false;
                return;
            }
            out.f = arith(op, lf, rf);
            return;
        }
        if (lh != null && rh != null) {
            switch (op) {
                case ADD, SUB -> {
                    FloatHistogram res = lh.copy();
                    int flags = op == BinaryOp.ADD ? HistogramMath.add(res, rh) : HistogramMath.sub(res, rh);
                    if ((flags & HistogramMath.RESULT_CUSTOM_BOUNDS_RECONCILED) != 0) {
                        info("mismatched custom buckets were reconciled during "
                                + (op == BinaryOp.ADD ? "addition" : "subtraction"), b.pos());
                    }
                    if ((flags & HistogramMath.RESULT_INCOMPATIBLE_SCHEMA) != 0) {
                        warn("vector contains a mix of histograms with exponential and custom buckets schemas "
                                + "for metric name \"\"", b.pos());
                        out.keep = false;
                        return;
                    }
                    if (op == BinaryOp.SUB) {
                        res.counterResetHint(FloatHistogram.CounterResetHint.GAUGE);
                    }
                    out.h = HistogramMath.compact(res);
                    return;
                }
                case EQL, NEQ -> {
                    // Equality is about the observations; the counter-reset hint is metadata.
                    boolean eq = lh.counterResetHint() == rh.counterResetHint() ? lh.equals(rh)
                            : lh.copy().counterResetHint(rh.counterResetHint()).equals(rh);
                    boolean c = op == BinaryOp.EQL ? eq : !eq;
                    if (b.returnBool()) {
                        out.f = c ? 1 : 0;
                    } else {
                        out.h = lh;
                        out.keep = c;
                    }
                    return;
                }
                default -> {
                    out.keep = false;
                    return;
                }
            }
        }
        if (lh != null) {
            switch (op) {
                case TRIM_UPPER -> out.h = HistogramTrim.trim(lh, rf, true);
                case TRIM_LOWER -> out.h = HistogramTrim.trim(lh, rf, false);
                case MUL -> out.h = HistogramMath.mul(lh.copy(), rf);
                case DIV -> out.h = HistogramMath.div(lh.copy(), rf);
                default -> out.keep = false;
            }
            return;
        }
        if (op == BinaryOp.MUL) {
            out.h = HistogramMath.mul(rh.copy(), lf);
            return;
        }
        out.keep = false;
    }

    private static boolean dropsName(BinaryExpr b) {
        if (b.op() == BinaryOp.TRIM_UPPER || b.op() == BinaryOp.TRIM_LOWER) {
            return false;
        }
        return !b.op().isComparison() || b.returnBool();
    }

    private List<Pt> vectorScalar(BinaryExpr b, List<Pt> vec, double s, boolean scalarLeft, long t) {
        List<Pt> out = new ArrayList<>(vec.size());
        Elem e = new Elem();
        boolean drop = dropsName(b);
        for (Pt p : vec) {
            if (scalarLeft) {
                elem(b, s, null, p.f(), p.h(), e);
            } else {
                elem(b, p.f(), p.h(), s, null, e);
            }
            if (!e.keep) {
                continue;
            }
            if (b.op().isComparison() && !b.returnBool()) {
                out.add(p.isHistogram() ? p : new Pt(p.metric(), p.f(), null, t, p.dropName()));
                continue;
            }
            out.add(drop ? dropName(p, e.f, e.h, t) : new Pt(p.metric(), e.f, e.h, t, p.dropName()));
        }
        return out;
    }

    private List<Pt> and(List<Pt> lv, List<Pt> rv, VectorMatching m, boolean unless) {
        Set<Labels> sigs = new HashSet<>();
        for (Pt p : rv) {
            sigs.add(memo(Derived.SIGNATURE, m, p.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels())));
        }
        List<Pt> out = new ArrayList<>();
        for (Pt p : lv) {
            if (sigs.contains(memo(Derived.SIGNATURE, m, p.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels()))) != unless) {
                out.add(p);
            }
        }
        return out;
    }

    private List<Pt> or(List<Pt> lv, List<Pt> rv, VectorMatching m) {
        Set<Labels> sigs = new HashSet<>();
        List<Pt> out = new ArrayList<>(lv);
        for (Pt p : lv) {
            sigs.add(memo(Derived.SIGNATURE, m, p.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels())));
        }
        for (Pt p : rv) {
            if (!sigs.contains(memo(Derived.SIGNATURE, m, p.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels())))) {
                out.add(p);
            }
        }
        return out;
    }

    private List<Pt> vectorVector(BinaryExpr b, List<Pt> lhs, List<Pt> rhs, VectorMatching m, long t) {
        VectorMatching.Cardinality card = m.cardinality();
        boolean swapped = card == VectorMatching.Cardinality.ONE_TO_MANY;
        List<Pt> many = swapped ? rhs : lhs;
        List<Pt> one = swapped ? lhs : rhs;
        Map<Labels, Pt> oneSigs = new HashMap<>();
        for (Pt p : one) {
            Labels sig = memo(Derived.SIGNATURE, m, p.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels()));
            Pt dup = oneSigs.putIfAbsent(sig, p);
            if (dup != null) {
                Labels matched = m.on() ? LabelSets.keep(p.metric(), m.matchingLabels())
                        : LabelSets.drop(p.metric(), m.matchingLabels(), true);
                // Prometheus 3 names the pair in label order, so the message does not depend on
                // the order in which the series happened to be met.
                boolean dupFirst = dup.metric().compareTo(p.metric()) <= 0;
                Labels first = dupFirst ? dup.metric() : p.metric();
                Labels second = dupFirst ? p.metric() : dup.metric();
                throw EvalException.execution("found duplicate series for the match group " + LabelSets.format(matched)
                        + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: ["
                        + LabelSets.format(first) + ", " + LabelSets.format(second)
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        // Prometheus applies the fill values after swapping the sides of group_right, so
        // fill_left always stands in for the "many" side and fill_right for the "one" side.
        Double fillMany = m.fillLeft();
        Double fillOne = m.fillRight();
        Set<Labels> matchedSigs = new HashSet<>();
        Set<Labels> outputs = new HashSet<>();
        List<Pt> out = new ArrayList<>();
        Elem e = new Elem();
        boolean drop = dropsName(b);
        for (Pt ls : many) {
            Labels sig = memo(Derived.SIGNATURE, m, ls.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels()));
            Pt rs = oneSigs.get(sig);
            if (rs == null) {
                if (fillOne == null) {
                    continue;
                }
                rs = new Pt(ls.metric(), fillOne, null, t, false);
            }
            pair(b, m, ls, rs, swapped, drop, sig, matchedSigs, outputs, out, e, t);
        }
        if (fillMany != null) {
            Set<Labels> manySigs = new HashSet<>();
            for (Pt ls : many) {
                manySigs.add(memo(Derived.SIGNATURE, m, ls.metric(), l -> LabelSets.signature(l, m.on(), m.matchingLabels())));
            }
            for (Map.Entry<Labels, Pt> en : oneSigs.entrySet()) {
                if (!manySigs.contains(en.getKey())) {
                    Pt rs = en.getValue();
                    // A series made up for the missing side has only the labels it was matched on.
                    Pt ls = new Pt(en.getKey(), fillMany, null, t, false);
                    pair(b, m, ls, rs, swapped, drop, en.getKey(), matchedSigs, outputs, out, e, t);
                }
            }
        }
        return out;
    }

    private void pair(BinaryExpr b, VectorMatching m, Pt ls, Pt rs, boolean swapped, boolean drop, Labels sig,
            Set<Labels> matchedSigs, Set<Labels> outputs, List<Pt> out, Elem e, long t) {
        VectorMatching.Cardinality card = m.cardinality();
        if (swapped) {
            elem(b, rs.f(), rs.h(), ls.f(), ls.h(), e);
        } else {
            elem(b, ls.f(), ls.h(), rs.f(), rs.h(), e);
        }
        Labels metric = ls.metric();
        if (drop && !delayedNameRemoval) {
            metric = withoutName(metric);
        }
        if (card == VectorMatching.Cardinality.ONE_TO_ONE) {
            metric = m.on() ? LabelSets.keep(metric, m.matchingLabels()) : LabelSets.drop(metric, m.matchingLabels(),
                    false);
        } else {
            for (String ln : m.include()) {
                metric = metric.with(ln, rs.metric().get(ln));
            }
        }
        if (card == VectorMatching.Cardinality.ONE_TO_ONE) {
            if (!matchedSigs.add(sig)) {
                throw EvalException.execution(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
            }
        } else if (e.keep && !outputs.add(metric)) {
            throw EvalException.execution("multiple matches for labels: grouping labels must ensure unique matches");
        }
        if (!e.keep) {
            return;
        }
        boolean dropFlag = delayedNameRemoval && (drop || ls.dropName());
        out.add(new Pt(metric, e.f, e.h, t, dropFlag));
    }
}
