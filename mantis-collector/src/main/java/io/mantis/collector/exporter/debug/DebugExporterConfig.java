package io.mantis.collector.exporter.debug;

import io.mantis.common.config.ConfigValueException;

/**
 * The {@code debug} exporter's config.
 *
 * @param verbosity basic: a summary line per batch; normal: a line per span, data point or log
 *     record; detailed: every field
 * @param samplingInitial batches logged per second before sampling starts
 * @param samplingThereafter after that, one batch in this many is logged
 */
public record DebugExporterConfig(Verbosity verbosity, int samplingInitial, int samplingThereafter) {
    public static final DebugExporterConfig DEFAULTS = new DebugExporterConfig(Verbosity.BASIC, 2, 1);

    public enum Verbosity { BASIC, NORMAL, DETAILED }

    public DebugExporterConfig {
        if (samplingInitial < 0) {
            throw new ConfigValueException("sampling_initial", "must not be negative");
        }
        if (samplingThereafter < 1) {
            throw new ConfigValueException("sampling_thereafter", "must be at least 1");
        }
    }
}
