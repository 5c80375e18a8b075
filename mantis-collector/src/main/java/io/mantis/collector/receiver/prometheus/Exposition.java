package io.mantis.collector.receiver.prometheus;

import java.util.List;
import java.util.Map;

/**
 * One parsed scrape: the metadata of each family that had any, and the samples in the order they
 * came.
 *
 * @param families family name to metadata, in order of first appearance
 */
public record Exposition(ExpositionFormat format, Map<String, Family> families, List<Sample> samples) {

    /** Marks a sample or exemplar without a timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /**
     * What {@code # TYPE}, {@code # HELP} and {@code # UNIT} said about a family.
     *
     * @param help null when there was no HELP line
     * @param unit null when there was no UNIT line
     */
    public record Family(String name, MetricKind kind, String help, String unit) {
        Family withKind(MetricKind k) {
            return new Family(name, k, help, unit);
        }

        Family withHelp(String h) {
            return new Family(name, kind, h, unit);
        }

        Family withUnit(String u) {
            return new Family(name, kind, help, u);
        }
    }

    /**
     * One sample line. Label names and values are parallel arrays in the order written.
     *
     * @param timestampMillis {@link #NO_TIMESTAMP} when the line had none
     * @param exemplar null when the line had none (always null in 0.0.4)
     * @param line the 1-based line number, for messages
     */
    public record Sample(String name, String[] labelNames, String[] labelValues, double value, long timestampMillis,
                         Exemplar exemplar, int line) {
        /** The value of label {@code name}, or null. */
        public String label(String labelName) {
            for (int i = 0; i < labelNames.length; i++) {
                if (labelNames[i].equals(labelName)) {
                    return labelValues[i];
                }
            }
            return null;
        }
    }

    /** An OpenMetrics exemplar: {@code # {trace_id="..."} 0.5 1700000000.000}. */
    public record Exemplar(String[] labelNames, String[] labelValues, double value, long timestampMillis) {
    }
}
