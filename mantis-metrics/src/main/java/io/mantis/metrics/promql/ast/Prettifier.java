package io.mantis.metrics.promql.ast;

import java.nio.charset.StandardCharsets;

/**
 * Formats an expression over several lines as Prometheus' {@code /api/v1/format_query} does
 * (its {@code parser.Prettify}). A node whose one-line form ({@link Printer}) is longer than the
 * limit (100 bytes of UTF-8) is split, each nested level indented by two more spaces; a node that
 * fits stays on one line. How each node splits:
 * <ul>
 *   <li>aggregation: {@code sum by (job) (}, then the parameter (if any) followed by a comma and
 *       the argument, one level deeper, then {@code )} on its own line;</li>
 *   <li>function call: {@code rate(}, the arguments one per line, separated by commas, then
 *       {@code )};</li>
 *   <li>parentheses: {@code (}, the inner expression, {@code )};</li>
 *   <li>binary operation: the left operand one level deeper, the operator with its modifiers
 *       ({@code bool}, {@code on (...)}, {@code group_left (...)}) alone on a line at this
 *       level, the right operand one level deeper, so a split operation starts with indentation
 *       even at the top;</li>
 *   <li>unary minus: the sign, directly followed by its operand's formatting at the same level;</li>
 *   <li>subquery: its expression's formatting followed by {@code [range:step]} and modifiers; a
 *       subquery that fits is written without indentation, wherever it stands (a quirk of
 *       Prometheus kept for byte-identical answers);</li>
 *   <li>selectors and literals never split.</li>
 * </ul>
 */
public final class Prettifier {

    /** Prometheus' limit: a node longer than this is split. */
    public static final int MAX_CHARACTERS_PER_LINE = 100;

    private static final String INDENT = "  ";

    private final int limit;

    private Prettifier(int limit) {
        this.limit = limit;
    }

    public static String format(Expr e) {
        return format(e, MAX_CHARACTERS_PER_LINE);
    }

    /** With another line limit (Prometheus' own tests use 10 to exercise every rule on short queries). */
    public static String format(Expr e, int maxCharactersPerLine) {
        return new Prettifier(maxCharactersPerLine).pretty(e, 0);
    }

    private String pretty(Expr e, int level) {
        String oneLine = Printer.format(e);
        boolean split = oneLine.getBytes(StandardCharsets.UTF_8).length > limit;
        switch (e) {
            case AggregateExpr a -> {
                if (!split) {
                    return indent(level) + oneLine;
                }
                StringBuilder sb = new StringBuilder(indent(level));
                Printer.aggregateHead(a, sb);
                sb.append("(\n");
                if (a.param() != null) {
                    sb.append(pretty(a.param(), level + 1)).append(",\n");
                }
                sb.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')');
                return sb.toString();
            }
            case BinaryExpr b -> {
                if (!split) {
                    return indent(level) + oneLine;
                }
                StringBuilder sb = new StringBuilder();
                sb.append(pretty(b.lhs(), level + 1)).append('\n').append(indent(level));
                Printer.binaryOperator(b, sb);
                sb.append('\n').append(pretty(b.rhs(), level + 1));
                return sb.toString();
            }
            case Call c -> {
                if (!split) {
                    return indent(level) + oneLine;
                }
                StringBuilder sb = new StringBuilder(indent(level)).append(c.function().name()).append("(\n");
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        sb.append(",\n");
                    }
                    sb.append(pretty(c.args().get(i), level + 1));
                }
                return sb.append('\n').append(indent(level)).append(')').toString();
            }
            case ParenExpr p -> {
                if (!split) {
                    return indent(level) + oneLine;
                }
                return indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")";
            }
            case SubqueryExpr s -> {
                if (!split) {
                    return oneLine;
                }
                StringBuilder sb = new StringBuilder(pretty(s.expr(), level));
                Printer.subquerySuffix(s, sb);
                return sb.toString();
            }
            case UnaryExpr u -> {
                return indent(level) + (u.negate() ? "-" : "+") + pretty(u.expr(), level).strip();
            }
            case StepInvariantExpr s -> {
                return pretty(s.expr(), level);
            }
            case VectorSelector v -> {
                return indent(level) + oneLine;
            }
            case MatrixSelector m -> {
                return indent(level) + oneLine;
            }
            case NumberLiteral n -> {
                return indent(level) + oneLine;
            }
            case StringLiteral s -> {
                return indent(level) + oneLine;
            }
        }
    }

    private static String indent(int level) {
        return INDENT.repeat(level);
    }
}
