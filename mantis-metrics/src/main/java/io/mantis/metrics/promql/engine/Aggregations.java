package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.AggregationOp;
import io.mantis.metrics.promql.functions.FloatAggregator;
import io.mantis.metrics.promql.functions.GoFloatFormat;
import io.mantis.metrics.promql.functions.HistogramAggregator;
import io.mantis.metrics.promql.functions.LimitRatio;
import io.mantis.metrics.promql.functions.Notes;
import io.mantis.metrics.promql.functions.TopKHeap;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The aggregation operators over one step's instant vector. */
final class Aggregations {

    private Aggregations() {
    }

    /** One output group: its labels and the members in input order. */
    private static final class Group {
        final Labels labels;
        final List<Pt> members = new ArrayList<>();
        boolean dropName;

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    static List<Pt> eval(Evaluator ev, AggregateExpr a, long t) {
        AggregationOp op = a.op();
        double param = Double.NaN;
        String label = null;
        if (a.param() != null) {
            if (op == AggregationOp.COUNT_VALUES) {
                label = (String) ev.eval(a.param(), t);
                if (!LabelSets.validName(label)) {
                    throw EvalException.execution("invalid label name " + LabelSets.quote(label));
                }
            } else {
                param = ev.evalScalar(a.param(), t);
            }
        }
        List<Pt> in = ev.evalVector(a.expr(), t);
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (Pt p : in) {
            // With delayed name removal a name still present partitions the groups; the group's
            // name goes at the end if any member's would have.
            Labels key = ev.memo(Evaluator.Derived.GROUP, a, p.metric(), m -> groupLabels(m, a));
            Group g = groups.computeIfAbsent(key, Group::new);
            g.members.add(p);
            g.dropName |= p.dropName();
        }
        return switch (op) {
            case TOPK, BOTTOMK -> topk(ev, a, groups, param, t);
            case LIMITK -> limitk(groups, param);
            case LIMIT_RATIO -> limitRatio(ev, a, groups, param);
            case COUNT_VALUES -> countValues(a, in, label, t);
            default -> simple(ev, a, groups, param, t);
        };
    }

    static Labels groupLabels(Labels m, AggregateExpr a) {
        if (a.without()) {
            return LabelSets.drop(m, a.grouping(), true);
        }
        return LabelSets.keep(m, a.grouping());
    }

    private static List<Pt> simple(Evaluator ev, AggregateExpr a, Map<Labels, Group> groups, double q, long t) {
        AggregationOp op = a.op();
        if (op == AggregationOp.QUANTILE && (Double.isNaN(q) || q < 0 || q > 1)) {
            ev.warn("quantile value should be between 0 and 1, got " + GoFloatFormat.formatG(q), a.param().pos());
        }
        FloatAggregator fa = new FloatAggregator(floatOp(op));
        HistogramAggregator ha = new HistogramAggregator();
        Notes notes = new Notes();
        List<Pt> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            fa.reset();
            ha.reset();
            int floats = 0;
            int hists = 0;
            for (Pt p : g.members) {
                if (p.isHistogram()) {
                    hists++;
                    if (op == AggregationOp.SUM) {
                        ha.add(p.h());
                    } else if (op == AggregationOp.AVG) {
                        ha.add(p.h(), true);
                    } else if (op == AggregationOp.COUNT || op == AggregationOp.GROUP) {
                        fa.add(1);
                    }
                } else {
                    floats++;
                    fa.add(p.f());
                }
            }
            if (op == AggregationOp.COUNT || op == AggregationOp.GROUP) {
                out.add(new Pt(g.labels, op == AggregationOp.GROUP ? 1 : floats + hists, null, t, g.dropName));
                continue;
            }
            if (op == AggregationOp.SUM || op == AggregationOp.AVG) {
                if (floats > 0 && hists > 0) {
                    ev.warn("encountered a mix of histograms and floats for aggregation", a.expr().pos());
                    continue;
                }
                if (hists > 0) {
                    notes.clear();
                    FloatHistogram h = new FloatHistogram();
                    boolean ok = op == AggregationOp.SUM ? ha.sum(h, notes) : ha.average(h, notes);
                    report(ev, notes, a);
                    if (!ok) {
                        if (ha.incompatible()) {
                            ev.warn("vector contains a mix of histograms with exponential and custom buckets "
                                    + "schemas for metric name \"\"", a.expr().pos());
                        }
                        continue;
                    }
                    out.add(new Pt(g.labels, 0, h, t, g.dropName));
                    continue;
                }
            } else if (hists > 0) {
                ev.info("ignored histogram in " + op.keyword() + " aggregation", a.pos());
                if (floats == 0) {
                    continue;
                }
            }
            out.add(new Pt(g.labels, fa.result(q), null, t, g.dropName));
        }
        return out;
    }

    /** The float kernel of an aggregation that folds its group into one value. */
    static FloatAggregator.Op floatOp(AggregationOp op) {
        return switch (op) {
            case SUM -> FloatAggregator.Op.SUM;
            case AVG -> FloatAggregator.Op.AVG;
            case MIN -> FloatAggregator.Op.MIN;
            case MAX -> FloatAggregator.Op.MAX;
            case COUNT -> FloatAggregator.Op.COUNT;
            case GROUP -> FloatAggregator.Op.GROUP;
            case STDDEV -> FloatAggregator.Op.STDDEV;
            case STDVAR -> FloatAggregator.Op.STDVAR;
            case QUANTILE -> FloatAggregator.Op.QUANTILE;
            default -> throw new IllegalStateException(op.keyword());
        };
    }

    static void report(Evaluator ev, Notes notes, AggregateExpr a) {
        if (notes.has(Notes.CUSTOM_BUCKETS_RECONCILED_AGG)) {
            ev.info(Notes.text(Notes.CUSTOM_BUCKETS_RECONCILED_AGG), a.expr().pos());
        }
        if (notes.has(Notes.COUNTER_RESET_COLLISION)) {
            ev.warn(Notes.text(Notes.COUNTER_RESET_COLLISION) + " aggregation", a.expr().pos());
        }
    }

    private static long kParam(double param) {
        if (Double.isNaN(param)) {
            throw EvalException.execution("Parameter value is NaN");
        }
        if (param >= 9.223372036854775807E18) {
            return Long.MAX_VALUE;
        }
        if (param <= -9.223372036854775807E18) {
            return Long.MIN_VALUE;
        }
        return (long) param;
    }

    private static List<Pt> topk(Evaluator ev, AggregateExpr a, Map<Labels, Group> groups, double param, long t) {
        long k = kParam(param);
        List<Pt> out = new ArrayList<>();
        if (k < 1) {
            return out;
        }
        TopKHeap heap = new TopKHeap();
        boolean bottom = a.op() == AggregationOp.BOTTOMK;
        boolean ignored = false;
        for (Group g : groups.values()) {
            heap.reset(k, bottom);
            for (int i = 0; i < g.members.size(); i++) {
                Pt p = g.members.get(i);
                if (p.isHistogram()) {
                    ignored = true;
                    continue;
                }
                heap.offer(i, p.f());
            }
            heap.finish();
            for (int i = 0; i < heap.size(); i++) {
                Pt p = g.members.get(heap.id(i));
                out.add(new Pt(p.metric(), p.f(), null, t, p.dropName()));
            }
        }
        if (ignored) {
            ev.info("ignored histogram in " + a.op().keyword() + " aggregation", a.pos());
        }
        return out;
    }

    private static List<Pt> limitk(Map<Labels, Group> groups, double param) {
        long k = kParam(param);
        List<Pt> out = new ArrayList<>();
        if (k < 1) {
            return out;
        }
        for (Group g : groups.values()) {
            for (int i = 0; i < g.members.size() && i < k; i++) {
                out.add(g.members.get(i));
            }
        }
        return out;
    }

    private static List<Pt> limitRatio(Evaluator ev, AggregateExpr a, Map<Labels, Group> groups, double param) {
        if (Double.isNaN(param)) {
            throw EvalException.execution("Ratio value is NaN");
        }
        double ratio = param;
        if (ratio < -1 || ratio > 1) {
            ev.warn("ratio value should be between -1 and 1, got " + GoFloatFormat.formatG(ratio) + ", capping to "
                    + GoFloatFormat.formatG(LimitRatio.cap(ratio)), a.param().pos());
            ratio = LimitRatio.cap(ratio);
        }
        LimitRatio lr = new LimitRatio();
        List<Pt> out = new ArrayList<>();
        for (Group g : groups.values()) {
            for (Pt p : g.members) {
                lr.reset();
                Labels m = p.metric();
                for (int i = 0; i < m.size(); i++) {
                    lr.add(m.name(i), m.value(i));
                }
                if (LimitRatio.keep(ratio, lr.hash())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<Pt> countValues(AggregateExpr a, List<Pt> in, String label, long t) {
        Map<Labels, double[]> counts = new LinkedHashMap<>();
        for (Pt p : in) {
            String v = p.isHistogram() ? GoFloatFormat.formatHistogram(p.h()) : GoFloatFormat.formatF(p.f());
            Labels key = groupLabels(p.metric(), a).with(label, v);
            counts.computeIfAbsent(key, k -> new double[1])[0]++;
        }
        List<Pt> out = new ArrayList<>(counts.size());
        for (Map.Entry<Labels, double[]> e : counts.entrySet()) {
            out.add(new Pt(e.getKey(), e.getValue()[0], null, t, false));
        }
        return out;
    }
}
