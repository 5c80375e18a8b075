package io.mantis.metrics.promql.parser;

import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.StringLiterals;
import io.mantis.metrics.promql.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a query into tokens with the same state machine as Prometheus' lexer, so that tokens,
 * their positions and the lexical errors (with their positions) agree: plain expression text,
 * the inside of braces (where keywords are plain label names), and the inside of brackets
 * (durations, {@code :}, duration arithmetic). The token list ends with one EOF or ERROR token;
 * an ERROR token's text is the message and its position the one Prometheus reports.
 */
final class Lexer {

    private static final int EOF_CHAR = -1;

    private static final Map<String, Kind> KEYWORDS = Map.ofEntries(
            Map.entry("and", Kind.LAND), Map.entry("or", Kind.LOR), Map.entry("unless", Kind.LUNLESS),
            Map.entry("atan2", Kind.ATAN2),
            Map.entry("sum", Kind.AGGREGATOR), Map.entry("avg", Kind.AGGREGATOR), Map.entry("count", Kind.AGGREGATOR),
            Map.entry("min", Kind.AGGREGATOR), Map.entry("max", Kind.AGGREGATOR), Map.entry("group", Kind.AGGREGATOR),
            Map.entry("stddev", Kind.AGGREGATOR), Map.entry("stdvar", Kind.AGGREGATOR), Map.entry("topk", Kind.AGGREGATOR),
            Map.entry("bottomk", Kind.AGGREGATOR), Map.entry("count_values", Kind.AGGREGATOR),
            Map.entry("quantile", Kind.AGGREGATOR), Map.entry("limitk", Kind.AGGREGATOR),
            Map.entry("limit_ratio", Kind.AGGREGATOR),
            Map.entry("offset", Kind.OFFSET), Map.entry("smoothed", Kind.SMOOTHED), Map.entry("anchored", Kind.ANCHORED),
            Map.entry("by", Kind.BY), Map.entry("without", Kind.WITHOUT), Map.entry("on", Kind.ON),
            Map.entry("ignoring", Kind.IGNORING), Map.entry("group_left", Kind.GROUP_LEFT),
            Map.entry("group_right", Kind.GROUP_RIGHT), Map.entry("bool", Kind.BOOL),
            Map.entry("start", Kind.START), Map.entry("end", Kind.END), Map.entry("step", Kind.STEP),
            Map.entry("inf", Kind.NUMBER), Map.entry("nan", Kind.NUMBER));

    private enum State {
        STATEMENTS,
        INSIDE_BRACES,
        DURATION_EXPR
    }

    private final String in;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int start;
    private int width;
    private State state = State.STATEMENTS;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean gotDuration;
    private boolean done;

    private Lexer(String in) {
        this.in = in;
    }

    /** Every token of {@code in}, comments included, ending with EOF or ERROR. */
    static List<Token> lex(String in) {
        Lexer l = new Lexer(in);
        while (!l.done) {
            switch (l.state) {
                case STATEMENTS -> l.statements();
                case INSIDE_BRACES -> l.insideBraces();
                case DURATION_EXPR -> l.durationExpr();
            }
        }
        return l.out;
    }

    // ---- Scanning primitives.

    private int next() {
        if (pos >= in.length()) {
            width = 0;
            return EOF_CHAR;
        }
        int c = in.codePointAt(pos);
        width = Character.charCount(c);
        pos += width;
        return c;
    }

    private int peek() {
        int c = next();
        backup();
        return c;
    }

    private void backup() {
        pos -= width;
    }

    private boolean accept(String valid) {
        int c = next();
        if (c != EOF_CHAR && valid.indexOf(c) >= 0) {
            return true;
        }
        backup();
        return false;
    }

    private boolean is(String valid) {
        int c = peek();
        return c != EOF_CHAR && valid.indexOf(c) >= 0;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consume
        }
    }

    private void emit(Kind kind) {
        out.add(new Token(kind, start, in.substring(start, pos), null));
        start = pos;
    }

    private void error(String message) {
        out.add(new Token(Kind.ERROR, start, message, null));
        done = true;
    }

    private void skipSpaces() {
        while (isSpace(peek())) {
            next();
        }
        start = pos;
    }

    // ---- States.

    private void statements() {
        if (braceOpen) {
            state = State.INSIDE_BRACES;
            return;
        }
        if (in.startsWith("#", pos)) {
            comment();
            return;
        }
        int r = next();
        switch (r) {
            case EOF_CHAR -> {
                if (parenDepth != 0) {
                    error("unclosed left parenthesis");
                } else if (bracketOpen) {
                    error("unclosed left bracket");
                } else {
                    emit(Kind.EOF);
                    done = true;
                }
            }
            case ',' -> emit(Kind.COMMA);
            case '*' -> emit(Kind.MUL);
            case '/' -> emit(Kind.DIV);
            case '%' -> emit(Kind.MOD);
            case '+' -> emit(Kind.ADD);
            case '-' -> emit(Kind.SUB);
            case '^' -> emit(Kind.POW);
            case '=' -> {
                int t = peek();
                if (t == '=') {
                    next();
                    emit(Kind.EQLC);
                } else if (t == '~') {
                    error("unexpected character after '=': " + goChar(t));
                } else {
                    emit(Kind.EQL);
                }
            }
            case '!' -> {
                int t = next();
                if (t != '=') {
                    error("unexpected character after '!': " + goChar(t));
                } else {
                    emit(Kind.NEQ);
                }
            }
            case '<' -> {
                if (peek() == '=') {
                    next();
                    emit(Kind.LTE);
                } else if (peek() == '/') {
                    next();
                    emit(Kind.TRIM_UPPER);
                } else {
                    emit(Kind.LSS);
                }
            }
            case '>' -> {
                if (peek() == '=') {
                    next();
                    emit(Kind.GTE);
                } else if (peek() == '/') {
                    next();
                    emit(Kind.TRIM_LOWER);
                } else {
                    emit(Kind.GTR);
                }
            }
            case '"', '\'', '`' -> string();
            case '(' -> {
                emit(Kind.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(Kind.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) {
                    replaceLastWithError("unexpected right parenthesis " + goChar(r));
                }
            }
            case '{' -> {
                emit(Kind.LEFT_BRACE);
                braceOpen = true;
                state = State.INSIDE_BRACES;
            }
            case '[' -> {
                if (bracketOpen) {
                    error("unexpected left bracket " + goChar(r));
                    return;
                }
                gotColon = false;
                gotDuration = false;
                emit(Kind.LEFT_BRACKET);
                if (isSpace(peek())) {
                    skipSpaces();
                }
                bracketOpen = true;
                state = State.DURATION_EXPR;
            }
            case ']' -> {
                if (!bracketOpen) {
                    error("unexpected right bracket " + goChar(r));
                    return;
                }
                emit(Kind.RIGHT_BRACKET);
                bracketOpen = false;
            }
            case '@' -> emit(Kind.AT);
            default -> {
                if (isSpace(r)) {
                    skipSpaces();
                } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
                    backup();
                    numberOrDuration();
                } else if (isAlpha(r) || r == ':') {
                    if (!bracketOpen) {
                        backup();
                        keywordOrIdentifier();
                    } else if (r == ':') {
                        if (gotColon) {
                            error("unexpected colon " + goChar(r));
                            return;
                        }
                        emit(Kind.COLON);
                        gotColon = true;
                    } else if (!durationKeyword()) {
                        error("unexpected character: " + goChar(r) + ", expected ':'");
                    }
                } else {
                    error("unexpected character: " + goChar(r));
                }
            }
        }
    }

    /**
     * Prometheus emits some tokens (a closing parenthesis, a colon) and then, in the same step,
     * overwrites them with an error, so the error stands just after the token.
     */
    private void replaceLastWithError(String message) {
        out.remove(out.size() - 1);
        error(message);
    }

    private void insideBraces() {
        if (in.startsWith("#", pos)) {
            comment();
            return;
        }
        int r = next();
        switch (r) {
            case EOF_CHAR -> error("unexpected end of input inside braces");
            case ',' -> emit(Kind.COMMA);
            case '"', '\'', '`' -> string();
            case '=' -> {
                if (next() == '~') {
                    emit(Kind.EQL_REGEX);
                } else {
                    backup();
                    emit(Kind.EQL);
                }
            }
            case '!' -> {
                int nr = next();
                if (nr == '~') {
                    emit(Kind.NEQ_REGEX);
                } else if (nr == '=') {
                    emit(Kind.NEQ);
                } else {
                    error("unexpected character after '!' inside braces: " + goChar(nr));
                }
            }
            case '{' -> error("unexpected left brace " + goChar(r));
            case '}' -> {
                emit(Kind.RIGHT_BRACE);
                braceOpen = false;
                state = State.STATEMENTS;
            }
            default -> {
                if (isSpace(r)) {
                    skipSpaces();
                } else if (isAlpha(r)) {
                    while (isAlphaNumeric(next())) {
                        // absorb
                    }
                    backup();
                    emit(Kind.IDENTIFIER);
                } else {
                    error("unexpected character inside braces: " + goChar(r));
                }
            }
        }
    }

    private void durationExpr() {
        int r = next();
        switch (r) {
            case EOF_CHAR -> error("unexpected end of input in duration expression");
            case ']' -> {
                emit(Kind.RIGHT_BRACKET);
                bracketOpen = false;
                gotColon = false;
                state = State.STATEMENTS;
            }
            case ':' -> {
                emit(Kind.COLON);
                if (!gotDuration) {
                    replaceLastWithError("unexpected colon before duration in duration expression");
                } else if (gotColon) {
                    replaceLastWithError("unexpected repeated colon in duration expression");
                }
                gotColon = true;
            }
            case '(' -> {
                emit(Kind.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(Kind.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) {
                    replaceLastWithError("unexpected right parenthesis " + goChar(r));
                }
            }
            case '+' -> emit(Kind.ADD);
            case '-' -> emit(Kind.SUB);
            case '*' -> emit(Kind.MUL);
            case '/' -> emit(Kind.DIV);
            case '%' -> emit(Kind.MOD);
            case '^' -> emit(Kind.POW);
            case ',' -> emit(Kind.COMMA);
            default -> {
                if (isSpace(r)) {
                    skipSpaces();
                } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
                    backup();
                    gotDuration = true;
                    numberOrDuration();
                } else if (isAlpha(r)) {
                    if (!durationKeyword()) {
                        error("unexpected character in duration expression: " + goChar(r));
                    }
                } else {
                    error("unexpected character in duration expression: " + goChar(r));
                }
            }
        }
    }

    /** {@code step}, {@code range}, {@code min_of}, {@code max_of} (any case) inside brackets; false for other words. */
    private boolean durationKeyword() {
        while (isAlpha(next())) {
            // absorb
        }
        backup();
        String word = in.substring(start, pos).toLowerCase(Locale.ROOT);
        switch (word) {
            case "step" -> emit(Kind.STEP);
            case "range", "min_of", "max_of" -> emit(Kind.DURATION_FUNCTION);
            default -> {
                return false;
            }
        }
        // A duration made of step() and friends may be followed by a colon like a literal one.
        gotDuration = true;
        return true;
    }

    private void comment() {
        pos += 1;
        int r = next();
        while (r != '\r' && r != '\n' && r != EOF_CHAR) {
            r = next();
        }
        backup();
        emit(Kind.COMMENT);
    }

    private void string() {
        try {
            StringLiterals.Scanned s = StringLiterals.scan(in, start);
            pos = s.end();
            out.add(new Token(Kind.STRING, start, in.substring(start, pos), s.value()));
            start = pos;
        } catch (ParseException e) {
            error(e.detail());
        }
    }

    private void numberOrDuration() {
        if (scanNumber()) {
            emit(Kind.NUMBER);
            // Prometheus continues with the expression state even inside brackets.
            state = State.STATEMENTS;
            return;
        }
        if (acceptRemainingDuration()) {
            backup();
            emit(Kind.DURATION);
            state = State.STATEMENTS;
            return;
        }
        error("bad number or duration syntax: " + Token.goQuote(in.substring(start, pos)));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        // "ms"; wrong pairs like "hs" are left to the duration parser.
        accept("s");
        while (accept("0123456789")) {
            while (accept("0123456789")) {
                // absorb
            }
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        return !isAlphaNumeric(next());
    }

    /** Scans what may be a number; whether it is a valid one the parser decides. */
    private boolean scanNumber() {
        int initial = pos;
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            accept("_");
            digits = "0123456789abcdefABCDEF";
        }
        accept(".");
        accept(digits);
        boolean dot = false;
        boolean exponent = false;
        while (is(digits + "._eE")) {
            if (is(".") && dot) {
                accept(".");
                return false;
            }
            if (is("eE") && exponent) {
                accept("eE");
                return false;
            }
            if (accept(".")) {
                dot = true;
                if (accept("_.")) {
                    return false;
                }
                if (digits.length() > 10) {
                    return false;
                }
                continue;
            }
            if (accept("eE")) {
                exponent = true;
                accept("+-");
                if (accept("._eE") || peek() == EOF_CHAR) {
                    return false;
                }
                continue;
            }
            if (accept("_")) {
                if (accept("._eE") || peek() == EOF_CHAR) {
                    return false;
                }
                continue;
            }
            acceptRun(digits);
        }
        if (pos == initial) {
            return false;
        }
        return !isAlphaNumeric(peek());
    }

    private void keywordOrIdentifier() {
        int r;
        do {
            r = next();
        } while (isAlphaNumeric(r) || r == ':');
        backup();
        String word = in.substring(start, pos);
        Kind kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
        if (kw != null) {
            emit(kw);
        } else if (word.indexOf(':') < 0) {
            emit(Kind.IDENTIFIER);
        } else {
            emit(Kind.METRIC_IDENTIFIER);
        }
    }

    // ---- Character classes, as Prometheus defines them (ASCII only).

    static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isDigit(int r) {
        return r >= '0' && r <= '9';
    }

    static boolean isAlpha(int r) {
        return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    }

    static boolean isAlphaNumeric(int r) {
        return isAlpha(r) || isDigit(r);
    }

    /** A character as Go's {@code %q} writes a rune: {@code '~'}. */
    private static String goChar(int r) {
        if (r == EOF_CHAR) {
            return "'\uFFFD'";
        }
        String s = new String(Character.toChars(r));
        String q = StringLiterals.quote(s);
        String inner = q.substring(1, q.length() - 1);
        if (inner.equals("\\\"")) {
            inner = "\"";
        } else if (inner.equals("'")) {
            inner = "\\'";
        }
        return "'" + inner + "'";
    }
}
