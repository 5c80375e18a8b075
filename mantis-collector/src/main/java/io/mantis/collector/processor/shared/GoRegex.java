package io.mantis.collector.processor.shared;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression written for the OpenTelemetry Collector (Go's RE2 syntax), compiled for
 * Java. The two dialects agree on nearly everything a collector config uses; the differences that
 * would silently change a match are translated:
 *
 * <ul>
 *   <li>named groups {@code (?P<name>...)} and {@code (?<name>...)}: Go allows underscores and
 *       repeated names, Java neither, so groups get generated names and the written names are
 *       kept in {@link #groupNames()};</li>
 *   <li>POSIX classes inside brackets, {@code [[:alpha:]]}, which Java would read as a set of
 *       letters;</li>
 *   <li>{@code $}, which in Go (without the {@code m} flag) matches only at the very end, and in
 *       Java also before a final line feed;</li>
 *   <li>{@code .}, which in Go excludes only {@code \n} (Java's UNIX_LINES).</li>
 * </ul>
 *
 * <p>Matching is unanchored, as Go's {@code MatchString}: use {@code ^...$} for a whole-string match.
 */
public final class GoRegex {
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\p{Space}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

    private final String source;
    private final Pattern pattern;
    private final List<String> groupNames;

    private GoRegex(String source, Pattern pattern, List<String> groupNames) {
        this.source = source;
        this.pattern = pattern;
        this.groupNames = groupNames;
    }

    /**
     * Compiles {@code regex}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong (and where)
     */
    public static GoRegex compile(String regex) {
        List<String> names = new ArrayList<>();
        String java = translate(regex, names);
        try {
            return new GoRegex(regex, Pattern.compile(java, Pattern.UNIX_LINES | Pattern.UNICODE_CASE),
                    Collections.unmodifiableList(names));
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 && java.equals(regex) ? " at index " + e.getIndex() : "";
            throw new IllegalArgumentException("invalid regular expression '" + regex + "': "
                    + e.getDescription() + where);
        }
    }

    /** The expression as written. */
    public String source() {
        return source;
    }

    /** True when the expression matches somewhere in {@code s}. */
    public boolean find(String s) {
        return pattern.matcher(s).find();
    }

    /** A matcher over {@code s}; capture group {@code i} is named {@code groupNames().get(i - 1)}. */
    public Matcher matcher(String s) {
        return pattern.matcher(s);
    }

    /**
     * The name of every capture group in order, null for an unnamed group: what RE2's
     * {@code SubexpNames} gives, without its leading entry for the whole match.
     */
    public List<String> groupNames() {
        return groupNames;
    }

    @Override
    public String toString() {
        return source;
    }

    private static String translate(String re, List<String> names) {
        boolean multiline = hasMultilineFlag(re);
        StringBuilder out = new StringBuilder(re.length() + 16);
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                int end = Math.min(re.length(), i + 2);
                if (i + 1 < re.length() && re.charAt(i + 1) == 'Q') {
                    // \Q...\E quotes everything up to \E (or the end) in both dialects.
                    int close = re.indexOf("\\E", i + 2);
                    end = close < 0 ? re.length() : close + 2;
                }
                out.append(re, i, end);
                i = end;
            } else if (c == '[') {
                i = copyClass(re, i, out);
            } else if (c == '(') {
                if (re.startsWith("(?P<", i) || (re.startsWith("(?<", i) && i + 3 < re.length()
                        && re.charAt(i + 3) != '=' && re.charAt(i + 3) != '!')) {
                    int nameStart = re.indexOf('<', i) + 1;
                    int nameEnd = re.indexOf('>', nameStart);
                    if (nameEnd < 0) {
                        throw new IllegalArgumentException("invalid regular expression '" + re
                                + "': unterminated group name at index " + i);
                    }
                    String name = re.substring(nameStart, nameEnd);
                    if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                        throw new IllegalArgumentException("invalid regular expression '" + re
                                + "': invalid group name '" + name + "' at index " + i);
                    }
                    names.add(name);
                    out.append("(?<g").append(names.size()).append('>');
                    i = nameEnd + 1;
                } else {
                    if (i + 1 >= re.length() || re.charAt(i + 1) != '?') {
                        names.add(null);
                    }
                    out.append(c);
                    i++;
                }
            } else if (c == '$' && !multiline) {
                out.append("\\z");
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Copies a bracket expression starting at {@code start}, translating POSIX classes; returns the index after it. */
    private static int copyClass(String re, int start, StringBuilder out) {
        int i = start + 1;
        out.append('[');
        if (i < re.length() && re.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        // A ']' right after the opening bracket is a literal in RE2; Java needs it escaped.
        if (i < re.length() && re.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                out.append(re, i, i + 2);
                i += 2;
            } else if (c == '[' && re.startsWith("[:", i)) {
                int close = re.indexOf(":]", i + 2);
                if (close < 0) {
                    out.append("\\[");
                    i++;
                    continue;
                }
                String name = re.substring(i + 2, close);
                boolean negated = name.startsWith("^");
                String cls = POSIX.get(negated ? name.substring(1) : name);
                if (cls == null) {
                    throw new IllegalArgumentException("invalid regular expression '" + re
                            + "': unknown character class [:" + name + ":]");
                }
                out.append(negated ? negate(cls) : cls);
                i = close + 2;
            } else if (c == '[') {
                // A lone '[' is a literal inside an RE2 class; in Java it would open a nested class.
                out.append("\\[");
                i++;
            } else if (c == '&' && i + 1 < re.length() && re.charAt(i + 1) == '&') {
                // Java's class intersection operator; two literal ampersands in RE2.
                out.append("\\&\\&");
                i += 2;
            } else if (c == ']') {
                out.append(']');
                return i + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return i;
    }

    private static String negate(String cls) {
        return cls.equals("\\w") ? "\\W" : "\\P" + cls.substring(2);
    }

    /** Whether a flag group turns on {@code m}, in which case {@code $} means end of line in both dialects. */
    private static boolean hasMultilineFlag(String re) {
        int i = re.indexOf("(?");
        while (i >= 0) {
            int j = i + 2;
            while (j < re.length() && Character.isLetter(re.charAt(j))) {
                if (re.charAt(j) == 'm') {
                    return true;
                }
                j++;
            }
            i = re.indexOf("(?", i + 2);
        }
        return false;
    }
}
