package io.mantis.collector.receiver.prometheus;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Required;

/**
 * The {@code prometheus} receiver's config, in the collector's shape. {@code config} is a
 * Prometheus configuration and stays raw here: {@link ScrapeConfigs} binds it, so that the
 * Prometheus keys Mantis does not implement get a "not supported" message rather than "unknown
 * key".
 *
 * @param reportExtraScrapeMetrics also emit {@code scrape_timeout_seconds},
 *     {@code scrape_sample_limit} and {@code scrape_body_size_bytes}
 */
public record PrometheusReceiverConfig(@Required ConfigNode config, boolean reportExtraScrapeMetrics,
                                       boolean trimMetricSuffixes, boolean useStartTimeMetric,
                                       String startTimeMetricRegex, ConfigNode targetAllocator,
                                       ConfigNode apiServer) {
    public static final PrometheusReceiverConfig DEFAULTS = new PrometheusReceiverConfig(null, false, false, false,
            null, null, null);

    public PrometheusReceiverConfig {
        if (trimMetricSuffixes) {
            throw new ConfigValueException("trim_metric_suffixes", "is not supported: counters already lose"
                    + " their _total suffix, unit suffixes are kept");
        }
        if (useStartTimeMetric) {
            throw new ConfigValueException("use_start_time_metric", "is not supported: start times come from"
                    + " _created samples or from when a series was first seen");
        }
        if (startTimeMetricRegex != null) {
            throw new ConfigValueException("start_time_metric_regex", "is not supported (nor is"
                    + " use_start_time_metric)");
        }
        if (targetAllocator != null && !targetAllocator.isNull()) {
            throw new ConfigValueException("target_allocator", "is not supported: list the targets under"
                    + " config.scrape_configs[].static_configs");
        }
        if (apiServer != null && !apiServer.isNull()) {
            throw new ConfigValueException("api_server", "is not supported");
        }
    }
}
