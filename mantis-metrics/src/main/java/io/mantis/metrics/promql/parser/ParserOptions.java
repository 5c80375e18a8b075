package io.mantis.metrics.promql.parser;

/**
 * The parser features Prometheus 3 keeps behind feature flags; all off is Prometheus' default.
 *
 * @param experimentalFunctions {@code promql-experimental-functions}: the functions marked
 *     experimental in {@link io.mantis.metrics.promql.ast.Functions} and the aggregations
 *     {@code limitk}, {@code limit_ratio}
 * @param durationExpressions {@code promql-duration-expr}: arithmetic, {@code step()},
 *     {@code range()}, {@code min_of()}, {@code max_of()} in ranges, subquery steps and offsets
 * @param extendedRangeSelectors {@code promql-extended-range-selectors}: the {@code anchored} and
 *     {@code smoothed} modifiers
 * @param binopFillModifiers {@code promql-binop-fill-modifiers}: {@code fill()}, {@code fill_left()},
 *     {@code fill_right()} on binary operations
 */
public record ParserOptions(boolean experimentalFunctions, boolean durationExpressions,
        boolean extendedRangeSelectors, boolean binopFillModifiers) {

    /** Prometheus' defaults: no experimental syntax. */
    public static final ParserOptions DEFAULT = new ParserOptions(false, false, false, false);

    /** Every experimental feature on, as Prometheus' own PromQL acceptance tests run. */
    public static final ParserOptions ALL = new ParserOptions(true, true, true, true);
}
