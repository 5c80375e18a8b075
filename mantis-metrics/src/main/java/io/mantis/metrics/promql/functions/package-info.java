/**
 * The numeric kernels of PromQL: range-vector functions over windows of samples held in primitive
 * arrays, aggregation accumulators, instant-vector math, date functions, quantiles over classic
 * and native histograms, and the value formatting PromQL puts into labels. Everything here is
 * free of labels, selectors and evaluation state: the evaluator picks the samples, calls a kernel
 * and turns the {@link io.mantis.metrics.promql.functions.Notes} it collected into annotations.
 *
 * <p>Semantics follow Prometheus 3.x as pinned by the promqltest scripts in the shared
 * conformance data; the float kernels allocate nothing.
 */
package io.mantis.metrics.promql.functions;
