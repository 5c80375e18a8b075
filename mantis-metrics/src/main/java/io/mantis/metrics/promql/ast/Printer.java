package io.mantis.metrics.promql.ast;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.StringLiterals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an expression the way Prometheus' {@code String()} does: one line, canonical spacing,
 * {@code by}/{@code without} before the arguments, {@code @} before {@code offset}, numbers as Go's
 * {@code %v} prints them and constant durations in Prometheus' duration notation. Printing and
 * parsing again gives the same tree (positions aside).
 */
public final class Printer {

    private Printer() {
    }

    public static String format(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(e, sb);
        return sb.toString();
    }

    public static String format(DurationExpr d) {
        StringBuilder sb = new StringBuilder();
        printDuration(d, sb);
        return sb.toString();
    }

    private static void print(Expr e, StringBuilder sb) {
        switch (e) {
            case NumberLiteral n -> {
                if (n.durationLiteral()) {
                    sb.append(formatSecondsAsDuration(n.value()));
                } else {
                    sb.append(formatNumber(n.value()));
                }
            }
            case StringLiteral s -> sb.append(StringLiterals.quote(s.value()));
            case VectorSelector v -> {
                selector(v, sb);
                modifiers(v.at(), v.offset(), sb);
                extended(v, sb);
            }
            case MatrixSelector m -> {
                selector(m.selector(), sb);
                sb.append('[');
                printDuration(m.range(), sb);
                sb.append(']');
                modifiers(m.selector().at(), m.selector().offset(), sb);
                extended(m.selector(), sb);
            }
            case SubqueryExpr s -> {
                print(s.expr(), sb);
                subquerySuffix(s, sb);
            }
            case Call c -> {
                sb.append(c.function().name()).append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    print(c.args().get(i), sb);
                }
                sb.append(')');
            }
            case AggregateExpr a -> {
                aggregateHead(a, sb);
                sb.append('(');
                if (a.param() != null) {
                    print(a.param(), sb);
                    sb.append(", ");
                }
                print(a.expr(), sb);
                sb.append(')');
            }
            case BinaryExpr b -> {
                print(b.lhs(), sb);
                sb.append(' ');
                binaryOperator(b, sb);
                sb.append(' ');
                print(b.rhs(), sb);
            }
            case UnaryExpr u -> {
                sb.append(u.negate() ? '-' : '+');
                print(u.expr(), sb);
            }
            case ParenExpr p -> {
                sb.append('(');
                print(p.expr(), sb);
                sb.append(')');
            }
            case StepInvariantExpr s -> print(s.expr(), sb);
        }
    }

    /** {@code [range:step] @ t offset d}, what a subquery adds to its expression. */
    static void subquerySuffix(SubqueryExpr s, StringBuilder sb) {
        sb.append('[');
        printDuration(s.range(), sb);
        sb.append(':');
        if (s.step() != null) {
            printDuration(s.step(), sb);
        }
        sb.append(']');
        modifiers(s.at(), s.offset(), sb);
    }

    /** The operator and its grouping, up to the opening parenthesis: {@code sum}, {@code sum by (job) }. */
    static void aggregateHead(AggregateExpr a, StringBuilder sb) {
        sb.append(a.op().keyword());
        if (a.without()) {
            sb.append(" without (");
            labelList(a.grouping(), sb);
            sb.append(") ");
        } else if (!a.grouping().isEmpty()) {
            sb.append(" by (");
            labelList(a.grouping(), sb);
            sb.append(") ");
        }
    }

    /** The operator with its modifiers: {@code + on (job) group_left (x)}, {@code > bool}. */
    static void binaryOperator(BinaryExpr b, StringBuilder sb) {
        sb.append(b.op().symbol());
        if (b.returnBool()) {
            sb.append(" bool");
        }
        matching(b.matching(), sb);
    }

    private static void selector(VectorSelector v, StringBuilder sb) {
        String name = v.name();
        boolean legacyName = name != null && isLegacyMetricName(name);
        List<String> parts = new ArrayList<>(v.matchers().size());
        boolean nameSkipped = false;
        for (Matcher m : v.matchers()) {
            if (!nameSkipped && name != null && !name.isEmpty() && m.type() == Matcher.Type.EQUAL
                    && m.name().equals("__name__") && m.value().equals(name)) {
                nameSkipped = true;
                continue;
            }
            parts.add(m.toString());
        }
        parts.sort(null);
        if (legacyName) {
            sb.append(name);
            if (parts.isEmpty()) {
                return;
            }
            sb.append('{');
        } else {
            sb.append('{');
            if (name != null) {
                sb.append(StringLiterals.quote(name));
                if (!parts.isEmpty()) {
                    sb.append(',');
                }
            }
        }
        sb.append(String.join(",", parts)).append('}');
    }

    private static void modifiers(AtModifier at, DurationExpr offset, StringBuilder sb) {
        if (at != null) {
            switch (at.kind()) {
                case START -> sb.append(" @ start()");
                case END -> sb.append(" @ end()");
                case TIMESTAMP -> sb.append(" @ ").append(formatMillisAsSeconds(at.timestampMillis()));
            }
        }
        if (offset != null) {
            if (offset instanceof DurationExpr.Literal l && l.value() == 0) {
                return;
            }
            sb.append(" offset ");
            printDuration(offset, sb);
        }
    }

    private static void extended(VectorSelector v, StringBuilder sb) {
        if (v.anchored()) {
            sb.append(" anchored");
        }
        if (v.smoothed()) {
            sb.append(" smoothed");
        }
    }

    private static void matching(VectorMatching vm, StringBuilder sb) {
        if (vm == null) {
            return;
        }
        boolean group = vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
                || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
        if (!vm.matchingLabels().isEmpty() || vm.on() || group) {
            sb.append(vm.on() ? " on (" : " ignoring (");
            labelList(vm.matchingLabels(), sb);
            sb.append(')');
            if (group) {
                // An empty list is printed too ("group_left ()"), as Prometheus 2.x and 3.x do.
                sb.append(vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
                labelList(vm.include(), sb);
                sb.append(')');
            }
        }
        if (vm.fillLeft() != null && vm.fillRight() != null && vm.fillLeft().equals(vm.fillRight())) {
            sb.append(" fill(").append(formatNumber(vm.fillLeft())).append(')');
        } else {
            if (vm.fillLeft() != null) {
                sb.append(" fill_left(").append(formatNumber(vm.fillLeft())).append(')');
            }
            if (vm.fillRight() != null) {
                sb.append(" fill_right(").append(formatNumber(vm.fillRight())).append(')');
            }
        }
    }

    private static void labelList(List<String> labels, StringBuilder sb) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String l = labels.get(i);
            sb.append(isLegacyLabelName(l) ? l : StringLiterals.quote(l));
        }
    }

    private static void printDuration(DurationExpr d, StringBuilder sb) {
        switch (d) {
            case DurationExpr.Literal l -> {
                // A lone literal is a duration whatever way it was written ([300] prints as [5m]), as
                // Prometheus keeps it as a time.Duration.
                sb.append(formatSecondsAsDuration(l.value()));
            }
            default -> printDurationTerm(d, sb);
        }
    }

    private static void printDurationTerm(DurationExpr d, StringBuilder sb) {
        switch (d) {
            case DurationExpr.Literal l -> sb.append(l.durationUnit() ? formatSecondsAsDuration(l.value())
                    : formatNumber(l.value()));
            case DurationExpr.Unary u -> {
                sb.append(u.negate() ? '-' : '+');
                printDurationTerm(u.expr(), sb);
            }
            case DurationExpr.Binary b -> {
                printDurationTerm(b.lhs(), sb);
                sb.append(' ').append(b.op().symbol()).append(' ');
                printDurationTerm(b.rhs(), sb);
            }
            case DurationExpr.Paren p -> {
                sb.append('(');
                printDurationTerm(p.expr(), sb);
                sb.append(')');
            }
            case DurationExpr.QueryParam q -> sb.append(q.kind() == DurationExpr.QueryParam.Kind.STEP ? "step()" : "range()");
            case DurationExpr.MinMax m -> {
                sb.append(m.max() ? "max_of(" : "min_of(");
                printDurationTerm(m.lhs(), sb);
                sb.append(", ");
                printDurationTerm(m.rhs(), sb);
                sb.append(')');
            }
        }
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}: a metric name that needs no quotes. */
    public static boolean isLegacyMetricName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}: a label name that needs no quotes. */
    public static boolean isLegacyLabelName(String s) {
        return isLegacyMetricName(s) && s.indexOf(':') < 0;
    }

    /**
     * A float as Go's {@code %v} prints it: the shortest digits that read back to the same
     * value, in exponent form when the decimal exponent is below -4 or at least 6, as Go's
     * {@code %g} with shortest precision decides ({@code 1e+06}, {@code 123456}, {@code 1e-05},
     * {@code 0.0001}); {@code +Inf}, {@code -Inf}, {@code NaN}.
     */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v) < 0 ? "-0" : "0";
        }
        StringBuilder sb = new StringBuilder();
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        // Java 19+ prints the shortest digits that round-trip, which is what Go's shortest %g uses too.
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        } else {
            sb.append(bd.toPlainString());
        }
        return sb.toString();
    }

    /** Seconds (as a duration literal stores them) in Prometheus' duration notation, to the millisecond. */
    public static String formatSecondsAsDuration(double seconds) {
        long ms = Math.round(seconds * 1000.0);
        return ms < 0 ? "-" + formatDuration(-ms) : formatDuration(ms);
    }

    /** Milliseconds as Prometheus writes durations: {@code 1h30m}, {@code 1d}, {@code 1w}, {@code 1y}, {@code 0s}. */
    public static String formatDuration(long ms) {
        if (ms == 0) {
            return "0s";
        }
        if (ms < 0) {
            return "-" + formatDuration(-ms);
        }
        StringBuilder sb = new StringBuilder();
        long[] units = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
        String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            long n = ms / units[i];
            if (n > 0) {
                sb.append(n).append(names[i]);
                ms -= n * units[i];
            }
        }
        return sb.toString();
    }

    /** An {@code @} timestamp as Prometheus prints it: seconds with three decimals. */
    static String formatMillisAsSeconds(long ms) {
        BigDecimal s = BigDecimal.valueOf(ms, 3);
        return s.toPlainString();
    }
}
