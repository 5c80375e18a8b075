package io.mantis.metrics.model;

/**
 * A label matcher's regular expression is not valid RE2 syntax as Prometheus accepts it, or uses
 * a construct that this implementation cannot reproduce exactly (in which case the message says
 * so rather than silently matching differently from Prometheus).
 */
public final class RegexSyntaxException extends IllegalArgumentException {

    private final String regex;

    RegexSyntaxException(String regex, String problem) {
        super("invalid regular expression \"" + regex + "\": " + problem);
        this.regex = regex;
    }

    /** The expression as the user wrote it. */
    public String regex() {
        return regex;
    }
}
