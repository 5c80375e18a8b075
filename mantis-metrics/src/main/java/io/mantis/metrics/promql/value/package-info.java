/**
 * What a PromQL evaluation returns: a {@link io.mantis.metrics.promql.value.Value} (scalar, string,
 * instant vector or range matrix) with its annotations, or an error with Prometheus' error type,
 * together a {@link io.mantis.metrics.promql.value.QueryResult}. The engine produces these, the
 * HTTP API serialises them ({@code io.mantis.metrics.api.QueryResultJson}) and the promqltest
 * runner compares them.
 *
 * <p>All types are immutable once built. Series and samples hold primitive arrays and
 * {@link io.mantis.metrics.model.FloatHistogram} instances that they take over from their
 * producer without copying: whoever builds a value hands those over and must not change them
 * afterwards.
 */
package io.mantis.metrics.promql.value;
