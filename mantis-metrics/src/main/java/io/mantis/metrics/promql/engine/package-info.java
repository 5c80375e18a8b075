/**
 * The PromQL evaluation engine ({@link io.mantis.metrics.promql.engine.StepwiseEngine}, created by
 * {@link io.mantis.metrics.promql.engine.StepwiseEngineFactory}, which is registered as the
 * {@link io.mantis.metrics.promql.QueryEngine.Factory} service).
 *
 * <p>A query is parsed, then every selector's time span is worked out from the query's range,
 * offsets, {@code @} modifiers, ranges and subqueries, and the matching series are loaded from the
 * store once, stale markers included. The AST is then evaluated once per step (an instant query
 * is one step), as Prometheus' reference engine does: instant selectors look back up to the
 * lookback delta and stop at a staleness marker; range selectors take the left-open window
 * {@code (t - range, t]}; subqueries evaluate their expression at the absolute multiples of their
 * step inside their range. Binary operators, aggregations and functions work on one step's values
 * and hand the numeric work to the kernels of {@code io.mantis.metrics.promql.functions}.
 *
 * <p>With delayed name removal (the promqltest default) operations that drop {@code __name__} only
 * mark the sample ({@code Pt.dropName}); the names go, with the
 * {@code __type__}/{@code __unit__} labels belonging to them, when the result is built.
 *
 * <p>Limits: the samples one step holds (selected samples and range windows) and the points of a
 * range query's result count against {@code maxSamples}; loading more than the limit plus a million
 * samples for the whole query fails early, so that no query can exhaust the heap. The timeout and thread interrupts are
 * checked at every node evaluation and every loaded series.
 */
package io.mantis.metrics.promql.engine;
