package io.mantis.collector.receiver.prometheus;

import java.util.Locale;

/** The metric family types of the two text formats; {@code untyped} (0.0.4) is {@link #UNKNOWN}. */
public enum MetricKind {
    COUNTER,
    GAUGE,
    HISTOGRAM,
    GAUGE_HISTOGRAM,
    SUMMARY,
    UNKNOWN,
    INFO,
    STATESET;

    /** The word on a {@code # TYPE} line, or null when the format does not have the type. */
    static MetricKind parse(String word, boolean openMetrics) {
        switch (word) {
            case "counter":
                return COUNTER;
            case "gauge":
                return GAUGE;
            case "histogram":
                return HISTOGRAM;
            case "summary":
                return SUMMARY;
            case "untyped":
                return openMetrics ? null : UNKNOWN;
            case "unknown":
                return openMetrics ? UNKNOWN : null;
            case "gaugehistogram":
                return openMetrics ? GAUGE_HISTOGRAM : null;
            case "info":
                return openMetrics ? INFO : null;
            case "stateset":
                return openMetrics ? STATESET : null;
            default:
                return null;
        }
    }

    /** The value of the {@code prometheus.type} metric metadata, as the OpenTelemetry specification names it. */
    public String metadataName() {
        return this == GAUGE_HISTOGRAM ? "gaugehistogram" : name().toLowerCase(Locale.ROOT);
    }
}
