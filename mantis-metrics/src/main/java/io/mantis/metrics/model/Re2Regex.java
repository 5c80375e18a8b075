package io.mantis.metrics.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RE2 syntax, as Prometheus accepts it in label matchers, parsed into a small tree and re-emitted
 * as a {@link java.util.regex.Pattern} that matches exactly the same strings.
 *
 * <p>Handing the user's text to {@code Pattern.compile} would be wrong in quiet ways: Java reads
 * {@code \1} as a backreference, {@code a*+} as possessive, {@code [a[b]]} as a union, {@code \v}
 * as a class, {@code $} as "end or before a final newline", and {@code (?i)} as ASCII-only. So
 * the expression is parsed with RE2's rules and every construct is emitted in an explicit Java
 * form that does not depend on Java's defaults or inline-flag scoping; what RE2 rejects, or what
 * Java would accept with another meaning, is rejected with a message saying why.
 *
 * <p>The tree also feeds {@link StringMatcher#of}: most matchers in practice are literals,
 * alternations of literals, prefixes or {@code .*}, which need no regex engine at all.
 */
final class Re2Regex {

    /** RE2's limit on counted repetition. */
    private static final int MAX_REPEAT = 1000;

    // ---- tree ----

    sealed interface Node permits Lit, AnyChar, CharClass, Assertion, Concat, Alt, Repeat, Group {}

    /** One code point; {@code fold} when it was written under {@code (?i)}. */
    record Lit(int codePoint, boolean fold) implements Node {}

    /** {@code .}; {@code dotNl} when it also matches a newline (flag s, on by default as in Prometheus 3). */
    record AnyChar(boolean dotNl) implements Node {}

    /** A character class already in Java syntax, self-contained (flags included). */
    record CharClass(String java) implements Node {}

    enum AssertionKind { BEGIN_TEXT, END_TEXT, BEGIN_LINE, END_LINE, WORD_BOUNDARY, NOT_WORD_BOUNDARY }

    record Assertion(AssertionKind kind) implements Node {}

    record Concat(List<Node> items) implements Node {}

    record Alt(List<Node> alternatives) implements Node {}

    /**
     * {@code max} is -1 for unbounded. {@code lazy} only when parsed for captures: whether a full
     * match exists does not depend on it, what a group captures does.
     */
    record Repeat(Node sub, int min, int max, boolean lazy) implements Node {
        Repeat(Node sub, int min, int max) {
            this(sub, min, max, false);
        }
    }

    /** A capturing group ({@code name} null when unnamed); only in trees parsed for captures. */
    record Group(Node sub, String name) implements Node {}

    /** Flags in force; copied when a group opens so that changes stay inside it. */
    private static final class Flags {
        boolean fold;
        boolean multiLine;
        boolean dotNl = true;
        boolean ungreedy;

        Flags copy() {
            Flags f = new Flags();
            f.fold = fold;
            f.multiLine = multiLine;
            f.dotNl = dotNl;
            f.ungreedy = ungreedy;
            return f;
        }
    }

    private final String src;
    private int pos;
    /** Whether groups capture (and greediness is kept): for replacements, not for matching. */
    private final boolean captures;
    private final List<String> groupNames = new ArrayList<>();

    private Re2Regex(String src, boolean captures) {
        this.src = src;
        this.captures = captures;
    }

    /** Parses {@code regex} (RE2 syntax, Prometheus flags: {@code .} matches newline). */
    static Node parse(String regex) {
        Re2Regex p = new Re2Regex(regex, false);
        Node n = p.parseAlternation(new Flags(), 0);
        if (p.pos < regex.length()) {
            throw p.error("unexpected ): " + regex);
        }
        return n;
    }

    /**
     * {@code regex} with its capturing groups, for replacements ({@code label_replace}): a Java
     * pattern whose group k is RE2's group k, lazy repetitions kept lazy (Go's regexp, like
     * Java's, prefers the leftmost alternative and honours laziness, so groups capture the same),
     * and the groups' names by number (index 0 unused; null for unnamed groups).
     */
    static Pattern compileWithGroups(String regex, List<String> names) {
        Re2Regex p = new Re2Regex(regex, true);
        Node n = p.parseAlternation(new Flags(), 0);
        if (p.pos < regex.length()) {
            throw p.error("unexpected ): " + regex);
        }
        names.add(null);
        names.addAll(p.groupNames);
        return toJava(regex, n);
    }

    /** A Java pattern for {@code node}, to be used with {@link java.util.regex.Matcher#matches()}. */
    static Pattern toJava(String regex, Node node) {
        StringBuilder sb = new StringBuilder(regex.length() * 2 + 8);
        emit(node, sb);
        try {
            return Pattern.compile(sb.toString());
        } catch (RuntimeException | StackOverflowError e) {
            // The emitter only produces constructs Java supports, so this is a bug or a resource limit.
            throw new RegexSyntaxException(regex, "cannot be translated for the Java regex engine: " + e.getMessage());
        }
    }

    // ---- parser ----

    private RegexSyntaxException error(String problem) {
        return new RegexSyntaxException(src, problem);
    }

    private boolean more() {
        return pos < src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    private boolean lookingAt(String s) {
        return src.startsWith(s, pos);
    }

    /** Parses until end of input or an unmatched ')' (left for the caller); depth is the group nesting. */
    private Node parseAlternation(Flags inherited, int depth) {
        Flags flags = inherited.copy();
        List<Node> alternatives = new ArrayList<>(2);
        List<Node> items = new ArrayList<>();
        while (more()) {
            char c = peek();
            switch (c) {
                case '|' -> {
                    pos++;
                    alternatives.add(concat(items));
                    items = new ArrayList<>();
                }
                case ')' -> {
                    if (depth == 0) {
                        throw error("unexpected ): " + src);
                    }
                    alternatives.add(concat(items));
                    return alternatives.size() == 1 ? alternatives.get(0) : new Alt(alternatives);
                }
                case '*', '+', '?', '{' -> {
                    int start = pos;
                    int[] range = parseRepeatOperator();
                    if (range == null) {
                        // '{' that does not start a valid {n}, {n,} or {n,m} is a literal in RE2.
                        pos++;
                        items.add(new Lit('{', flags.fold));
                        continue;
                    }
                    String op = src.substring(start, pos);
                    boolean lazy = false;
                    if (more() && peek() == '?') {
                        pos++;
                        op += "?";
                        lazy = true;
                    }
                    if (items.isEmpty()) {
                        throw error("missing argument to repetition operator: `" + op + "`");
                    }
                    // RE2 refuses a repetition right after another (a**, a*+, a{2}{3}); Java would
                    // read some of those as possessive quantifiers.
                    if (more() && isRepeatStart()) {
                        throw error("invalid nested repetition operator: `" + op + src.charAt(pos)
                                + "` (RE2 has no possessive quantifiers; Java would read `*+`, `++`, `?+` as possessive)");
                    }
                    Node last = items.remove(items.size() - 1);
                    // Non-greedy (and (?U)) only matter for what groups capture.
                    items.add(new Repeat(last, range[0], range[1], captures && lazy != flags.ungreedy));
                }
                case '(' -> {
                    Node group = parseGroup(flags, depth);
                    if (group != null) {
                        items.add(group);
                    }
                }
                case '[' -> {
                    items.add(parseClass(flags));
                }
                case '.' -> {
                    pos++;
                    items.add(new AnyChar(flags.dotNl));
                }
                case '^' -> {
                    pos++;
                    items.add(new Assertion(flags.multiLine ? AssertionKind.BEGIN_LINE : AssertionKind.BEGIN_TEXT));
                }
                case '$' -> {
                    pos++;
                    items.add(new Assertion(flags.multiLine ? AssertionKind.END_LINE : AssertionKind.END_TEXT));
                }
                case '\\' -> {
                    parseEscapeOutsideClass(flags, items);
                }
                default -> {
                    int cp = src.codePointAt(pos);
                    pos += Character.charCount(cp);
                    items.add(new Lit(cp, flags.fold));
                }
            }
        }
        if (depth > 0) {
            throw error("missing closing ): " + src);
        }
        alternatives.add(concat(items));
        return alternatives.size() == 1 ? alternatives.get(0) : new Alt(alternatives);
    }

    private static Node concat(List<Node> items) {
        return items.size() == 1 ? items.get(0) : new Concat(List.copyOf(items));
    }

    private boolean isRepeatStart() {
        char c = peek();
        if (c == '*' || c == '+' || c == '?') {
            return true;
        }
        if (c == '{') {
            int save = pos;
            int[] r = parseRepeatOperator();
            pos = save;
            return r != null;
        }
        return false;
    }

    /**
     * Consumes a repetition operator at {@code pos} and returns {min, max}; for a '{' that is not
     * a well-formed count returns null and consumes nothing.
     */
    private int[] parseRepeatOperator() {
        char c = peek();
        switch (c) {
            case '*' -> {
                pos++;
                return new int[] {0, -1};
            }
            case '+' -> {
                pos++;
                return new int[] {1, -1};
            }
            case '?' -> {
                pos++;
                return new int[] {0, 1};
            }
            default -> {
                int save = pos;
                pos++;
                int min = parseInt();
                if (min < 0) {
                    pos = save;
                    return null;
                }
                int max = min;
                if (more() && peek() == ',') {
                    pos++;
                    if (more() && peek() == '}') {
                        max = -1;
                    } else {
                        max = parseInt();
                        if (max < 0) {
                            pos = save;
                            return null;
                        }
                    }
                }
                if (!more() || peek() != '}') {
                    pos = save;
                    return null;
                }
                pos++;
                if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
                    throw error("invalid repeat count: `" + src.substring(save, pos) + "`");
                }
                return new int[] {min, max};
            }
        }
    }

    /** Decimal digits at pos, or -1 if none; saturates so that huge counts are reported, not wrapped. */
    private int parseInt() {
        int start = pos;
        long v = 0;
        while (more() && peek() >= '0' && peek() <= '9') {
            v = Math.min(v * 10 + (peek() - '0'), Integer.MAX_VALUE);
            pos++;
        }
        if (pos == start) {
            return -1;
        }
        return (int) v;
    }

    /** Parses a group at '('; returns null for a bare flag change {@code (?i)}, which alters {@code flags}. */
    private Node parseGroup(Flags flags, int depth) {
        int start = pos;
        pos++; // '('
        if (lookingAt("?")) {
            if (lookingAt("?P<") || (lookingAt("?<") && !lookingAt("?<=") && !lookingAt("?<!"))) {
                pos += lookingAt("?P<") ? 3 : 2;
                int nameStart = pos;
                while (more() && peek() != '>') {
                    char c = peek();
                    if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                        throw error("invalid named capture: `" + src.substring(start, Math.min(pos + 1, src.length())) + "`");
                    }
                    pos++;
                }
                if (!more() || pos == nameStart) {
                    throw error("invalid named capture: `" + src.substring(start, pos) + "`");
                }
                pos++; // '>'
                String name = src.substring(nameStart, pos - 1);
                if (captures && groupNames.contains(name)) {
                    throw error("duplicate capture group name: `" + name + "`");
                }
                int index = openGroup(name);
                return closeGroup(parseAlternation(flags, depth + 1), index);
            }
            if (lookingAt("?=") || lookingAt("?!") || lookingAt("?<=") || lookingAt("?<!")) {
                throw error("lookaround assertions are not supported (RE2 syntax): `"
                        + src.substring(start, Math.min(start + 4, src.length())) + "`");
            }
            if (lookingAt("?P=") || lookingAt("?P>")) {
                throw error("backreferences and recursion are not supported (RE2 syntax): `"
                        + src.substring(start, Math.min(start + 4, src.length())) + "`");
            }
            if (lookingAt("?>")) {
                throw error("atomic groups are not supported (RE2 syntax): `(?>`");
            }
            pos++; // '?'
            Flags changed = flags.copy();
            boolean negate = false;
            boolean sawFlag = false;
            boolean sawFlagAfterMinus = false;
            while (true) {
                if (!more()) {
                    throw error("missing closing ): " + src);
                }
                char c = peek();
                pos++;
                switch (c) {
                    case 'i' -> changed.fold = !negate;
                    case 'm' -> changed.multiLine = !negate;
                    case 's' -> changed.dotNl = !negate;
                    case 'U' -> changed.ungreedy = !negate;
                    case '-' -> {
                        if (negate) {
                            throw error("invalid or unsupported Perl syntax: `" + src.substring(start, pos) + "`");
                        }
                        negate = true;
                        continue;
                    }
                    case ':', ')' -> {
                        if ((negate && !sawFlagAfterMinus) || (!negate && !sawFlag && c == ')')) {
                            throw error("invalid or unsupported Perl syntax: `" + src.substring(start, pos) + "`");
                        }
                        if (c == ')') {
                            flags.fold = changed.fold;
                            flags.multiLine = changed.multiLine;
                            flags.dotNl = changed.dotNl;
                            flags.ungreedy = changed.ungreedy;
                            return null;
                        }
                        return closeGroup(parseAlternation(changed, depth + 1), -1);
                    }
                    default -> throw error("invalid or unsupported Perl syntax: `" + src.substring(start, pos) + "`"
                            + (c == 'x' || c == 'u' || c == 'd' || c == 'c' || c == '#'
                                    ? " (a Java-only flag or construct, not RE2)" : ""));
                }
                sawFlag = true;
                if (negate) {
                    sawFlagAfterMinus = true;
                }
            }
        }
        int index = openGroup(null);
        return closeGroup(parseAlternation(flags, depth + 1), index);
    }

    /** Numbers a capturing group in the order of its opening parenthesis; -1 when not capturing. */
    private int openGroup(String name) {
        if (!captures) {
            return -1;
        }
        groupNames.add(name);
        return groupNames.size();
    }

    private Node closeGroup(Node inner, int index) {
        // parseAlternation stops at ')' when depth > 0, and throws at end of input.
        pos++;
        return index < 0 ? inner : new Group(inner, groupNames.get(index - 1));
    }

    private void parseEscapeOutsideClass(Flags flags, List<Node> items) {
        int start = pos;
        pos++; // '\'
        if (!more()) {
            throw error("trailing backslash at end of expression");
        }
        char c = peek();
        switch (c) {
            case 'd', 'D', 's', 'S', 'w', 'W' -> {
                pos++;
                items.add(new CharClass(classToJava(perlClass(c), List.of(), false, false)));
                return;
            }
            case 'p', 'P' -> {
                List<int[]> ranges = new ArrayList<>();
                List<String> java = new ArrayList<>();
                parseUnicodeClass(ranges, java);
                items.add(new CharClass(classToJava(ranges, java, false, flags.fold)));
                return;
            }
            case 'A' -> {
                pos++;
                items.add(new Assertion(AssertionKind.BEGIN_TEXT));
                return;
            }
            case 'z' -> {
                pos++;
                items.add(new Assertion(AssertionKind.END_TEXT));
                return;
            }
            case 'b' -> {
                pos++;
                items.add(new Assertion(AssertionKind.WORD_BOUNDARY));
                return;
            }
            case 'B' -> {
                pos++;
                items.add(new Assertion(AssertionKind.NOT_WORD_BOUNDARY));
                return;
            }
            case 'Q' -> {
                pos++;
                int end = src.indexOf("\\E", pos);
                String lit = end < 0 ? src.substring(pos) : src.substring(pos, end);
                pos = end < 0 ? src.length() : end + 2;
                lit.codePoints().forEach(cp -> items.add(new Lit(cp, flags.fold)));
                return;
            }
            case 'E' -> {
                // A stray \E is ignored by RE2's parser only after \Q; elsewhere it is an error.
                throw error("invalid escape sequence: `\\E`");
            }
            case 'C' -> throw error("invalid escape sequence: `\\C` (matching single bytes is not supported)");
            case 'Z' -> throw error("invalid escape sequence: `\\Z` (not RE2; use `\\z` or `$`)");
            default -> {
                pos = start;
                items.add(new Lit(parseSingleEscape(), flags.fold));
            }
        }
    }

    /** An escape that stands for one code point (at '\'), shared by classes and the top level. */
    private int parseSingleEscape() {
        int start = pos;
        pos++; // '\'
        if (!more()) {
            throw error("trailing backslash at end of expression");
        }
        char c = peek();
        pos++;
        switch (c) {
            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'v':
                return 0x0B;
            case 'x':
                return parseHexEscape(start);
            case '0', '1', '2', '3', '4', '5', '6', '7': {
                boolean nextOctal = more() && peek() >= '0' && peek() <= '7';
                if (c != '0' && !nextOctal) {
                    throw error("invalid escape sequence: `\\" + c + "` (backreferences are not supported in RE2)");
                }
                int v = c - '0';
                for (int i = 1; i < 3 && more() && peek() >= '0' && peek() <= '7'; i++) {
                    v = v * 8 + (peek() - '0');
                    pos++;
                }
                return v;
            }
            case '8', '9':
                throw error("invalid escape sequence: `\\" + c + "` (backreferences are not supported in RE2)");
            default:
                if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                    return c;
                }
                int cp = src.codePointAt(pos - 1);
                throw error("invalid escape sequence: `" + src.substring(start, start + 1 + Character.charCount(cp)) + "`");
        }
    }

    private int parseHexEscape(int start) {
        if (!more()) {
            throw error("invalid escape sequence: `" + src.substring(start) + "`");
        }
        if (peek() == '{') {
            int end = src.indexOf('}', pos);
            if (end < 0 || end == pos + 1) {
                throw error("invalid escape sequence: `" + src.substring(start, Math.min(src.length(), pos + 1)) + "`");
            }
            String hex = src.substring(pos + 1, end);
            int v = parseHex(hex, start, end + 1);
            pos = end + 1;
            return v;
        }
        if (pos + 2 > src.length()) {
            throw error("invalid escape sequence: `" + src.substring(start) + "`");
        }
        int v = parseHex(src.substring(pos, pos + 2), start, pos + 2);
        pos += 2;
        return v;
    }

    private int parseHex(String hex, int start, int end) {
        long v = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0 || hex.charAt(i) > 0x7F) {
                throw error("invalid escape sequence: `" + src.substring(start, Math.min(end, src.length())) + "`");
            }
            v = v * 16 + d;
            if (v > Character.MAX_CODE_POINT) {
                throw error("invalid escape sequence: `" + src.substring(start, Math.min(end, src.length())) + "`");
            }
        }
        return (int) v;
    }

    // ---- character classes ----

    private Node parseClass(Flags flags) {
        int start = pos;
        pos++; // '['
        boolean negate = false;
        if (more() && peek() == '^') {
            negate = true;
            pos++;
        }
        List<int[]> ranges = new ArrayList<>();
        List<String> java = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (!more()) {
                throw error("missing closing ]: `" + src.substring(start) + "`");
            }
            char c = peek();
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[' && lookingAt("[:")) {
                int end = src.indexOf(":]", pos + 2);
                if (end >= 0) {
                    String name = src.substring(pos + 2, end);
                    List<int[]> posix = posixClass(name);
                    if (posix == null) {
                        throw error("invalid character class range: `[:" + name + ":]`");
                    }
                    ranges.addAll(posix);
                    pos = end + 2;
                    continue;
                }
            }
            int lo;
            if (c == '\\') {
                if (pos + 1 < src.length()) {
                    char e = src.charAt(pos + 1);
                    if (e == 'd' || e == 'D' || e == 's' || e == 'S' || e == 'w' || e == 'W') {
                        pos += 2;
                        ranges.addAll(perlClass(e));
                        continue;
                    }
                    if (e == 'p' || e == 'P') {
                        pos++;
                        parseUnicodeClass(ranges, java);
                        continue;
                    }
                }
                lo = parseSingleEscape();
            } else {
                lo = src.codePointAt(pos);
                pos += Character.charCount(lo);
            }
            int hi = lo;
            if (more() && peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                int rangeStart = pos;
                pos++;
                if (peek() == '\\') {
                    hi = parseSingleEscape();
                } else {
                    hi = src.codePointAt(pos);
                    pos += Character.charCount(hi);
                }
                if (hi < lo) {
                    throw error("invalid character class range: `"
                            + new StringBuilder().appendCodePoint(lo) + src.substring(rangeStart, pos) + "`");
                }
            }
            ranges.add(new int[] {lo, hi});
        }
        return new CharClass(classToJava(ranges, java, negate, flags.fold));
    }

    /** At 'p' or 'P' after the backslash: {@code \pL}, {@code \p{Greek}}, {@code \p{^Greek}}. */
    private void parseUnicodeClass(List<int[]> ranges, List<String> java) {
        boolean negate = peek() == 'P';
        int start = pos - 1;
        pos++;
        if (!more()) {
            throw error("invalid character class range: `" + src.substring(start) + "`");
        }
        String name;
        if (peek() == '{') {
            int end = src.indexOf('}', pos);
            if (end < 0) {
                throw error("invalid character class range: `" + src.substring(start) + "`");
            }
            name = src.substring(pos + 1, end);
            pos = end + 1;
        } else {
            int cp = src.codePointAt(pos);
            pos += Character.charCount(cp);
            name = new String(Character.toChars(cp));
        }
        if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
        }
        String p = negate ? "\\P" : "\\p";
        if (name.equals("Any")) {
            if (negate) {
                // Matches nothing; an empty intersection keeps it a valid class member.
                java.add("[\\x{0}&&\\x{1}]");
            } else {
                ranges.add(new int[] {0, Character.MAX_CODE_POINT});
            }
            return;
        }
        if (CATEGORIES.contains(name)) {
            if (name.equals("C")) {
                // Java's C also has unassigned code points (Cn), which RE2's does not.
                java.add(negate ? "[^\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]" : "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]");
            } else {
                java.add(p + "{" + name + "}");
            }
            return;
        }
        try {
            Character.UnicodeScript script = Character.UnicodeScript.valueOf(name.toUpperCase(Locale.ROOT));
            java.add(p + "{script=" + script.name() + "}");
        } catch (IllegalArgumentException e) {
            throw error("invalid character class range: `" + src.substring(start, pos) + "`");
        }
    }

    private static final Set<String> CATEGORIES = Set.of(
            "C", "Cc", "Cf", "Co", "Cs",
            "L", "Ll", "Lm", "Lo", "Lt", "Lu",
            "M", "Mc", "Me", "Mn",
            "N", "Nd", "Nl", "No",
            "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
            "S", "Sc", "Sk", "Sm", "So",
            "Z", "Zl", "Zp", "Zs");

    private static final int[][] DIGIT = {{'0', '9'}};
    private static final int[][] SPACE = {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};
    private static final int[][] WORD = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};

    /** RE2's Perl classes are ASCII-only; {@code \s} excludes \v, unlike Java's. */
    private static List<int[]> perlClass(char c) {
        int[][] base = switch (Character.toLowerCase(c)) {
            case 'd' -> DIGIT;
            case 's' -> SPACE;
            default -> WORD;
        };
        List<int[]> list = List.of(base);
        return Character.isUpperCase(c) ? complement(list) : list;
    }

    private static List<int[]> posixClass(String name) {
        boolean negate = name.startsWith("^");
        String n = negate ? name.substring(1) : name;
        int[][] r = switch (n) {
            case "alnum" -> new int[][] {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}};
            case "alpha" -> new int[][] {{'A', 'Z'}, {'a', 'z'}};
            case "ascii" -> new int[][] {{0, 0x7F}};
            case "blank" -> new int[][] {{'\t', '\t'}, {' ', ' '}};
            case "cntrl" -> new int[][] {{0, 0x1F}, {0x7F, 0x7F}};
            case "digit" -> DIGIT;
            case "graph" -> new int[][] {{'!', '~'}};
            case "lower" -> new int[][] {{'a', 'z'}};
            case "print" -> new int[][] {{' ', '~'}};
            case "punct" -> new int[][] {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}};
            case "space" -> new int[][] {{'\t', '\r'}, {' ', ' '}};
            case "upper" -> new int[][] {{'A', 'Z'}};
            case "word" -> WORD;
            case "xdigit" -> new int[][] {{'0', '9'}, {'A', 'F'}, {'a', 'f'}};
            default -> null;
        };
        if (r == null) {
            return null;
        }
        return negate ? complement(List.of(r)) : List.of(r);
    }

    /** Complement over all code points of sorted, non-overlapping ranges. */
    private static List<int[]> complement(List<int[]> sorted) {
        List<int[]> out = new ArrayList<>();
        int next = 0;
        for (int[] r : sorted) {
            if (r[0] > next) {
                out.add(new int[] {next, r[0] - 1});
            }
            next = r[1] + 1;
        }
        if (next <= Character.MAX_CODE_POINT) {
            out.add(new int[] {next, Character.MAX_CODE_POINT});
        }
        return out;
    }

    private static String classToJava(List<int[]> ranges, List<String> java, boolean negate, boolean fold) {
        StringBuilder sb = new StringBuilder();
        if (fold) {
            sb.append("(?iu:");
        }
        if (ranges.isEmpty() && java.isEmpty()) {
            sb.append(negate ? "[\\x{0}-\\x{10FFFF}]" : "[\\x{0}&&\\x{1}]");
        } else {
            sb.append('[');
            if (negate) {
                sb.append('^');
            }
            for (int[] r : ranges) {
                appendHex(sb, r[0]);
                if (r[1] != r[0]) {
                    sb.append('-');
                    appendHex(sb, r[1]);
                }
            }
            for (String j : java) {
                sb.append(j);
            }
            sb.append(']');
        }
        if (fold) {
            sb.append(')');
        }
        return sb.toString();
    }

    private static void appendHex(StringBuilder sb, int cp) {
        sb.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }

    // ---- emitter ----

    private static final String WORD_CHAR = "[0-9A-Za-z_]";

    private static void emit(Node node, StringBuilder sb) {
        switch (node) {
            case Lit lit -> emitLiteral(lit, sb);
            case AnyChar any -> sb.append(any.dotNl() ? "(?s:.)" : "[^\\n]");
            case CharClass cc -> sb.append(cc.java());
            case Assertion a -> sb.append(switch (a.kind()) {
                case BEGIN_TEXT -> "\\A";
                case END_TEXT -> "\\z";
                // Java's multi-line ^ does not match after a final newline and its $ knows more
                // line terminators than \n; RE2's line boundaries are \n only.
                case BEGIN_LINE -> "(?:\\A|(?<=\\n))";
                case END_LINE -> "(?:\\z|(?=\\n))";
                case WORD_BOUNDARY -> "(?:(?<=" + WORD_CHAR + ")(?!" + WORD_CHAR + ")|(?<!" + WORD_CHAR + ")(?="
                        + WORD_CHAR + "))";
                case NOT_WORD_BOUNDARY -> "(?:(?<=" + WORD_CHAR + ")(?=" + WORD_CHAR + ")|(?<!" + WORD_CHAR + ")(?!"
                        + WORD_CHAR + "))";
            });
            case Concat c -> {
                sb.append("(?:");
                for (Node n : c.items()) {
                    emit(n, sb);
                }
                sb.append(')');
            }
            case Alt alt when singleChars(alt) -> {
                // a|b|c as a class: Java's engine recurses per iteration of a repeated
                // alternation, so (a|b)* overflows the stack on long values; a class does not.
                boolean fold = ((Lit) alt.alternatives().get(0)).fold();
                sb.append(fold ? "(?iu:[" : "[");
                for (Node n : alt.alternatives()) {
                    appendHex(sb, ((Lit) n).codePoint());
                }
                sb.append(fold ? "])" : "]");
            }
            case Alt alt -> {
                sb.append("(?:");
                for (int i = 0; i < alt.alternatives().size(); i++) {
                    if (i > 0) {
                        sb.append('|');
                    }
                    emit(alt.alternatives().get(i), sb);
                }
                sb.append(')');
            }
            case Repeat r -> {
                sb.append("(?:");
                emit(r.sub(), sb);
                sb.append(')');
                if (r.min() == 0 && r.max() == -1) {
                    sb.append('*');
                } else if (r.min() == 1 && r.max() == -1) {
                    sb.append('+');
                } else if (r.min() == 0 && r.max() == 1) {
                    sb.append('?');
                } else if (r.max() == -1) {
                    sb.append('{').append(r.min()).append(",}");
                } else {
                    sb.append('{').append(r.min()).append(',').append(r.max()).append('}');
                }
                if (r.lazy()) {
                    sb.append('?');
                }
            }
            case Group g -> {
                // The only capturing parentheses emitted: Java numbers them as RE2 does.
                sb.append('(');
                emit(g.sub(), sb);
                sb.append(')');
            }
        }
    }

    private static boolean singleChars(Alt alt) {
        Boolean fold = null;
        for (Node n : alt.alternatives()) {
            if (!(n instanceof Lit lit) || (fold != null && fold != lit.fold())) {
                return false;
            }
            fold = lit.fold();
        }
        return true;
    }

    private static void emitLiteral(Lit lit, StringBuilder sb) {
        int cp = lit.codePoint();
        if (lit.fold()) {
            sb.append("(?iu:");
        }
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
            sb.append((char) cp);
        } else {
            appendHex(sb, cp);
        }
        if (lit.fold()) {
            sb.append(')');
        }
    }
}
