package io.mantis.metrics.promql.engine;

import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.BinaryOp;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.VectorSelector;
import io.mantis.metrics.promql.functions.FloatAggregator;
import io.mantis.metrics.promql.functions.RangeFunctions;
import io.mantis.metrics.promql.value.Series;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Series-at-a-time evaluation of the common float subtrees of a range query: a range function
 * over a matrix selector, instant selectors, the simple aggregations and arithmetic or comparison
 * with a number. Such a subtree is evaluated once for all steps of the query, one series after the
 * other: a range function slides one window over a series' loaded samples (no window copies, no
 * sample objects), an aggregation assigns each input series to its group once and then folds
 * whole columns. The step-by-step evaluator asks for a subtree's vector at a step ({@link #at})
 * and gets it sliced out of the columns, so anything above (histogram_quantile, topk, joins...)
 * keeps its one implementation.
 *
 * <p>The results are Prometheus' to the bit: the same kernels ({@link RangeFunctions},
 * {@link FloatAggregator}, {@link Evaluator#arith}) see the same values in the same order as the
 * step-by-step path would give them. Only float data takes this path (a selector that loaded a
 * native histogram leaves its subtree to the step-by-step evaluator), and only when the loaded
 * samples cannot exceed the per-step sample limit, which the step-by-step path enforces.
 */
final class Columns {

    /** Range functions computed per window here, floats only. */
    private static final Set<String> RANGE_FUNCTIONS = Set.of("rate", "increase", "delta", "irate", "idelta",
            "deriv", "sum_over_time", "avg_over_time", "count_over_time", "present_over_time", "last_over_time",
            "max_over_time", "min_over_time", "stddev_over_time", "stdvar_over_time", "resets", "changes");

    private static final long[] NO_LONGS = new long[0];

    /** One output series of a subtree over all steps: a value per step where {@code present}. */
    static final class Col {
        final Labels metric;
        final double[] v;
        final long[] present;

        Col(Labels metric, int steps) {
            this.metric = metric;
            this.v = new double[steps];
            this.present = new long[(steps + 63) >>> 6];
        }

        boolean has(int k) {
            return (present[k >>> 6] & (1L << k)) != 0;
        }

        void set(int k, double value) {
            v[k] = value;
            present[k >>> 6] |= 1L << k;
        }

        boolean empty() {
            for (long w : present) {
                if (w != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Evaluator ev;
    /** The grid the columns are on: the query's steps, or a subquery's inner steps. */
    private final long start;
    private final long interval;
    private final int steps;
    /** The subtrees evaluated here (the outermost supported ones), with their columns once computed. */
    private final IdentityHashMap<Expr, List<Col>> roots = new IdentityHashMap<>();

    private Columns(Evaluator ev, long start, long interval, int steps) {
        this.ev = ev;
        this.start = start;
        this.interval = interval;
        this.steps = steps;
    }

    /**
     * The column plan of a range query, or null when no part of it benefits. Call after loading.
     *
     * @param loadedSamples every sample the selectors loaded: the bound of any step's count
     */
    static Columns plan(Evaluator ev, Expr root, long loadedSamples, long loadedSeries) {
        if (ev.stats != null || ev.delayedNameRemoval) {
            // Statistics count samples per step, which is the step-by-step evaluator's way.
            return null;
        }
        long n = (ev.end - ev.start) / ev.interval + 1;
        if (n < 2 || n > 1 << 20) {
            return null;
        }
        Columns c = new Columns(ev, ev.start, ev.interval, (int) n);
        if (Evaluator.unwrap(root) instanceof VectorSelector && c.supports(root)) {
            // A bare selector as the whole query: its columns become the answer directly. Below
            // other nodes it stays step by step (it gains nothing there, and its samples carry
            // their own timestamps, which timestamp() reads).
            c.roots.put(root, null);
        } else {
            c.mark(root);
        }
        if (c.roots.isEmpty()) {
            return null;
        }
        // The step-by-step path ends a query whose step holds more samples than the limit. Here
        // no step is counted, so take this path only when no step could reach the limit: a step
        // holds at most every loaded sample plus, per subquery, a window of inner points per
        // series (no node here makes more series than it gets). Subqueries left to the
        // step-by-step path count their own samples: such queries stay there entirely.
        long bound = loadedSamples;
        for (SubqueryExpr sq : subqueries(root, new ArrayList<>())) {
            if (!c.inRoot(root, sq)) {
                return null;
            }
            long step = c.subqueryStep(sq);
            bound += loadedSeries * (ev.duration(sq.range()) / Math.max(step, 1) + 1);
        }
        return bound > ev.options.maxSamples() ? null : c;
    }

    private static List<SubqueryExpr> subqueries(Expr e, List<SubqueryExpr> out) {
        if (e instanceof SubqueryExpr sq) {
            out.add(sq);
        }
        for (Expr c : e.children()) {
            subqueries(c, out);
        }
        return out;
    }

    /** Whether {@code target} lies inside one of the roots (searched from {@code e}). */
    private boolean inRoot(Expr e, Expr target) {
        if (roots.containsKey(e)) {
            return contains(e, target);
        }
        for (Expr c : e.children()) {
            if (inRoot(c, target)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Expr e, Expr target) {
        if (e == target) {
            return true;
        }
        for (Expr c : e.children()) {
            if (contains(c, target)) {
                return true;
            }
        }
        return false;
    }

    private long subqueryStep(SubqueryExpr sq) {
        return sq.step() == null ? ev.options.defaultSubqueryStep().toMillis() : ev.duration(sq.step());
    }

    /** Marks the outermost supported subtrees that do real work (a bare selector gains nothing). */
    private void mark(Expr e) {
        if (!(e instanceof VectorSelector) && !(Evaluator.unwrap(e) instanceof VectorSelector) && supports(e)) {
            roots.put(e, null);
            return;
        }
        if (e instanceof Call c && c.function().name().equals("info") || e instanceof SubqueryExpr) {
            // info() looks its series up at other times; a subquery's inside runs on its own grid.
            return;
        }
        for (Expr child : e.children()) {
            mark(child);
        }
    }

    /** A number literal, possibly parenthesised, or null. */
    private static NumberLiteral number(Expr e) {
        return Evaluator.unwrap(e) instanceof NumberLiteral n ? n : null;
    }

    private boolean supports(Expr e) {
        return switch (e) {
            case ParenExpr p -> supports(p.expr());
            case StepInvariantExpr si -> false;
            case VectorSelector vs -> vs.at() == null && !vs.smoothed() && !vs.anchored() && floatsOnly(vs);
            case Call c -> {
                String name = c.function().name();
                if (!RANGE_FUNCTIONS.contains(name) || c.args().size() != 1) {
                    yield false;
                }
                if (c.args().get(0) instanceof SubqueryExpr sq) {
                    yield sq.at() == null && supports(sq.expr());
                }
                if (!(c.args().get(0) instanceof MatrixSelector ms)) {
                    yield false;
                }
                VectorSelector vs = ms.selector();
                yield vs.at() == null && !vs.smoothed() && !vs.anchored() && floatsOnly(vs);
            }
            case AggregateExpr a -> a.param() == null && switch (a.op()) {
                case SUM, AVG, MIN, MAX, COUNT, GROUP, STDDEV, STDVAR -> supports(a.expr());
                default -> false;
            };
            case BinaryExpr b -> {
                BinaryOp op = b.op();
                boolean scalarOp = op.isComparison() || switch (op) {
                    case ADD, SUB, MUL, DIV, MOD, POW, ATAN2 -> true;
                    default -> false;
                };
                if (!scalarOp) {
                    yield false;
                }
                NumberLiteral l = number(b.lhs());
                NumberLiteral r = number(b.rhs());
                yield l != null && r == null && supports(b.rhs()) || r != null && l == null && supports(b.lhs());
            }
            default -> false;
        };
    }

    private boolean floatsOnly(VectorSelector vs) {
        List<Evaluator.Loaded> data = ev.loaded(vs);
        if (data == null) {
            return false;
        }
        for (Evaluator.Loaded s : data) {
            if (s.hn > 0) {
                return false;
            }
        }
        return true;
    }

    /** The subtrees evaluated here. */
    Set<Expr> roots() {
        return roots.keySet();
    }

    /** Whether {@code e} is evaluated here as a whole. */
    boolean isRoot(Expr e) {
        return roots.containsKey(e);
    }

    /**
     * The vector of a column-evaluated subtree at step time {@code t}, or null when {@code e} is
     * not one. The subtree is evaluated on the first call.
     */
    List<Pt> at(Expr e, long t) {
        if (!roots.containsKey(e)) {
            return null;
        }
        List<Col> cols = columns(e);
        long off = t - start;
        if (off < 0 || off % interval != 0 || off / interval >= steps) {
            throw new IllegalStateException("step " + t + " is not one of the query's");
        }
        int k = (int) (off / interval);
        List<Pt> out = new ArrayList<>(cols.size());
        for (Col c : cols) {
            if (c.has(k)) {
                out.add(new Pt(c.metric, c.v[k], null, t, false));
            }
        }
        return out;
    }

    /** The columns of a root subtree, evaluated once. */
    List<Col> columns(Expr e) {
        List<Col> cols = roots.get(e);
        if (cols == null) {
            cols = eval(e);
            roots.put(e, cols);
        }
        return cols;
    }

    /**
     * The result series of a query whose whole expression is evaluated here: the columns merged by
     * label set (series that became equal may follow one another, never meet in a step).
     */
    List<Series> series(Expr root) {
        List<Col> order = merged(columns(root));
        long total = 0;
        List<Series> out = new ArrayList<>(order.size());
        for (Col c : order) {
            int n = 0;
            for (long w : c.present) {
                n += Long.bitCount(w);
            }
            if (n == 0) {
                continue;
            }
            total += n;
            if (total > ev.options.maxSamples()) {
                throw ev.tooManySamples();
            }
            long[] ts = new long[n];
            double[] vs = new double[n];
            int i = 0;
            for (int k = 0; k < steps; k++) {
                if (c.has(k)) {
                    ts[i] = start + k * interval;
                    vs[i++] = c.v[k];
                }
            }
            out.add(new Series(c.metric, ts, vs, n, null, null, 0));
        }
        return out;
    }

    /** The columns with equal label sets merged, as a range evaluation merges its steps' vectors. */
    private List<Col> merged(List<Col> cols) {
        Map<Labels, Col> byLabels = new HashMap<>(cols.size() * 2);
        List<Col> order = new ArrayList<>(cols.size());
        for (Col c : cols) {
            Col prev = byLabels.putIfAbsent(c.metric, c);
            if (prev == null) {
                order.add(c);
                continue;
            }
            for (int w = 0; w < c.present.length; w++) {
                if ((prev.present[w] & c.present[w]) != 0) {
                    throw EvalException.execution("vector cannot contain metrics with the same labelset");
                }
            }
            for (int k = 0; k < steps; k++) {
                if (c.has(k)) {
                    prev.set(k, c.v[k]);
                }
            }
        }
        return order;
    }

    // -----------------------------------------------------------------------------------------

    private List<Col> eval(Expr e) {
        return switch (e) {
            case ParenExpr p -> eval(p.expr());
            case VectorSelector vs -> select(vs);
            case Call c -> rangeFunction(c);
            case AggregateExpr a -> aggregate(a);
            case BinaryExpr b -> withNumber(b);
            default -> throw new IllegalStateException("not a column expression: " + e);
        };
    }

    /** An instant selector: per step the newest sample within the lookback delta, unless stale. */
    private List<Col> select(VectorSelector vs) {
        List<Evaluator.Loaded> data = ev.loaded(vs);
        long off = ev.duration(vs.offset());
        List<Col> out = new ArrayList<>(data.size());
        for (Evaluator.Loaded s : data) {
            ev.checkDeadline();
            Col c = new Col(s.labels, steps);
            long[] ft = s.ft;
            int i = 0;
            for (int k = 0; k < steps; k++) {
                long ts = start + k * interval - off;
                while (i < s.fn && ft[i] <= ts) {
                    i++;
                }
                int last = i - 1;
                if (last >= 0 && ft[last] > ts - ev.lookback && !Evaluator.isStale(s.fv[last])) {
                    c.set(k, s.fv[last]);
                }
            }
            out.add(c);
        }
        return out;
    }

    private List<Col> rangeFunction(Call call) {
        Expr arg = call.args().get(0);
        if (arg instanceof SubqueryExpr sq) {
            return overSubquery(call, sq);
        }
        MatrixSelector ms = (MatrixSelector) arg;
        VectorSelector vs = ms.selector();
        long off = ev.duration(vs.offset());
        long range = ev.duration(ms.range());
        List<Evaluator.Loaded> data = ev.loaded(vs);
        List<Col> out = new ArrayList<>(data.size());
        for (Evaluator.Loaded s : data) {
            ev.checkDeadline();
            long[] ft = s.ft;
            double[] fv = s.fv;
            int fn = s.fn;
            if (s.hasStale) {
                // Windows leave stale markers out: slide over the series without them.
                ft = new long[fn];
                fv = new double[fn];
                int n = 0;
                for (int i = 0; i < s.fn; i++) {
                    if (!Evaluator.isStale(s.fv[i])) {
                        ft[n] = s.ft[i];
                        fv[n++] = s.fv[i];
                    }
                }
                fn = n;
            }
            Col c = slide(call, s.labels, ft, fv, fn, off, range);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * A range function over a subquery: the inner expression as columns on the subquery's grid
     * (its steps are multiples of its step, as Prometheus aligns them), each merged series then
     * read as the points of a series.
     */
    private List<Col> overSubquery(Call call, SubqueryExpr sq) {
        long range = ev.duration(sq.range());
        long step = subqueryStep(sq);
        if (step <= 0) {
            throw EvalException.execution("subquery step must be positive");
        }
        long off = ev.duration(sq.offset());
        long firstMin = start - off - range;
        long lastRef = start + (steps - 1) * interval - off;
        long first = Math.floorDiv(firstMin, step) * step;
        if (first <= firstMin) {
            first += step;
        }
        if (first > lastRef) {
            return new ArrayList<>();
        }
        long innerSteps = (lastRef - first) / step + 1;
        if (innerSteps > 1 << 22) {
            throw EvalException.execution("subquery has too many steps: " + innerSteps);
        }
        Columns inner = new Columns(ev, first, step, (int) innerSteps);
        List<Col> in = inner.merged(inner.eval(sq.expr()));
        List<Col> out = new ArrayList<>(in.size());
        long[] ft = new long[(int) innerSteps];
        double[] fv = new double[(int) innerSteps];
        for (Col c : in) {
            ev.checkDeadline();
            int fn = 0;
            for (int k = 0; k < innerSteps; k++) {
                if (c.has(k)) {
                    ft[fn] = first + k * step;
                    fv[fn++] = c.v[k];
                }
            }
            Col r = slide(call, c.metric, ft, fv, fn, off, range);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * One window slid over the points {@code ft}/{@code fv} of a series: at step k the points in
     * {@code (t - off - range, t - off]}. Null when the function gives nothing at any step.
     */
    private Col slide(Call call, Labels metric, long[] ft, double[] fv, int fn, long off, long range) {
        String name = call.function().name();
        int kernel = kernelOf(name);
        Col c = null;
        boolean anyWindow = false;
        int f0 = 0;
        int f1 = 0;
        for (int k = 0; k < steps; k++) {
            long rangeEnd = start + k * interval - off;
            long rangeStart = rangeEnd - range;
            while (f0 < fn && ft[f0] <= rangeStart) {
                f0++;
            }
            if (f1 < f0) {
                f1 = f0;
            }
            while (f1 < fn && ft[f1] <= rangeEnd) {
                f1++;
            }
            if (f1 == f0) {
                continue;
            }
            anyWindow = true;
            double f = kernel(kernel, ft, fv, f0, f1, rangeStart, rangeEnd);
            if (RangeFunctions.isNone(f)) {
                continue;
            }
            if (c == null) {
                c = new Col(name.equals("last_over_time") ? metric : ev.withoutName(metric), steps);
            }
            c.set(k, f);
        }
        if (anyWindow && (name.equals("rate") || name.equals("increase"))) {
            String metricName = metric.metricName();
            if (metricName != null && !metricName.isEmpty() && !metricName.endsWith("_total")
                    && !metricName.endsWith("_sum") && !metricName.endsWith("_count")
                    && !metricName.endsWith("_bucket")) {
                ev.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
                        + metricName + "\"", call.args().get(0).pos());
            }
        }
        return c;
    }

    /** The range functions {@link #kernel} computes, by position (resolved once per series, not per step). */
    private static final List<String> KERNELS = List.of("rate", "increase", "delta", "irate", "idelta", "deriv",
            "sum_over_time", "avg_over_time", "count_over_time", "present_over_time", "last_over_time",
            "max_over_time", "min_over_time", "stddev_over_time", "stdvar_over_time", "resets", "changes");

    private static int kernelOf(String name) {
        int k = KERNELS.indexOf(name);
        if (k < 0) {
            throw new IllegalStateException(name);
        }
        return k;
    }

    private static double kernel(int kernel, long[] ft, double[] fv, int f0, int f1, long rangeStart, long rangeEnd) {
        return switch (kernel) {
            case 0 -> RangeFunctions.rate(ft, fv, f0, f1, null, rangeStart, rangeEnd);
            case 1 -> RangeFunctions.increase(ft, fv, f0, f1, null, rangeStart, rangeEnd);
            case 2 -> RangeFunctions.delta(ft, fv, f0, f1, rangeStart, rangeEnd);
            case 3 -> RangeFunctions.instantValue(ft, fv, f0, f1, null, true);
            case 4 -> RangeFunctions.instantValue(ft, fv, f0, f1, null, false);
            case 5 -> RangeFunctions.deriv(ft, fv, f0, f1);
            case 6 -> RangeFunctions.sumOverTime(fv, f0, f1);
            case 7 -> RangeFunctions.avgOverTime(fv, f0, f1);
            case 8 -> f1 - f0;
            case 9 -> 1;
            case 10 -> fv[f1 - 1];
            case 11 -> RangeFunctions.maxOverTime(fv, f0, f1);
            case 12 -> RangeFunctions.minOverTime(fv, f0, f1);
            case 13 -> RangeFunctions.stddevOverTime(fv, f0, f1);
            case 14 -> RangeFunctions.stdvarOverTime(fv, f0, f1);
            case 15 -> RangeFunctions.resets(ft, fv, f0, f1, NO_LONGS, null, 0, 0);
            case 16 -> RangeFunctions.changes(ft, fv, f0, f1, NO_LONGS, null, 0, 0);
            default -> throw new IllegalStateException("kernel " + kernel);
        };
    }

    /**
     * An aggregation: each input series joins its group once; per group and step the members
     * present are folded in input order, as the step-by-step path folds that step's vector.
     */
    private List<Col> aggregate(AggregateExpr a) {
        List<Col> in = eval(a.expr());
        Map<Labels, List<Col>> groups = new LinkedHashMap<>();
        Map<Labels, Labels> keys = new IdentityHashMap<>();
        for (Col c : in) {
            Labels key = keys.computeIfAbsent(c.metric, m -> Aggregations.groupLabels(m, a));
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(c);
        }
        FloatAggregator fa = new FloatAggregator(Aggregations.floatOp(a.op()));
        List<Col> out = new ArrayList<>(groups.size());
        Col[] members = new Col[0];
        for (Map.Entry<Labels, List<Col>> g : groups.entrySet()) {
            ev.checkDeadline();
            members = g.getValue().toArray(members);
            int m = g.getValue().size();
            Col c = new Col(g.getKey(), steps);
            for (int k = 0; k < steps; k++) {
                fa.reset();
                int word = k >>> 6;
                long bit = 1L << k;
                for (int i = 0; i < m; i++) {
                    Col x = members[i];
                    if ((x.present[word] & bit) != 0) {
                        fa.add(x.v[k]);
                    }
                }
                if (fa.seen()) {
                    c.set(k, fa.result());
                }
            }
            out.add(c);
        }
        return out;
    }

    /** Arithmetic or a comparison between a vector and a number. */
    private List<Col> withNumber(BinaryExpr b) {
        NumberLiteral ln = number(b.lhs());
        boolean numberLeft = ln != null;
        double s = numberLeft ? ln.value() : number(b.rhs()).value();
        List<Col> in = eval(numberLeft ? b.rhs() : b.lhs());
        BinaryOp op = b.op();
        boolean filter = op.isComparison() && !b.returnBool();
        List<Col> out = new ArrayList<>(in.size());
        for (Col c : in) {
            Col r = new Col(filter ? c.metric : ev.withoutName(c.metric), steps);
            for (int k = 0; k < steps; k++) {
                if (!c.has(k)) {
                    continue;
                }
                double x = numberLeft ? s : c.v[k];
                double y = numberLeft ? c.v[k] : s;
                if (op.isComparison()) {
                    boolean ok = Evaluator.compare(op, x, y);
                    if (b.returnBool()) {
                        r.set(k, ok ? 1 : 0);
                    } else if (ok) {
                        r.set(k, c.v[k]);
                    }
                } else {
                    r.set(k, Evaluator.arith(op, x, y));
                }
            }
            if (!r.empty()) {
                out.add(r);
            }
        }
        return out;
    }
}
