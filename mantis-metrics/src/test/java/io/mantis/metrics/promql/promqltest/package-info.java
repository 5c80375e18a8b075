/**
 * A runner for Prometheus' PromQL acceptance scripts (the promqltest format, described in
 * {@code shared/conformance/promql/FORMAT.md}) against our {@link io.mantis.metrics.promql.QueryEngine}.
 *
 * <p>{@link io.mantis.metrics.promql.promqltest.ScriptParser} reads a script into
 * {@link io.mantis.metrics.promql.promqltest.Script} commands; {@link io.mantis.metrics.promql.promqltest.Loader}
 * writes loads into a real Tsdb ({@link io.mantis.metrics.promql.promqltest.TestStorage}, a fresh
 * one per {@code clear}); {@link io.mantis.metrics.promql.promqltest.EvalRunner} runs an eval and
 * {@link io.mantis.metrics.promql.promqltest.ResultComparator} judges the result.
 * {@code PromqlConformanceTest} makes one test per eval of every script.
 *
 * <p>Running it: the engine is found through {@code META-INF/services/io.mantis.metrics.promql.QueryEngine$Factory}
 * or {@code -Dmantis.promql.engineFactory=<class>}; without one the conformance test is skipped.
 * {@code -Dpromqltest.runSkipped=true} also runs the evals of {@code known-skips.txt} (and fails
 * those that pass, so that the list shrinks); {@code -Dpromqltest.strictMessages=false} accepts any
 * error or annotation text; {@code -Dpromqltest.rangeCheck=false} stops repeating instant evals as
 * range queries; {@code -Dmantis.promqltest.dir=<folder>} reads scripts from elsewhere.
 * For example:
 * <pre>
 * ./mvnw -pl mantis-metrics -am test -Dtest=PromqlConformanceTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
package io.mantis.metrics.promql.promqltest;
