package io.mantis.metrics.promql.parser;

/**
 * One lexical item.
 *
 * @param text the item as written (a string literal with its quotes)
 * @param value the resolved value of a string literal, else null
 */
record Token(Kind kind, int pos, String text, String value) {

    enum Category {
        OTHER,
        OPERATOR,
        AGGREGATOR,
        KEYWORD,
        PREPROCESSOR
    }

    enum Kind {
        EOF(Category.OTHER, null),
        ERROR(Category.OTHER, null),
        COMMENT(Category.OTHER, null),
        IDENTIFIER(Category.OTHER, null),
        METRIC_IDENTIFIER(Category.OTHER, null),
        NUMBER(Category.OTHER, null),
        DURATION(Category.OTHER, null),
        STRING(Category.OTHER, null),
        LEFT_PAREN(Category.OTHER, "("),
        RIGHT_PAREN(Category.OTHER, ")"),
        LEFT_BRACE(Category.OTHER, "{"),
        RIGHT_BRACE(Category.OTHER, "}"),
        LEFT_BRACKET(Category.OTHER, "["),
        RIGHT_BRACKET(Category.OTHER, "]"),
        COMMA(Category.OTHER, ","),
        COLON(Category.OTHER, ":"),
        EQL(Category.OTHER, "="),
        // Operators.
        ADD(Category.OPERATOR, "+"),
        SUB(Category.OPERATOR, "-"),
        MUL(Category.OPERATOR, "*"),
        DIV(Category.OPERATOR, "/"),
        MOD(Category.OPERATOR, "%"),
        POW(Category.OPERATOR, "^"),
        EQLC(Category.OPERATOR, "=="),
        NEQ(Category.OPERATOR, "!="),
        LSS(Category.OPERATOR, "<"),
        LTE(Category.OPERATOR, "<="),
        GTR(Category.OPERATOR, ">"),
        GTE(Category.OPERATOR, ">="),
        TRIM_UPPER(Category.OPERATOR, "</"),
        TRIM_LOWER(Category.OPERATOR, ">/"),
        EQL_REGEX(Category.OPERATOR, "=~"),
        NEQ_REGEX(Category.OPERATOR, "!~"),
        LAND(Category.OPERATOR, "and"),
        LOR(Category.OPERATOR, "or"),
        LUNLESS(Category.OPERATOR, "unless"),
        ATAN2(Category.OPERATOR, "atan2"),
        AT(Category.OPERATOR, "@"),
        // Aggregators: one kind, the operator is in the text.
        AGGREGATOR(Category.AGGREGATOR, null),
        // Keywords.
        BOOL(Category.KEYWORD, "bool"),
        BY(Category.KEYWORD, "by"),
        GROUP_LEFT(Category.KEYWORD, "group_left"),
        GROUP_RIGHT(Category.KEYWORD, "group_right"),
        IGNORING(Category.KEYWORD, "ignoring"),
        OFFSET(Category.KEYWORD, "offset"),
        ON(Category.KEYWORD, "on"),
        WITHOUT(Category.KEYWORD, "without"),
        ANCHORED(Category.KEYWORD, "anchored"),
        SMOOTHED(Category.KEYWORD, "smoothed"),
        // Words with a meaning after @ and in durations.
        START(Category.PREPROCESSOR, "start"),
        END(Category.PREPROCESSOR, "end"),
        STEP(Category.PREPROCESSOR, "step"),
        // Words only the lexer of durations knows: range(), min_of(), max_of().
        DURATION_FUNCTION(Category.OTHER, null);

        final Category category;
        final String symbol;

        Kind(Category category, String symbol) {
            this.category = category;
            this.symbol = symbol;
        }
    }

    int end() {
        return pos + text.length();
    }

    /**
     * How Prometheus names this item in "unexpected ..." messages: {@code end of input},
     * {@code identifier "foo"}, {@code <op:+>}, {@code <aggr:sum>}, {@code <by>}, {@code "("}.
     */
    String describe() {
        switch (kind) {
            case EOF:
                return "end of input";
            case ERROR:
                return text;
            case IDENTIFIER:
                return "identifier " + goQuote(text);
            case METRIC_IDENTIFIER:
                return "metric identifier " + goQuote(text);
            case NUMBER:
                return "number " + shortQuote(text);
            case DURATION:
                return "duration " + shortQuote(text);
            case STRING:
                return "string " + shortQuote(text);
            case COMMENT:
                return "comment " + shortQuote(text);
            case DURATION_FUNCTION:
                return "identifier " + goQuote(text);
            default:
                break;
        }
        return switch (kind.category) {
            case KEYWORD -> "<" + text + ">";
            case OPERATOR -> "<op:" + text + ">";
            case AGGREGATOR -> "<aggr:" + text + ">";
            default -> shortQuote(text);
        };
    }

    private static String shortQuote(String s) {
        // Go's %.10q: at most ten characters of the value, then "...".
        if (s.codePointCount(0, s.length()) > 10) {
            return goQuote(s.substring(0, s.offsetByCodePoints(0, 10))) + "...";
        }
        return goQuote(s);
    }

    static String goQuote(String s) {
        return io.mantis.metrics.promql.StringLiterals.quote(s);
    }
}
