package io.mantis.metrics.model;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One label matcher of a series selector ({@code name="v"}, {@code name!="v"},
 * {@code name=~"re"}, {@code name!~"re"}) with Prometheus 3 semantics:
 *
 * <ul>
 *   <li>A missing label has the empty value, so {@code {a=""}} selects series without {@code a}
 *       and {@code {a=~".*"}} selects every series.
 *   <li>Regexes use RE2 syntax, are fully anchored ({@code foo} does not match {@code xfooy}) and
 *       {@code .} matches newlines. Constructs that RE2 rejects, or that Java's engine would read
 *       differently (backreferences, lookarounds, possessive quantifiers, Java-only escapes and
 *       flags), are rejected with a {@link RegexSyntaxException}.
 *   <li>Common shapes never reach a regex engine: literal alternations {@code a|b|c} are a set
 *       lookup, {@code prefix.*} a {@code startsWith}, {@code .*} and {@code .+} are constant-time,
 *       and {@code (?i)} over ASCII literals is a case-insensitive comparison.
 * </ul>
 *
 * <p>Immutable and thread-safe; equality is by type, name and value.
 */
public final class Matcher {

    /** The four operators of a label matcher. */
    public enum Type {
        EQUAL("="),
        NOT_EQUAL("!="),
        REGEX("=~"),
        NOT_REGEX("!~");

        private final String operator;

        Type(String operator) {
            this.operator = operator;
        }

        /** The PromQL operator text, e.g. {@code =~}. */
        public String operator() {
            return operator;
        }

        /** Whether a series matches when the positive form does not. */
        public boolean negative() {
            return this == NOT_EQUAL || this == NOT_REGEX;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    // Exactly one of these is set for regex matchers; neither for (NOT_)EQUAL.
    private final StringMatcher fast;
    private final Pattern pattern;
    private final boolean matchesEmpty;

    private Matcher(Type type, String name, String value) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        if (type == Type.REGEX || type == Type.NOT_REGEX) {
            Re2Regex.Node tree = Re2Regex.parse(value);
            StringMatcher f = StringMatcher.of(tree);
            this.fast = f;
            this.pattern = f == null ? Re2Regex.toJava(value, tree) : null;
        } else {
            this.fast = null;
            this.pattern = null;
        }
        this.matchesEmpty = matches("");
    }

    /**
     * A matcher.
     *
     * @throws RegexSyntaxException for a regex type whose value is not an acceptable RE2 regex
     */
    public static Matcher of(Type type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(Type.EQUAL, name, value);
    }

    public static Matcher notEqual(String name, String value) {
        return new Matcher(Type.NOT_EQUAL, name, value);
    }

    /** @throws RegexSyntaxException if {@code regex} is not acceptable */
    public static Matcher regex(String name, String regex) {
        return new Matcher(Type.REGEX, name, regex);
    }

    /** @throws RegexSyntaxException if {@code regex} is not acceptable */
    public static Matcher notRegex(String name, String regex) {
        return new Matcher(Type.NOT_REGEX, name, regex);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** Whether a label value matches; {@code null} (label absent) is the empty value. */
    public boolean matches(String labelValue) {
        String s = labelValue == null ? "" : labelValue;
        return switch (type) {
            case EQUAL -> value.equals(s);
            case NOT_EQUAL -> !value.equals(s);
            case REGEX -> regexMatches(s);
            case NOT_REGEX -> !regexMatches(s);
        };
    }

    private boolean regexMatches(String s) {
        if (fast != null) {
            return fast.matches(s);
        }
        try {
            return pattern.matcher(s).matches();
        } catch (StackOverflowError e) {
            // Java's backtracking engine recurses per repetition of some groups; RE2 does not.
            // Failing the query beats killing the thread or answering wrongly.
            throw new IllegalStateException("regular expression \"" + value + "\" is too complex for a value of "
                    + s.length() + " characters");
        }
    }

    /** Whether a series without this label (or with it empty) matches. */
    public boolean matchesEmpty() {
        return matchesEmpty;
    }

    /** The matcher selecting exactly the values this one rejects ({@code =} ↔ {@code !=}, {@code =~} ↔ {@code !~}). */
    public Matcher inverse() {
        Type t = switch (type) {
            case EQUAL -> Type.NOT_EQUAL;
            case NOT_EQUAL -> Type.EQUAL;
            case REGEX -> Type.NOT_REGEX;
            case NOT_REGEX -> Type.REGEX;
        };
        return new Matcher(t, name, value);
    }

    /**
     * The exact, finite set of values the positive form of this matcher accepts ({@code =} and
     * {@code =~} as written; for {@code !=} and {@code !~}, the values they reject), when there
     * is one: {@code {v}} for (in)equality, the alternatives of a case-sensitive literal
     * alternation. Null when the set is not finite or not known. May contain the empty string.
     * Lets an index look values up instead of scanning all of them.
     */
    public Set<String> setMatches() {
        return switch (type) {
            case EQUAL, NOT_EQUAL -> Set.of(value);
            case REGEX, NOT_REGEX -> fast != null ? fast.literals() : null;
        };
    }

    /**
     * The literal prefix every value accepted by the positive form must start with, when the
     * regex is {@code prefix.*} or {@code prefix.+} (case-sensitive); else null. An index with
     * sorted values can narrow its scan to this prefix's range.
     */
    public String regexPrefix() {
        return fast instanceof StringMatcher.Infix infix ? infix.prefix() : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && type == m.type && name.equals(m.name) && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode();
    }

    /** PromQL text: {@code job=~"api|web"}; names that are not legacy identifiers are quoted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name.length() + value.length() + 6);
        if (isLegacyName(name)) {
            sb.append(name);
        } else {
            GoStrings.appendQuoted(name, sb);
        }
        sb.append(type.operator);
        GoStrings.appendQuoted(value, sb);
        return sb.toString();
    }

    private static boolean isLegacyName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
