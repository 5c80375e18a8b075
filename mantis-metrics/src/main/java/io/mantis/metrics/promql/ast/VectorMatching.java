package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * How a binary operation between two instant vectors pairs their series.
 *
 * @param cardinality one-to-one, many-to-one ({@code group_left}), one-to-many ({@code group_right})
 *     or many-to-many (the set operators)
 * @param matchingLabels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on whether {@code matchingLabels} are the labels to match on; else the ones to ignore
 * @param include the extra labels of {@code group_left(...)}/{@code group_right(...)} to copy from the "one" side
 * @param fillLeft the experimental {@code fill_left(v)}/{@code fill(v)} value for series missing on the
 *     left-hand side, or null
 * @param fillRight the same for the right-hand side, or null
 */
public record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include,
        Double fillLeft, Double fillRight) {

    public enum Cardinality {
        ONE_TO_ONE,
        MANY_TO_ONE,
        ONE_TO_MANY,
        MANY_TO_MANY
    }

    public VectorMatching {
        Objects.requireNonNull(cardinality, "cardinality");
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    /** Matching on all labels, one to one. */
    private static final VectorMatching ONE_TO_ONE =
            new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of(), null, null);

    /** Plain one-to-one matching on all labels; one shared instance. */
    public static VectorMatching oneToOne() {
        return ONE_TO_ONE;
    }

    public boolean hasFill() {
        return fillLeft != null || fillRight != null;
    }

    public VectorMatching withCardinality(Cardinality c) {
        return new VectorMatching(c, matchingLabels, on, include, fillLeft, fillRight);
    }
}
