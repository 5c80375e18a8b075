package io.mantis.collector.exporter.helper;

import io.mantis.common.config.ConfigValueException;
import java.time.Duration;

/**
 * {@code retry_on_failure}: exponential back-off for retryable failures, as in the collector.
 *
 * @param maxElapsedTime how long one batch may be retried before it is dropped (logged and
 *     counted in {@code otelcol_exporter_send_failed_*}); 0 retries forever
 */
public record RetrySettings(boolean enabled, Duration initialInterval, double randomizationFactor, double multiplier,
                            Duration maxInterval, Duration maxElapsedTime) {
    public static final RetrySettings DEFAULTS = new RetrySettings(true, Duration.ofSeconds(5), 0.5, 1.5,
            Duration.ofSeconds(30), Duration.ofMinutes(5));

    public RetrySettings {
        if (initialInterval.isNegative() || initialInterval.isZero()) {
            throw new ConfigValueException("initial_interval", "must be positive");
        }
        if (randomizationFactor < 0 || randomizationFactor > 1) {
            throw new ConfigValueException("randomization_factor", "must be between 0 and 1");
        }
        if (multiplier < 1) {
            throw new ConfigValueException("multiplier", "must be at least 1");
        }
        if (maxInterval.compareTo(initialInterval) < 0) {
            throw new ConfigValueException("max_interval", "must not be below initial_interval");
        }
        if (maxElapsedTime.isNegative()) {
            throw new ConfigValueException("max_elapsed_time", "must not be negative");
        }
    }
}
