package io.mantis.metrics.tsdb.index;

import io.mantis.metrics.model.Matcher;
import io.mantis.otlp.prometheus.Labels;
import java.util.Arrays;
import java.util.Collection;

/** Checks over a whole selector (a list of label matchers). */
public final class Matchers {

    private Matchers() {}

    /**
     * Whether at least one matcher does not match the empty value, which Prometheus requires of
     * every selector so that a query can never select all series by accident
     * ({@code {a=""}}, {@code {a=~".*"}}, {@code {a!="x"}} alone are refused).
     */
    public static boolean hasNonEmptyMatcher(Collection<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matchesEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Enforces {@link #hasNonEmptyMatcher}.
     *
     * @throws IllegalArgumentException with Prometheus' message when no matcher qualifies
     */
    public static void requiresNonEmpty(Matcher... matchers) {
        if (!hasNonEmptyMatcher(Arrays.asList(matchers))) {
            throw new IllegalArgumentException("vector selector must contain at least one non-empty matcher");
        }
    }

    /** Whether a label set satisfies every matcher (absent labels have the empty value). */
    public static boolean matches(Labels labels, Collection<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.get(m.name()))) {
                return false;
            }
        }
        return true;
    }
}
