package io.mantis.otlp.prometheus;

/**
 * What one {@link PrometheusTranslator#translate} call produced, for the caller's self-metrics
 * and logs.
 *
 * @param metrics OTLP metrics seen
 * @param series {@link SeriesSink#series} calls (a label set opened once per data point and
 *     derived series, so the same label set can count more than once across points)
 * @param samples float samples emitted
 * @param histograms native histograms emitted
 * @param exemplars exemplars emitted
 * @param droppedMetrics OTLP metrics refused as a whole (e.g. delta temporality)
 * @param droppedPoints individual data points refused (e.g. an unsupported scale, no value);
 *     points of a refused metric are not counted here
 */
public record TranslationStats(
        int metrics,
        int series,
        int samples,
        int histograms,
        int exemplars,
        int droppedMetrics,
        int droppedPoints) {
}
