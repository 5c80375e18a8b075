package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.CapturingRegex;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.model.RegexSyntaxException;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.PosRange;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.VectorSelector;
import io.mantis.metrics.promql.functions.GoFloatFormat;
import io.mantis.metrics.promql.functions.HistogramFunctions;
import io.mantis.metrics.promql.functions.MathFunctions;
import io.mantis.metrics.promql.functions.Notes;
import io.mantis.metrics.promql.functions.Quantiles;
import io.mantis.metrics.promql.functions.RangeFunctions;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;


/** Function calls: dispatch by name onto the numeric kernels of {@code io.mantis.metrics.promql.functions}. */
final class Calls {

    private static final long[] NO_LONGS = new long[0];
    private static final double[] NO_DOUBLES = new double[0];
    private static final FloatHistogram[] NO_HISTOGRAMS = new FloatHistogram[0];

    private Calls() {
    }

    static Object eval(Evaluator ev, Call c, long t) {
        String name = c.function().name();
        List<Expr> args = c.args();
        return switch (name) {
            case "time" -> t / 1000.0;
            case "pi" -> Math.PI;
            case "start" -> ev.start / 1000.0;
            case "end" -> ev.end / 1000.0;
            case "range" -> (ev.end - ev.start) / 1000.0;
            case "step" -> ev.interval / 1000.0;
            case "max_of" -> Math.max(ev.evalScalar(args.get(0), t), ev.evalScalar(args.get(1), t));
            case "min_of" -> Math.min(ev.evalScalar(args.get(0), t), ev.evalScalar(args.get(1), t));
            case "vector" -> List.of(new Pt(Labels.empty(), ev.evalScalar(args.get(0), t), null, t, false));
            case "scalar" -> scalar(ev.evalVector(args.get(0), t));
            case "abs" -> math(ev, c, t, MathFunctions::abs);
            case "ceil" -> math(ev, c, t, MathFunctions::ceil);
            case "floor" -> math(ev, c, t, MathFunctions::floor);
            case "exp" -> math(ev, c, t, MathFunctions::exp);
            case "sqrt" -> math(ev, c, t, MathFunctions::sqrt);
            case "ln" -> math(ev, c, t, MathFunctions::ln);
            case "log2" -> math(ev, c, t, MathFunctions::log2);
            case "log10" -> math(ev, c, t, MathFunctions::log10);
            case "sin" -> math(ev, c, t, MathFunctions::sin);
            case "cos" -> math(ev, c, t, MathFunctions::cos);
            case "tan" -> math(ev, c, t, MathFunctions::tan);
            case "asin" -> math(ev, c, t, MathFunctions::asin);
            case "acos" -> math(ev, c, t, MathFunctions::acos);
            case "atan" -> math(ev, c, t, MathFunctions::atan);
            case "sinh" -> math(ev, c, t, MathFunctions::sinh);
            case "cosh" -> math(ev, c, t, MathFunctions::cosh);
            case "tanh" -> math(ev, c, t, MathFunctions::tanh);
            case "asinh" -> math(ev, c, t, MathFunctions::asinh);
            case "acosh" -> math(ev, c, t, MathFunctions::acosh);
            case "atanh" -> math(ev, c, t, MathFunctions::atanh);
            case "deg" -> math(ev, c, t, MathFunctions::deg);
            case "rad" -> math(ev, c, t, MathFunctions::rad);
            case "sgn" -> math(ev, c, t, MathFunctions::sgn);
            case "round" -> {
                double to = args.size() > 1 ? ev.evalScalar(args.get(1), t) : 1;
                yield math(ev, c, t, v -> MathFunctions.round(v, to));
            }
            case "clamp" -> {
                double min = ev.evalScalar(args.get(1), t);
                double max = ev.evalScalar(args.get(2), t);
                if (max < min) {
                    yield new ArrayList<Pt>();
                }
                yield math(ev, c, t, v -> MathFunctions.clamp(v, min, max));
            }
            case "clamp_min" -> {
                double min = ev.evalScalar(args.get(1), t);
                yield math(ev, c, t, v -> MathFunctions.clampMin(v, min));
            }
            case "clamp_max" -> {
                double max = ev.evalScalar(args.get(1), t);
                yield math(ev, c, t, v -> MathFunctions.clampMax(v, max));
            }
            case "day_of_month" -> time(ev, c, t, MathFunctions::dayOfMonth);
            case "day_of_week" -> time(ev, c, t, MathFunctions::dayOfWeek);
            case "day_of_year" -> time(ev, c, t, MathFunctions::dayOfYear);
            case "days_in_month" -> time(ev, c, t, MathFunctions::daysInMonth);
            case "hour" -> time(ev, c, t, MathFunctions::hour);
            case "minute" -> time(ev, c, t, MathFunctions::minute);
            case "month" -> time(ev, c, t, MathFunctions::month);
            case "year" -> time(ev, c, t, MathFunctions::year);
            case "timestamp" -> {
                List<Pt> in = ev.evalVector(args.get(0), t);
                List<Pt> out = new ArrayList<>(in.size());
                for (Pt p : in) {
                    out.add(ev.dropName(p, p.ts() / 1000.0, null, t));
                }
                yield out;
            }
            case "sort", "sort_desc" -> sort(ev, c, t, name.equals("sort_desc"));
            case "sort_by_label", "sort_by_label_desc" -> sortByLabel(ev, c, t, name.endsWith("_desc"));
            case "label_replace" -> labelReplace(ev, c, t);
            case "label_join" -> labelJoin(ev, c, t);
            case "absent" -> {
                List<Pt> in = ev.evalVector(args.get(0), t);
                yield in.isEmpty() ? absent(args.get(0), t) : new ArrayList<Pt>();
            }
            case "absent_over_time" -> {
                Evaluator.RangeValue r = ev.evalRange(args.get(0), t);
                yield r.series().isEmpty() ? absent(args.get(0), t) : new ArrayList<Pt>();
            }
            case "histogram_count" -> histogramStat(ev, c, t, HistogramFunctions::count);
            case "histogram_sum" -> histogramStat(ev, c, t, HistogramFunctions::sum);
            case "histogram_avg" -> histogramStat(ev, c, t, HistogramFunctions::avg);
            case "histogram_stddev" -> histogramStat(ev, c, t, HistogramFunctions::stddev);
            case "histogram_stdvar" -> histogramStat(ev, c, t, HistogramFunctions::stdvar);
            case "histogram_quantile" -> histogramQuantile(ev, c, t);
            case "histogram_fraction" -> histogramFraction(ev, c, t);
            case "histogram_quantiles" -> histogramQuantiles(ev, c, t);
            case "info" -> InfoFunction.eval(ev, c,
                    ev.infoSelector(c) != null ? ev.infoSelector(c) : InfoFunction.infoSelector(c), t);
            default -> {
                if (c.function().argTypes().contains(io.mantis.metrics.promql.ast.ValueType.MATRIX)) {
                    yield rangeFunction(ev, c, t);
                }
                throw EvalException.execution("function " + name + " is not supported by this engine yet");
            }
        };
    }

    private static double scalar(List<Pt> in) {
        double v = Double.NaN;
        int floats = 0;
        for (Pt p : in) {
            if (!p.isHistogram()) {
                floats++;
                v = p.f();
            }
        }
        return floats == 1 ? v : Double.NaN;
    }

    private static List<Pt> math(Evaluator ev, Call c, long t, DoubleUnaryOperator f) {
        List<Pt> in = ev.evalVector(c.args().get(0), t);
        List<Pt> out = new ArrayList<>(in.size());
        for (Pt p : in) {
            if (!p.isHistogram()) {
                out.add(ev.dropName(p, f.applyAsDouble(p.f()), null, t));
            }
        }
        return out;
    }

    private static List<Pt> time(Evaluator ev, Call c, long t, DoubleUnaryOperator f) {
        if (c.args().isEmpty()) {
            List<Pt> out = new ArrayList<>(1);
            out.add(new Pt(Labels.empty(), f.applyAsDouble(t / 1000.0), null, t, false));
            return out;
        }
        return math(ev, c, t, f);
    }

    private interface HistogramStat {
        double apply(FloatHistogram h);
    }

    private static List<Pt> histogramStat(Evaluator ev, Call c, long t, HistogramStat f) {
        List<Pt> in = ev.evalVector(c.args().get(0), t);
        List<Pt> out = new ArrayList<>(in.size());
        for (Pt p : in) {
            if (p.isHistogram()) {
                out.add(ev.dropName(p, f.apply(p.h()), null, t));
            }
        }
        return out;
    }

    private static void warnSortInRange(Evaluator ev, Call c) {
        if (ev.interval > 0) {
            ev.warn("sort is ineffective for range queries since results are always ordered by labels", c.pos());
        }
    }

    private static List<Pt> sort(Evaluator ev, Call c, long t, boolean desc) {
        warnSortInRange(ev, c);
        List<Pt> out = new ArrayList<>();
        for (Pt p : ev.evalVector(c.args().get(0), t)) {
            if (!p.isHistogram()) {
                out.add(p);
            }
        }
        Comparator<Pt> cmp = (a, b) -> {
            boolean an = Double.isNaN(a.f());
            boolean bn = Double.isNaN(b.f());
            if (an || bn) {
                return Boolean.compare(an, bn);
            }
            return desc ? Double.compare(b.f(), a.f()) : Double.compare(a.f(), b.f());
        };
        out.sort(cmp);
        return out;
    }

    private static List<Pt> sortByLabel(Evaluator ev, Call c, long t, boolean desc) {
        warnSortInRange(ev, c);
        List<Pt> out = new ArrayList<>(ev.evalVector(c.args().get(0), t));
        List<String> labels = new ArrayList<>();
        for (int i = 1; i < c.args().size(); i++) {
            labels.add((String) ev.eval(c.args().get(i), t));
        }
        Comparator<Pt> cmp = (a, b) -> {
            for (String l : labels) {
                String x = a.metric().get(l);
                String y = b.metric().get(l);
                x = x == null ? "" : x;
                y = y == null ? "" : y;
                int r = naturalCompare(x, y);
                if (r != 0) {
                    return r;
                }
            }
            return a.metric().compareTo(b.metric());
        };
        out.sort(desc ? cmp.reversed() : cmp);
        return out;
    }

    /** Natural order: runs of digits compare by number, everything else character by character. */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                if (na.length() != nb.length()) {
                    return Integer.compare(na.length(), nb.length());
                }
                int r = na.compareTo(nb);
                if (r != 0) {
                    return r;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void checkUnique(List<Pt> out) {
        Set<Labels> seen = new HashSet<>();
        for (Pt p : out) {
            Labels m = p.dropName() ? p.metric().with(LabelSets.NAME, null) : p.metric();
            if (!seen.add(m)) {
                throw EvalException.execution("vector cannot contain metrics with the same labelset");
            }
        }
    }

    private static List<Pt> labelReplace(Evaluator ev, Call c, long t) {
        List<Pt> in = ev.evalVector(c.args().get(0), t);
        String dst = (String) ev.eval(c.args().get(1), t);
        String repl = (String) ev.eval(c.args().get(2), t);
        String src = (String) ev.eval(c.args().get(3), t);
        String regex = (String) ev.eval(c.args().get(4), t);
        CapturingRegex p;
        try {
            p = CapturingRegex.compile(regex);
        } catch (RegexSyntaxException e) {
            throw EvalException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!LabelSets.validName(dst)) {
            throw EvalException.execution("invalid destination label name in label_replace(): " + dst);
        }
        List<Pt> out = new ArrayList<>(in.size());
        for (Pt s : in) {
            String v = s.metric().get(src);
            java.util.regex.Matcher m = p.matcher(v == null ? "" : v);
            if (!m.matches()) {
                out.add(s);
                continue;
            }
            String res = expand(repl, m, p);
            Labels lbl = s.metric().with(dst, res);
            boolean drop = s.dropName() && !dst.equals(LabelSets.NAME);
            out.add(new Pt(lbl, s.f(), s.h(), s.ts(), drop));
        }
        checkUnique(out);
        return out;
    }

    /** Go's {@code Regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}. */
    static String expand(String template, java.util.regex.Matcher m, CapturingRegex re) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch != '$') {
                sb.append(ch);
                i++;
                continue;
            }
            i++;
            if (i < template.length() && template.charAt(i) == '$') {
                sb.append('$');
                i++;
                continue;
            }
            String name;
            if (i < template.length() && template.charAt(i) == '{') {
                int close = template.indexOf('}', i + 1);
                if (close < 0 || close == i + 1 || !isName(template.substring(i + 1, close))) {
                    sb.append('$');
                    continue;
                }
                name = template.substring(i + 1, close);
                i = close + 1;
            } else {
                int j = i;
                while (j < template.length() && isNameChar(template.charAt(j))) {
                    j++;
                }
                if (j == i) {
                    sb.append('$');
                    continue;
                }
                name = template.substring(i, j);
                i = j;
            }
            sb.append(group(m, re, name));
        }
        return sb.toString();
    }

    private static boolean isName(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String group(java.util.regex.Matcher m, CapturingRegex re, String name) {
        boolean digits = true;
        for (int k = 0; k < name.length(); k++) {
            digits &= Character.isDigit(name.charAt(k));
        }
        try {
            String g;
            if (digits) {
                int n = Integer.parseInt(name);
                if (n > m.groupCount()) {
                    return "";
                }
                g = m.group(n);
            } else {
                int n = re.group(name);
                if (n < 0) {
                    return "";
                }
                g = m.group(n);
            }
            return g == null ? "" : g;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return "";
        }
    }

    private static List<Pt> labelJoin(Evaluator ev, Call c, long t) {
        List<Pt> in = ev.evalVector(c.args().get(0), t);
        String dst = (String) ev.eval(c.args().get(1), t);
        String sep = (String) ev.eval(c.args().get(2), t);
        List<String> srcs = new ArrayList<>();
        for (int i = 3; i < c.args().size(); i++) {
            String s = (String) ev.eval(c.args().get(i), t);
            if (!LabelSets.validName(s)) {
                throw EvalException.execution("invalid source label name in label_join(): " + s);
            }
            srcs.add(s);
        }
        if (!LabelSets.validName(dst)) {
            throw EvalException.execution("invalid destination label name in label_join(): " + dst);
        }
        List<Pt> out = new ArrayList<>(in.size());
        for (Pt s : in) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < srcs.size(); i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                String v = s.metric().get(srcs.get(i));
                sb.append(v == null ? "" : v);
            }
            boolean drop = s.dropName() && !dst.equals(LabelSets.NAME);
            out.add(new Pt(s.metric().with(dst, sb.toString()), s.f(), s.h(), s.ts(), drop));
        }
        checkUnique(out);
        return out;
    }

    private static List<Pt> absent(Expr arg, long t) {
        while (arg instanceof ParenExpr p) {
            arg = p.expr();
        }
        if (arg instanceof StepInvariantExpr s) {
            arg = s.expr();
        }
        VectorSelector vs = arg instanceof VectorSelector v ? v
                : arg instanceof MatrixSelector m ? m.selector() : null;
        Map<String, String> labels = new TreeMap<>();
        if (vs != null) {
            Set<String> dropped = new HashSet<>();
            for (Matcher m : vs.matchers()) {
                if (m.name().equals(LabelSets.NAME)) {
                    continue;
                }
                if (m.type() == Matcher.Type.EQUAL && !labels.containsKey(m.name()) && !dropped.contains(m.name())) {
                    labels.put(m.name(), m.value());
                } else {
                    labels.remove(m.name());
                    dropped.add(m.name());
                }
            }
        }
        List<Pt> out = new ArrayList<>(1);
        out.add(new Pt(Labels.of(labels), 1, null, t, false));
        return out;
    }

    // -----------------------------------------------------------------------------------------
    // Classic and native histogram quantiles

    private static final class Buckets {
        Labels labels;
        String name = "";
        double[] le = new double[8];
        double[] counts = new double[8];
        int n;

        void add(double bound, double count) {
            if (n == le.length) {
                le = java.util.Arrays.copyOf(le, n * 2);
                counts = java.util.Arrays.copyOf(counts, n * 2);
            }
            le[n] = bound;
            counts[n++] = count;
        }
    }

    private static double parseLe(String s) {
        if (s == null) {
            return Double.NaN;
        }
        String v = s.trim();
        try {
            return switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "+inf", "inf", "+infinity", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Map<Labels, Buckets> classicBuckets(Evaluator ev, Expr vecArg, List<Pt> in, List<Pt> natives) {
        Map<Labels, Buckets> groups = new LinkedHashMap<>();
        for (Pt p : in) {
            if (p.isHistogram()) {
                natives.add(p);
                continue;
            }
            String le = p.metric().get("le");
            double bound = parseLe(le);
            if (Double.isNaN(bound)) {
                String name = p.metric().metricName();
                ev.warn("bucket label \"le\" is missing or has a malformed value of \"" + (le == null ? "" : le)
                        + "\" for metric name \"" + (name == null ? "" : name) + "\"", vecArg.pos());
                continue;
            }
            // Grouped with the name still on, so two metrics whose buckets differ only by name
            // collide when it is dropped, as in Prometheus.
            Labels key = ev.memo(Evaluator.Derived.BUCKET_GROUP, vecArg, p.metric(), l -> l.with("le", null));
            Buckets b = groups.computeIfAbsent(key, k -> new Buckets());
            b.labels = ev.withoutName(key);
            b.name = nullToEmpty(p.metric().metricName());
            b.add(bound, p.f());
        }
        return groups;
    }

    private static List<Pt> histogramQuantile(Evaluator ev, Call c, long t) {
        double q = ev.evalScalar(c.args().get(0), t);
        List<Pt> in = ev.evalVector(c.args().get(1), t);
        return quantiles(ev, c, c.args().get(1), in, new double[] {q}, new PosRange[] {c.args().get(0).pos()}, null, t);
    }

    private static List<Pt> histogramQuantiles(Evaluator ev, Call c, long t) {
        List<Pt> in = ev.evalVector(c.args().get(0), t);
        String label = (String) ev.eval(c.args().get(1), t);
        if (!LabelSets.validName(label)) {
            throw EvalException.execution("invalid label name " + LabelSets.quote(label));
        }
        int n = c.args().size() - 2;
        double[] qs = new double[n];
        PosRange[] pos = new PosRange[n];
        for (int i = 0; i < n; i++) {
            qs[i] = ev.evalScalar(c.args().get(i + 2), t);
            pos[i] = c.args().get(i + 2).pos();
        }
        return quantiles(ev, c, c.args().get(0), in, qs, pos, label, t);
    }

    /** A quantile as the label value of histogram_quantiles: shortest digits, always with a decimal point. */
    private static String quantileLabel(double q) {
        String s = GoFloatFormat.formatF(q);
        if (s.indexOf('.') < 0 && !s.contains("Inf") && !s.contains("NaN")) {
            s += ".0";
        }
        return s;
    }

    private static List<Pt> quantiles(Evaluator ev, Call c, Expr vecArg, List<Pt> in, double[] qs, PosRange[] qPos,
            String label, long t) {
        for (int i = 0; i < qs.length; i++) {
            double q = qs[i];
            if (Double.isNaN(q) || q < 0 || q > 1) {
                ev.warn("quantile value should be between 0 and 1, got " + GoFloatFormat.formatG(q), qPos[i]);
            }
        }
        List<Pt> natives = new ArrayList<>();
        Map<Labels, Buckets> groups = classicBuckets(ev, vecArg, in, natives);
        List<Pt> out = new ArrayList<>();
        Notes notes = new Notes();
        Set<Labels> nativeKeys = new HashSet<>();
        Set<Labels> mixed = new HashSet<>();
        for (Pt p : natives) {
            Labels key = p.metric();
            nativeKeys.add(key);
            if (groups.containsKey(key)) {
                ev.warn("vector contains a mix of classic and native histograms for metric name \""
                        + nullToEmpty(p.metric().metricName()) + "\"", vecArg.pos());
                mixed.add(key);
            }
        }
        for (int i = 0; i < qs.length; i++) {
            double q = qs[i];
            for (Pt p : natives) {
                if (mixed.contains(p.metric())) {
                    continue;
                }
                notes.clear();
                double v = HistogramFunctions.quantile(q, p.h(), notes);
                reportQuantileNotes(ev, notes, p.metric(), vecArg);
                Pt r = ev.dropName(p, v, null, t);
                out.add(label == null ? r : r.withMetric(r.metric().with(label, quantileLabel(q))));
            }
            for (Map.Entry<Labels, Buckets> ge : groups.entrySet()) {
                Buckets b = ge.getValue();
                if (nativeKeys.contains(ge.getKey())) {
                    continue;
                }
                notes.clear();
                double v = Quantiles.bucketQuantile(q, b.le.clone(), b.counts.clone(), b.n, notes);
                if (notes.has(Notes.FORCED_MONOTONICITY)) {
                    ev.info("input to histogram_quantile needed to be fixed for monotonicity (see "
                            + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
                            + "for metric name \"" + b.name + "\"", vecArg.pos());
                }
                Labels m = label == null ? b.labels : b.labels.with(label, quantileLabel(q));
                out.add(new Pt(m, v, null, t, false));
            }
        }
        checkUnique(out);
        return out;
    }

    private static void reportQuantileNotes(Evaluator ev, Notes notes, Labels metric, Expr vecArg) {
        for (int flag : new int[] {Notes.QUANTILE_NAN_RESULT, Notes.QUANTILE_NAN_SKEW, Notes.FRACTION_NANS}) {
            if (notes.has(flag)) {
                String text = Notes.text(flag) + " for metric name \"" + nullToEmpty(metric.metricName()) + "\"";
                if (Notes.isWarning(flag)) {
                    ev.warn(text, vecArg.pos());
                } else {
                    ev.info(text, vecArg.pos());
                }
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static List<Pt> histogramFraction(Evaluator ev, Call c, long t) {
        double lower = ev.evalScalar(c.args().get(0), t);
        double upper = ev.evalScalar(c.args().get(1), t);
        List<Pt> in = ev.evalVector(c.args().get(2), t);
        List<Pt> natives = new ArrayList<>();
        Expr vecArg = c.args().get(2);
        Map<Labels, Buckets> groups = classicBuckets(ev, vecArg, in, natives);
        List<Pt> out = new ArrayList<>();
        Notes notes = new Notes();
        Set<Labels> nativeKeys = new HashSet<>();
        for (Pt p : natives) {
            Labels key = p.metric();
            nativeKeys.add(key);
            if (groups.containsKey(key)) {
                ev.warn("vector contains a mix of classic and native histograms for metric name \""
                        + nullToEmpty(p.metric().metricName()) + "\"", vecArg.pos());
                continue;
            }
            notes.clear();
            double v = HistogramFunctions.fraction(lower, upper, p.h(), notes);
            reportQuantileNotes(ev, notes, p.metric(), vecArg);
            out.add(ev.dropName(p, v, null, t));
        }
        for (Map.Entry<Labels, Buckets> ge : groups.entrySet()) {
            Buckets b = ge.getValue();
            if (nativeKeys.contains(ge.getKey())) {
                continue;
            }
            out.add(new Pt(b.labels, Quantiles.bucketFraction(lower, upper, b.le, b.counts, b.n), null, t, false));
        }
        return out;
    }

    // -----------------------------------------------------------------------------------------
    // Functions of range vectors

    private static List<Pt> rangeFunction(Evaluator ev, Call c, long t) {
        String name = c.function().name();
        int rangeArg = name.equals("quantile_over_time") ? 1 : 0;
        Expr arg = c.args().get(rangeArg);
        double p0 = Double.NaN;
        double p1 = Double.NaN;
        if (name.equals("quantile_over_time")) {
            p0 = ev.evalScalar(c.args().get(0), t);
            if (Double.isNaN(p0) || p0 < 0 || p0 > 1) {
                ev.warn("quantile value should be between 0 and 1, got " + GoFloatFormat.formatG(p0),
                        c.args().get(0).pos());
            }
        } else if (name.equals("predict_linear")) {
            p0 = ev.evalScalar(c.args().get(1), t);
        } else if (name.equals("double_exponential_smoothing")) {
            p0 = ev.evalScalar(c.args().get(1), t);
            p1 = ev.evalScalar(c.args().get(2), t);
            String err = RangeFunctions.checkSmoothingFactors(p0, p1);
            if (err != null) {
                throw EvalException.execution(err);
            }
        }
        if (arg instanceof MatrixSelector ms) {
            if (ms.selector().smoothed() && !Set.of("delta", "increase", "rate").contains(name)) {
                throw EvalException.execution("smoothed modifier can only be used with: delta, increase, rate - not with "
                        + name);
            }
            if (ms.selector().anchored() && !Set.of("changes", "delta", "increase", "rate", "resets").contains(name)) {
                throw EvalException.execution(
                        "anchored modifier can only be used with: changes, delta, increase, rate, resets - not with "
                                + name);
            }
        }
        Evaluator.RangeValue rv = ev.evalRange(arg, t);
        if (name.equals("absent_over_time")) {
            return rv.series().isEmpty() ? absent(arg, t) : new ArrayList<>();
        }
        boolean keepName = name.equals("last_over_time") || name.equals("first_over_time");
        List<Pt> out = new ArrayList<>(rv.series().size());
        Notes notes = new Notes();
        double[] scratch = new double[16];
        for (Win w : rv.series()) {
            long[] ft = w.ft() == null ? NO_LONGS : w.ft();
            double[] fv = w.fv() == null ? NO_DOUBLES : w.fv();
            long[] ht = w.ht() == null ? NO_LONGS : w.ht();
            FloatHistogram[] hv = w.hv() == null ? NO_HISTOGRAMS : w.hv();
            int fn = w.fn();
            int hn = w.hn();
            String metricName = nullToEmpty(w.metric().metricName());
            double f = RangeFunctions.NONE;
            FloatHistogram h = null;
            notes.clear();
            if (scratch.length < fn) {
                scratch = new double[fn];
            }
            switch (name) {
                case "rate", "increase", "delta" -> {
                    boolean counter = !name.equals("delta");
                    if (fn > 0 && hn > 0) {
                        ev.warn("encountered a mix of histograms and floats for metric name \"" + metricName + "\"",
                                arg.pos());
                    } else if (hn > 0 && (rv.anchored() || rv.smoothed())) {
                        boolean anyGauge = false;
                        boolean anyOther = false;
                        for (int i = 0; i < hn; i++) {
                            boolean g = hv[i].counterResetHint() == FloatHistogram.CounterResetHint.GAUGE;
                            anyGauge |= g;
                            anyOther |= !g;
                        }
                        if (counter && anyGauge) {
                            notes.add(Notes.NOT_COUNTER);
                        } else if (!counter && anyOther) {
                            notes.add(Notes.NOT_GAUGE);
                        }
                        h = HistogramExtendedRate.compute(ht, hv, hn, rv.rangeStart(), rv.rangeEnd(), counter,
                                name.equals("rate"), rv.smoothed(), notes);
                    } else if (hn > 0) {
                        FloatHistogram o = new FloatHistogram();
                        if (HistogramFunctions.extrapolatedRate(ht, hv, 0, hn, null, rv.rangeStart(), rv.rangeEnd(),
                                counter, name.equals("rate"), o, notes)) {
                            h = o;
                        }
                    } else if (rv.anchored() || rv.smoothed()) {
                        f = RangeFunctions.extendedRate(ft, fv, 0, fn, rv.rangeStart(), rv.rangeEnd(), counter,
                                name.equals("rate"), rv.smoothed());
                    } else {
                        if (counter && !metricName.isEmpty() && !metricName.endsWith("_total")
                                && !metricName.endsWith("_sum") && !metricName.endsWith("_count")
                                && !metricName.endsWith("_bucket")) {
                            ev.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
                                    + metricName + "\"", arg.pos());
                        }
                        f = switch (name) {
                            case "rate" -> RangeFunctions.rate(ft, fv, 0, fn, null, rv.rangeStart(), rv.rangeEnd());
                            case "increase" -> RangeFunctions.increase(ft, fv, 0, fn, null, rv.rangeStart(),
                                    rv.rangeEnd());
                            default -> RangeFunctions.delta(ft, fv, 0, fn, rv.rangeStart(), rv.rangeEnd());
                        };
                    }
                }
                case "irate", "idelta" -> {
                    boolean isRate = name.equals("irate");
                    // Only the two newest samples count, whatever came before them.
                    int lastTwoHists = lastTwoHistograms(ft, fn, ht, hn);
                    if (lastTwoHists == 0) {
                        f = RangeFunctions.instantValue(ft, fv, 0, fn, null, isRate);
                    } else if (lastTwoHists == 2) {
                        FloatHistogram o = new FloatHistogram();
                        if (HistogramFunctions.instantValue(ht, hv, 0, hn, null, isRate, o, notes)) {
                            h = o;
                        }
                    } else if (fn + hn >= 2) {
                        ev.warn("encountered a mix of histograms and floats for metric name \"" + metricName + "\"",
                                arg.pos());
                    }
                }
                case "deriv" -> f = floatsOnly(ev, w, arg, () -> RangeFunctions.deriv(ft, fv, 0, fn));
                case "predict_linear" -> {
                    double secs = p0;
                    f = floatsOnly(ev, w, arg, () -> RangeFunctions.predictLinear(ft, fv, 0, fn, t, secs));
                }
                case "double_exponential_smoothing" -> {
                    double sf = p0;
                    double tf = p1;
                    f = floatsOnly(ev, w, arg, () -> RangeFunctions.doubleExponentialSmoothing(fv, 0, fn, sf, tf));
                }
                case "sum_over_time", "avg_over_time" -> {
                    boolean sum = name.equals("sum_over_time");
                    if (fn > 0 && hn > 0) {
                        ev.warn("encountered a mix of histograms and floats for metric name \"" + metricName + "\"",
                                arg.pos());
                    } else if (hn > 0) {
                        FloatHistogram o = new FloatHistogram();
                        boolean ok = sum ? HistogramFunctions.sumOverTime(hv, 0, hn, o, notes)
                                : HistogramFunctions.avgOverTime(hv, 0, hn, o, notes);
                        if (ok) {
                            h = HistogramMath.compact(o);
                        }
                    } else {
                        f = sum ? RangeFunctions.sumOverTime(fv, 0, fn) : RangeFunctions.avgOverTime(fv, 0, fn);
                    }
                }
                case "count_over_time" -> f = fn + hn;
                case "present_over_time" -> f = 1;
                case "last_over_time" -> {
                    long lf = fn > 0 ? ft[fn - 1] : Long.MIN_VALUE;
                    long lh = hn > 0 ? ht[hn - 1] : Long.MIN_VALUE;
                    if (lh > lf) {
                        h = hv[hn - 1];
                    } else {
                        f = fv[fn - 1];
                    }
                }
                case "first_over_time" -> {
                    long lf = fn > 0 ? ft[0] : Long.MAX_VALUE;
                    long lh = hn > 0 ? ht[0] : Long.MAX_VALUE;
                    if (lh < lf) {
                        h = hv[0];
                    } else {
                        f = fv[0];
                    }
                }
                case "ts_of_last_over_time" -> f = RangeFunctions.tsOfLast(fn > 0 ? ft[fn - 1] : Long.MIN_VALUE,
                        hn > 0 ? ht[hn - 1] : Long.MIN_VALUE);
                case "ts_of_first_over_time" -> f = RangeFunctions.tsOfFirst(fn > 0 ? ft[0] : Long.MIN_VALUE,
                        hn > 0 ? ht[0] : Long.MIN_VALUE);
                case "max_over_time" -> f = floatsOnly(ev, w, arg, () -> RangeFunctions.maxOverTime(fv, 0, fn));
                case "min_over_time" -> f = floatsOnly(ev, w, arg, () -> RangeFunctions.minOverTime(fv, 0, fn));
                case "ts_of_max_over_time" -> f = floatsOnly(ev, w, arg,
                        () -> RangeFunctions.tsOfMaxOverTime(ft, fv, 0, fn));
                case "ts_of_min_over_time" -> f = floatsOnly(ev, w, arg,
                        () -> RangeFunctions.tsOfMinOverTime(ft, fv, 0, fn));
                case "stddev_over_time" -> f = floatsOnly(ev, w, arg, () -> RangeFunctions.stddevOverTime(fv, 0, fn));
                case "stdvar_over_time" -> f = floatsOnly(ev, w, arg, () -> RangeFunctions.stdvarOverTime(fv, 0, fn));
                case "quantile_over_time" -> {
                    double q = p0;
                    double[] sc = scratch;
                    f = floatsOnly(ev, w, arg, () -> RangeFunctions.quantileOverTime(q, fv, 0, fn, sc, new Notes()));
                }
                case "mad_over_time" -> {
                    double[] sc = scratch;
                    f = floatsOnly(ev, w, arg, () -> anyNaN(fv, fn) ? Double.NaN
                            : RangeFunctions.madOverTime(fv, 0, fn, sc));
                }
                case "resets" -> f = RangeFunctions.resets(ft, fv, 0, fn, ht, hv, 0, hn);
                case "changes" -> f = RangeFunctions.changes(ft, fv, 0, fn, ht, hv, 0, hn);
                default -> throw EvalException.execution("function " + name + " is not supported by this engine yet");
            }
            reportRangeNotes(ev, notes, metricName, name, arg.pos());
            if (h == null && RangeFunctions.isNone(f)) {
                continue;
            }
            if (keepName) {
                out.add(new Pt(w.metric(), h == null ? f : 0, h, t, w.dropName()));
            } else {
                out.add(ev.dropName(w.metric(), h == null ? f : 0, h, t));
            }
        }
        return out;
    }

    /** Whether a NaN is among the first {@code n} values: the median absolute deviation is then undefined. */
    private static boolean anyNaN(double[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(v[i])) {
                return true;
            }
        }
        return false;
    }

    /** How many of the two newest samples of a window are histograms. */
    private static int lastTwoHistograms(long[] ft, int fn, long[] ht, int hn) {
        int f = fn - 1;
        int h = hn - 1;
        int hists = 0;
        for (int k = 0; k < 2 && (f >= 0 || h >= 0); k++) {
            if (h >= 0 && (f < 0 || ht[h] > ft[f])) {
                hists++;
                h--;
            } else {
                f--;
            }
        }
        return hists;
    }

    private interface FloatKernel {
        double apply();
    }

    private static double floatsOnly(Evaluator ev, Win w, Expr arg, FloatKernel k) {
        if (w.fn() == 0) {
            return RangeFunctions.NONE;
        }
        if (w.hn() > 0) {
            ev.info("ignored histograms in a range containing both floats and histograms for metric name \""
                    + nullToEmpty(w.metric().metricName()) + "\"", arg.pos());
        }
        return k.apply();
    }

    private static void reportRangeNotes(Evaluator ev, Notes notes, String metricName, String fn, PosRange pos) {
        if (notes.flags() == 0) {
            return;
        }
        if (notes.has(Notes.NOT_COUNTER)) {
            ev.warn(Notes.text(Notes.NOT_COUNTER) + " \"" + metricName + "\"", pos);
        }
        if (notes.has(Notes.NOT_GAUGE)) {
            ev.warn(Notes.text(Notes.NOT_GAUGE) + " \"" + metricName + "\"", pos);
        }
        if (notes.has(Notes.COUNTER_RESET_COLLISION)) {
            // Only sum_over_time and avg_over_time add histograms up: Prometheus names the
            // operation, not the function.
            ev.warn(Notes.text(Notes.COUNTER_RESET_COLLISION) + " aggregation", pos);
        }
        if (notes.has(Notes.MIXED_EXPONENTIAL_CUSTOM)) {
            ev.warn(Notes.text(Notes.MIXED_EXPONENTIAL_CUSTOM) + " \"" + metricName + "\"", pos);
        }
        if (notes.has(Notes.CUSTOM_BUCKETS_RECONCILED_SUB)) {
            ev.info(Notes.text(Notes.CUSTOM_BUCKETS_RECONCILED_SUB), pos);
        }
        if (notes.has(Notes.CUSTOM_BUCKETS_RECONCILED_AGG)) {
            ev.info(Notes.text(Notes.CUSTOM_BUCKETS_RECONCILED_AGG), pos);
        }
        if (notes.has(Notes.CUSTOM_BUCKETS_RECONCILED_ADD)) {
            ev.info(Notes.text(Notes.CUSTOM_BUCKETS_RECONCILED_ADD), pos);
        }
    }
}
