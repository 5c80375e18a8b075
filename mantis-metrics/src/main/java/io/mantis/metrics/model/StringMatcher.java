package io.mantis.metrics.model;

import io.mantis.metrics.model.Re2Regex.AnyChar;
import io.mantis.metrics.model.Re2Regex.Alt;
import io.mantis.metrics.model.Re2Regex.Assertion;
import io.mantis.metrics.model.Re2Regex.AssertionKind;
import io.mantis.metrics.model.Re2Regex.Concat;
import io.mantis.metrics.model.Re2Regex.Lit;
import io.mantis.metrics.model.Re2Regex.Node;
import io.mantis.metrics.model.Re2Regex.Repeat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A regex that needs no regex engine: the shapes label matchers take in practice (literals,
 * alternations of literals, {@code prefix.*}, {@code .*suffix}, {@code .*infix.*}, {@code .*},
 * {@code .+}, and {@code (?i)} over ASCII literals), recognised on the parsed tree so that
 * escapes, groups and flags are already resolved.
 */
abstract class StringMatcher {

    abstract boolean matches(String s);

    /** The exact set of strings matched when this is a case-sensitive literal set, else null. */
    Set<String> literals() {
        return null;
    }

    /** A fast matcher equivalent to {@code node} under full anchoring, or null if there is none. */
    static StringMatcher of(Node node) {
        if (node instanceof Alt alt) {
            List<StringMatcher> parts = new ArrayList<>(alt.alternatives().size());
            for (Node n : alt.alternatives()) {
                StringMatcher m = of(n);
                if (m == null) {
                    return null;
                }
                parts.add(m);
            }
            Set<String> all = new LinkedHashSet<>();
            for (StringMatcher m : parts) {
                Set<String> lits = m.literals();
                if (lits == null) {
                    return new AnyOf(parts);
                }
                all.addAll(lits);
            }
            return all.size() == 1 ? new Equal(all.iterator().next()) : new InSet(all);
        }
        return ofSequence(flatten(node, new ArrayList<>()));
    }

    private static List<Node> flatten(Node node, List<Node> out) {
        if (node instanceof Concat c) {
            for (Node n : c.items()) {
                flatten(n, out);
            }
        } else {
            out.add(node);
        }
        return out;
    }

    /** 0 for {@code .*}, 1 for {@code .+} (both with dot matching newline), -1 otherwise. */
    private static int anyRun(Node n) {
        if (n instanceof Repeat r && r.max() == -1 && r.min() <= 1
                && r.sub() instanceof AnyChar any && any.dotNl()) {
            return r.min();
        }
        return -1;
    }

    private static StringMatcher ofSequence(List<Node> items) {
        int from = 0;
        int to = items.size();
        // Anchors at the very ends are redundant: the match is anchored anyway.
        if (from < to && items.get(from) instanceof Assertion a && a.kind() == AssertionKind.BEGIN_TEXT) {
            from++;
        }
        if (from < to && items.get(to - 1) instanceof Assertion a && a.kind() == AssertionKind.END_TEXT) {
            to--;
        }
        int lead = -1;
        int trail = -1;
        if (from < to) {
            lead = anyRun(items.get(from));
            if (lead >= 0) {
                from++;
            }
        }
        if (from < to) {
            trail = anyRun(items.get(to - 1));
            if (trail >= 0) {
                to--;
            }
        }
        StringBuilder lit = new StringBuilder();
        Boolean fold = null;
        for (int i = from; i < to; i++) {
            if (!(items.get(i) instanceof Lit l)) {
                return null;
            }
            if (fold == null) {
                fold = l.fold();
            } else if (fold != l.fold()) {
                return null;
            }
            lit.appendCodePoint(l.codePoint());
        }
        String s = lit.toString();
        boolean ci = fold != null && fold && hasAsciiLetter(s);
        if (fold != null && fold && !isAscii(s)) {
            // Outside ASCII, Java's per-char case comparison and RE2's case folding can differ
            // (and more than letters have case: circled letters, Roman numerals).
            return null;
        }
        if (lead < 0 && trail < 0) {
            return ci ? new EqualFold(s) : new Equal(s);
        }
        return new Infix(s, ci, Math.max(lead, 0), Math.max(trail, 0), lead >= 0, trail >= 0);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasAsciiLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return true;
            }
        }
        return false;
    }

    static final class Equal extends StringMatcher {
        final String value;

        Equal(String value) {
            this.value = value;
        }

        @Override
        boolean matches(String s) {
            return value.equals(s);
        }

        @Override
        Set<String> literals() {
            return Set.of(value);
        }
    }

    static final class EqualFold extends StringMatcher {
        final String value;

        EqualFold(String value) {
            this.value = value;
        }

        @Override
        boolean matches(String s) {
            return value.equalsIgnoreCase(s);
        }
    }

    static final class InSet extends StringMatcher {
        final Set<String> values;

        InSet(Set<String> values) {
            this.values = new HashSet<>(values);
        }

        @Override
        boolean matches(String s) {
            return values.contains(s);
        }

        @Override
        Set<String> literals() {
            return values;
        }
    }

    static final class AnyOf extends StringMatcher {
        final StringMatcher[] parts;

        AnyOf(List<StringMatcher> parts) {
            this.parts = parts.toArray(new StringMatcher[0]);
        }

        @Override
        boolean matches(String s) {
            for (StringMatcher m : parts) {
                if (m.matches(s)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code literal} with something around it: at least {@code minBefore} (0 or 1) characters
     * before when {@code anyBefore}, none otherwise, and likewise after. Covers prefix, suffix,
     * contains, {@code .*} and {@code .+}.
     */
    static final class Infix extends StringMatcher {
        final String literal;
        final boolean ignoreCase;
        final int minBefore;
        final int minAfter;
        final boolean anyBefore;
        final boolean anyAfter;

        Infix(String literal, boolean ignoreCase, int minBefore, int minAfter, boolean anyBefore, boolean anyAfter) {
            this.literal = literal;
            this.ignoreCase = ignoreCase;
            this.minBefore = minBefore;
            this.minAfter = minAfter;
            this.anyBefore = anyBefore;
            this.anyAfter = anyAfter;
        }

        /** The required prefix when this is {@code prefix.*} or {@code prefix.+} (case-sensitive), else null. */
        String prefix() {
            if (ignoreCase) {
                return null;
            }
            // .* and .+ alone parse as "anything before an empty literal": their prefix is "".
            return !anyBefore || (literal.isEmpty() && !anyAfter) ? literal : null;
        }

        @Override
        boolean matches(String s) {
            int n = literal.length();
            // Lengths in chars: one code point is one or two chars, so "at least one character"
            // is "at least one char" either way.
            if (s.length() < n + minBefore + minAfter) {
                return false;
            }
            if (!anyBefore) {
                return s.regionMatches(ignoreCase, 0, literal, 0, n) && (anyAfter || s.length() == n);
            }
            if (!anyAfter) {
                return s.regionMatches(ignoreCase, s.length() - n, literal, 0, n);
            }
            int last = s.length() - n - minAfter;
            if (!ignoreCase) {
                int at = s.indexOf(literal, minBefore);
                return at >= 0 && at <= last;
            }
            for (int i = minBefore; i <= last; i++) {
                if (s.regionMatches(true, i, literal, 0, n)) {
                    return true;
                }
            }
            return false;
        }
    }
}
