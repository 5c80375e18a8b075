package io.mantis.metrics.promql.ast;

import java.util.Objects;

/**
 * A duration written in a range ({@code [5m]}), a subquery step ({@code [1h:30s]}) or an offset.
 * Usually a constant ({@link Literal}); with Prometheus' duration expressions it may be arithmetic
 * ({@code [5m * 2]}, {@code offset (1m + 30s)}) over constants and the query's step and range
 * ({@code step()}, {@code range()}, {@code min_of(step(), 1m)}), which only the engine can evaluate.
 *
 * <p>Values are seconds as doubles while evaluating, as Prometheus computes them, and are rounded
 * to whole milliseconds at the end.
 */
public sealed interface DurationExpr {

    PosRange pos();

    /** Whether the value does not depend on the query (no {@code step()}, {@code range()}). */
    boolean isConstant();

    /** The value in seconds for a query of this step and range ({@code end - start}), both in milliseconds. */
    double seconds(long stepMillis, long rangeMillis);

    /** The value in whole milliseconds for a query of this step and range. */
    default long millis(long stepMillis, long rangeMillis) {
        return Math.round(seconds(stepMillis, rangeMillis) * 1000.0);
    }

    /**
     * The value in milliseconds of a constant duration.
     *
     * @throws IllegalStateException if the duration depends on the query
     */
    default long constantMillis() {
        if (!isConstant()) {
            throw new IllegalStateException("duration " + Printer.format(this) + " depends on the query's step or range");
        }
        return millis(0, 0);
    }

    /** A constant duration of {@code millis} milliseconds (printed as a duration). */
    static Literal ofMillis(long millis, PosRange pos) {
        return new Literal(millis / 1000.0, true, pos);
    }

    /**
     * A number of seconds: {@code 5m} ({@code durationUnit}: written with units, printed back so) or
     * {@code 300} (a plain number).
     */
    record Literal(double value, boolean durationUnit, PosRange pos) implements DurationExpr {
        @Override
        public boolean isConstant() {
            return true;
        }

        @Override
        public double seconds(long stepMillis, long rangeMillis) {
            return value;
        }

        @Override
        public String toString() {
            return Printer.format(this);
        }
    }

    /** {@code -d} or {@code +d}. */
    record Unary(boolean negate, DurationExpr expr, PosRange pos) implements DurationExpr {
        public Unary {
            Objects.requireNonNull(expr, "expr");
        }

        @Override
        public boolean isConstant() {
            return expr.isConstant();
        }

        @Override
        public double seconds(long stepMillis, long rangeMillis) {
            double v = expr.seconds(stepMillis, rangeMillis);
            return negate ? -v : v;
        }

        @Override
        public String toString() {
            return Printer.format(this);
        }
    }

    /** {@code a op b} with one of {@code + - * / % ^}. */
    record Binary(BinaryOp op, DurationExpr lhs, DurationExpr rhs, PosRange pos) implements DurationExpr {
        public Binary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(lhs, "lhs");
            Objects.requireNonNull(rhs, "rhs");
        }

        @Override
        public boolean isConstant() {
            return lhs.isConstant() && rhs.isConstant();
        }

        @Override
        public double seconds(long stepMillis, long rangeMillis) {
            double a = lhs.seconds(stepMillis, rangeMillis);
            double b = rhs.seconds(stepMillis, rangeMillis);
            return switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> {
                    if (b == 0) {
                        throw new ArithmeticException("division by zero");
                    }
                    yield a / b;
                }
                case MOD -> {
                    if (b == 0) {
                        throw new ArithmeticException("modulo by zero");
                    }
                    yield a % b;
                }
                case POW -> Math.pow(a, b);
                default -> throw new IllegalStateException("operator " + op + " in a duration");
            };
        }

        @Override
        public String toString() {
            return Printer.format(this);
        }
    }

    /** {@code (d)}: kept so that printing gives back what was written. */
    record Paren(DurationExpr expr, PosRange pos) implements DurationExpr {
        public Paren {
            Objects.requireNonNull(expr, "expr");
        }

        @Override
        public boolean isConstant() {
            return expr.isConstant();
        }

        @Override
        public double seconds(long stepMillis, long rangeMillis) {
            return expr.seconds(stepMillis, rangeMillis);
        }

        @Override
        public String toString() {
            return Printer.format(this);
        }
    }

    /** {@code step()}: the query's resolution; {@code range()}: its end minus its start (0 for instant queries). */
    record QueryParam(Kind kind, PosRange pos) implements DurationExpr {
        public enum Kind {
            STEP,
            RANGE
        }

        @Override
        public boolean isConstant() {
            return false;
        }

        @Override
        public double seconds(long stepMillis, long rangeMillis) {
            return (kind == Kind.STEP ? stepMillis : rangeMillis) / 1000.0;
        }

        @Override
        public String toString() {
            return Printer.format(this);
        }
    }

    /** {@code min_of(a, b)} or {@code max_of(a, b)}. */
    record MinMax(boolean max, DurationExpr lhs, DurationExpr rhs, PosRange pos) implements DurationExpr {
        public MinMax {
            Objects.requireNonNull(lhs, "lhs");
            Objects.requireNonNull(rhs, "rhs");
        }

        @Override
        public boolean isConstant() {
            return lhs.isConstant() && rhs.isConstant();
        }

        @Override
        public double seconds(long stepMillis, long rangeMillis) {
            double a = lhs.seconds(stepMillis, rangeMillis);
            double b = rhs.seconds(stepMillis, rangeMillis);
            return max ? Math.max(a, b) : Math.min(a, b);
        }

        @Override
        public String toString() {
            return Printer.format(this);
        }
    }
}
