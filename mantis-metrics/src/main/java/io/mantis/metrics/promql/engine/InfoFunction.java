package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.VectorSelector;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The experimental {@code info(v, {selector})}: adds the data labels of info series (by default
 * {@code target_info}) that share the identifying labels {@code instance} and {@code job} with a
 * series of {@code v}, looked up at the time {@code v} was sampled.
 */
final class InfoFunction {

    private static final List<String> IDENTIFYING = List.of("instance", "job");

    private InfoFunction() {
    }

    /** The selector the info series are read with: the name matchers (default target_info) and the data matchers. */
    static VectorSelector infoSelector(Call c) {
        List<Matcher> matchers = new ArrayList<>();
        boolean hasName = false;
        boolean hasPositiveName = false;
        if (c.args().size() > 1 && Evaluator.unwrap(c.args().get(1)) instanceof VectorSelector vs) {
            for (Matcher m : vs.matchers()) {
                if (m.name().equals(LabelSets.NAME)) {
                    hasName = true;
                    hasPositiveName |= !m.type().negative();
                }
                matchers.add(m);
            }
        }
        if (!hasName) {
            matchers.add(0, Matcher.equal(LabelSets.NAME, "target_info"));
        } else if (!hasPositiveName) {
            // Only exclusions: the candidates are still info metrics, never arbitrary series.
            matchers.add(0, Matcher.regex(LabelSets.NAME, ".+_info"));
        }
        return new VectorSelector(null, matchers, c.pos());
    }

    static List<Pt> eval(Evaluator ev, Call c, VectorSelector infoSel, long t) {
        List<Pt> base = ev.evalVector(c.args().get(0), t);
        long ts = sampleTime(ev, c.args().get(0), t);
        List<Pt> infos = ev.selectAt(infoSel, ts);
        List<Matcher> nameMatchers = new ArrayList<>();
        List<Matcher> dataMatchers = new ArrayList<>();
        for (Matcher m : infoSel.matchers()) {
            (m.name().equals(LabelSets.NAME) ? nameMatchers : dataMatchers).add(m);
        }
        boolean explicitData = c.args().size() > 1 && !dataMatchers.isEmpty();
        boolean emptyOk = true;
        for (Matcher m : dataMatchers) {
            emptyOk &= m.matches("");
        }
        boolean anyPositiveName = false;
        for (Matcher m : nameMatchers) {
            anyPositiveName |= !m.type().negative();
        }
        Map<List<String>, List<Pt>> byIdentity = new HashMap<>();
        for (Pt p : infos) {
            if (p.isHistogram()) {
                throw EvalException.execution("this should be an info metric, with float samples: "
                        + LabelSets.format(p.metric()));
            }
            byIdentity.computeIfAbsent(identity(p.metric()), k -> new ArrayList<>()).add(p);
        }
        List<Pt> out = new ArrayList<>(base.size());
        for (Pt b : base) {
            String name = b.dropName() ? null : b.metric().metricName();
            if (anyPositiveName && name != null && matchesAll(nameMatchers, name)) {
                out.add(b);
                continue;
            }
            List<Pt> matches = byIdentity.get(identity(b.metric()));
            if (matches == null || matches.isEmpty()) {
                if (emptyOk) {
                    out.add(b);
                }
                continue;
            }
            // Per info metric name, the series sampled last wins.
            Map<String, Pt> latest = new TreeMap<>();
            for (Pt p : matches) {
                String n = String.valueOf(p.metric().metricName());
                Pt cur = latest.get(n);
                if (cur == null || p.ts() > cur.ts()) {
                    latest.put(n, p);
                }
            }
            Map<String, String> add = new TreeMap<>();
            for (Pt p : latest.values()) {
                Labels m = p.metric();
                for (int i = 0; i < m.size(); i++) {
                    String ln = m.name(i);
                    if (ln.equals(LabelSets.NAME) || IDENTIFYING.contains(ln) || b.metric().get(ln) != null) {
                        continue;
                    }
                    if (explicitData && !named(dataMatchers, ln)) {
                        continue;
                    }
                    String prev = add.putIfAbsent(ln, m.value(i));
                    if (prev != null && !prev.equals(m.value(i))) {
                        throw EvalException.execution("conflicting label: " + ln + " has values " + LabelSets.quote(prev)
                                + " and " + LabelSets.quote(m.value(i)));
                    }
                }
            }
            Labels m = b.metric();
            for (Map.Entry<String, String> e : add.entrySet()) {
                m = m.with(e.getKey(), e.getValue());
            }
            out.add(b.withMetric(m));
        }
        return out;
    }

    private static boolean named(List<Matcher> ms, String label) {
        for (Matcher m : ms) {
            if (m.name().equals(label)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAll(List<Matcher> ms, String name) {
        for (Matcher m : ms) {
            if (!m.matches(name)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> identity(Labels l) {
        List<String> k = new ArrayList<>(IDENTIFYING.size());
        for (String n : IDENTIFYING) {
            String v = l.get(n);
            k.add(v == null ? "" : v);
        }
        return k;
    }

    /** When the first argument's samples were taken: its {@code @} and offset shift it from the step time. */
    private static long sampleTime(Evaluator ev, Expr e, long t) {
        e = Evaluator.unwrap(e);
        if (e instanceof VectorSelector vs) {
            return ev.selectorTime(vs.at(), vs.offset(), t);
        }
        if (e instanceof SubqueryExpr sq) {
            return ev.selectorTime(sq.at(), sq.offset(), t);
        }
        if (e instanceof io.mantis.metrics.promql.ast.MatrixSelector ms) {
            return ev.selectorTime(ms.selector().at(), ms.selector().offset(), t);
        }
        if (e instanceof Call call) {
            for (Expr a : call.args()) {
                Expr u = Evaluator.unwrap(a);
                if (u instanceof VectorSelector || u instanceof SubqueryExpr || u instanceof Call
                        || u instanceof io.mantis.metrics.promql.ast.MatrixSelector) {
                    return sampleTime(ev, u, t);
                }
            }
        }
        return t;
    }
}
