package io.mantis.collector.receiver.prometheus;

import java.util.Locale;

/** The text formats a scrape can answer in. */
public enum ExpositionFormat {
    /** The Prometheus text format 0.0.4 ({@code text/plain; version=0.0.4}). */
    TEXT_004,
    /** OpenMetrics 1.0 text ({@code application/openmetrics-text}). */
    OPENMETRICS;

    /**
     * The format of a response, from its {@code Content-Type}. Anything other than OpenMetrics is
     * read as 0.0.4, as Prometheus does: targets commonly answer with a bare {@code text/plain}.
     */
    public static ExpositionFormat fromContentType(String contentType) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/openmetrics-text")) {
            return OPENMETRICS;
        }
        return TEXT_004;
    }
}
