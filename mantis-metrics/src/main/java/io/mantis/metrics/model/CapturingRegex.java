package io.mantis.metrics.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A regular expression in RE2 syntax (Go's {@code regexp}, as Prometheus takes it) whose groups
 * capture, for replacements such as PromQL's {@code label_replace}. Parsed by the same parser
 * as label matchers ({@link Matcher}), so it accepts and refuses exactly what they do, and
 * matches the whole input with the same meaning of every construct; groups are numbered by
 * their opening parenthesis and may be named ({@code (?P<name>...)} or {@code (?<name>...)}).
 */
public final class CapturingRegex {

    private final Pattern pattern;
    /** Group names by number minus one; unnamed groups null. */
    private final List<String> names;

    private CapturingRegex(Pattern pattern, List<String> names) {
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * @throws RegexSyntaxException when RE2 would refuse {@code regex}, saying why
     */
    public static CapturingRegex compile(String regex) {
        List<String> names = new ArrayList<>();
        Pattern p = Re2Regex.compileWithGroups(regex, names);
        return new CapturingRegex(p, java.util.Collections.unmodifiableList(new ArrayList<>(names.subList(1, names.size()))));
    }

    /** A matcher over {@code input}; use {@link java.util.regex.Matcher#matches()} for the anchored match. */
    public java.util.regex.Matcher matcher(CharSequence input) {
        return pattern.matcher(input);
    }

    /** The number of the first group called {@code name}, or -1. */
    public int group(String name) {
        int i = names.indexOf(name);
        return i < 0 ? -1 : i + 1;
    }
}
