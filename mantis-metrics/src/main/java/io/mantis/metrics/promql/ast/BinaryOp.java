package io.mantis.metrics.promql.ast;

/**
 * The binary operators with Prometheus' precedence (higher binds tighter) and associativity:
 * {@code ^} is right-associative, every other operator left-associative. The histogram trim
 * operators {@code </} and {@code >/} bind like {@code *}.
 */
public enum BinaryOp {
    OR("or", 1),
    AND("and", 2),
    UNLESS("unless", 2),
    EQL("==", 3),
    NEQ("!=", 3),
    GTR(">", 3),
    LSS("<", 3),
    GTE(">=", 3),
    LTE("<=", 3),
    ADD("+", 4),
    SUB("-", 4),
    MUL("*", 5),
    DIV("/", 5),
    MOD("%", 5),
    ATAN2("atan2", 5),
    /** {@code h </ x}: the part of native histogram {@code h} below {@code x} ("trim upper"). */
    TRIM_UPPER("</", 5),
    /** {@code h >/ x}: the part of native histogram {@code h} above {@code x} ("trim lower"). */
    TRIM_LOWER(">/", 5),
    POW("^", 6);

    /** The precedence unary minus and plus have: below {@code ^}, so {@code -2 ^ 2} is {@code -(2 ^ 2)}. */
    public static final int UNARY_PRECEDENCE = 5;

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** The operator as written ({@code +}, {@code and}, {@code atan2}). */
    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean rightAssociative() {
        return this == POW;
    }

    /** {@code == != > < >= <=}: filter unless {@code bool} is given. */
    public boolean isComparison() {
        return precedence == 3;
    }

    /** {@code and or unless}: always many-to-many. */
    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    @Override
    public String toString() {
        return symbol;
    }
}
