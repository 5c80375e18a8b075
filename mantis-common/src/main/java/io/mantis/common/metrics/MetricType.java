package io.mantis.common.metrics;

/**
 * The metric types Mantis exposes. Each knows its spelling in both text formats, which differ only
 * for the catch-all type ({@code untyped} in 0.0.4, {@code unknown} in OpenMetrics).
 */
public enum MetricType {
    COUNTER("counter", "counter"),
    GAUGE("gauge", "gauge"),
    HISTOGRAM("histogram", "histogram"),
    /** Only emitted by {@link Collector}s (e.g. GC pause totals); the registry has no summary child. */
    SUMMARY("summary", "summary"),
    UNKNOWN("untyped", "unknown");

    private final String text004;
    private final String openMetrics;

    MetricType(String text004, String openMetrics) {
        this.text004 = text004;
        this.openMetrics = openMetrics;
    }

    /** The word used on a {@code # TYPE} line of the Prometheus text format 0.0.4. */
    public String text004Name() {
        return text004;
    }

    /** The word used on a {@code # TYPE} line of OpenMetrics 1.0.0. */
    public String openMetricsName() {
        return openMetrics;
    }
}
