package io.mantis.collector.processor.filter;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import java.util.List;

/**
 * The {@code filter} processor's config in the collector's OTTL form: conditions per context; an
 * item for which any condition is true is dropped. The older include/exclude form is rejected with
 * a message saying what to write instead.
 *
 * @param errorMode what a condition that fails on an item does: propagate (the batch is refused),
 *     ignore (logged, the condition counts as false) or silent (as ignore, not logged)
 * @param spans the collector's legacy traces section: rejected
 */
public record FilterProcessorConfig(ErrorMode errorMode, TracesConditions traces, MetricsConditions metrics,
                                    LogsConditions logs, ConfigNode spans) {
    public static final FilterProcessorConfig DEFAULTS = new FilterProcessorConfig(ErrorMode.PROPAGATE, null, null,
            null, null);

    public enum ErrorMode { IGNORE, PROPAGATE, SILENT }

    /** @param include legacy form: rejected */
    public record TracesConditions(List<String> span, List<String> spanevent, ConfigNode include,
                                   ConfigNode exclude) {
        public TracesConditions {
            legacy(include, exclude, "traces: {span: [...], spanevent: [...]}");
            span = orEmpty(span);
            spanevent = orEmpty(spanevent);
        }
    }

    /** @param include legacy form: rejected */
    public record MetricsConditions(List<String> metric, List<String> datapoint, ConfigNode include,
                                    ConfigNode exclude) {
        public MetricsConditions {
            legacy(include, exclude, "metrics: {metric: [...], datapoint: [...]}");
            metric = orEmpty(metric);
            datapoint = orEmpty(datapoint);
        }
    }

    /** @param include legacy form: rejected */
    public record LogsConditions(List<String> logRecord, ConfigNode include, ConfigNode exclude) {
        public LogsConditions {
            legacy(include, exclude, "logs: {log_record: [...]}");
            logRecord = orEmpty(logRecord);
        }
    }

    public FilterProcessorConfig {
        if (spans != null && !spans.isNull()) {
            throw new ConfigValueException("spans", "the filter processor's legacy include/exclude form is not"
                    + " supported; write OTTL conditions under traces: {span: [...], spanevent: [...]}");
        }
        errorMode = errorMode == null ? ErrorMode.PROPAGATE : errorMode;
        traces = traces == null ? new TracesConditions(null, null, null, null) : traces;
        metrics = metrics == null ? new MetricsConditions(null, null, null, null) : metrics;
        logs = logs == null ? new LogsConditions(null, null, null) : logs;
    }

    private static void legacy(ConfigNode include, ConfigNode exclude, String instead) {
        if (include != null && !include.isNull()) {
            throw new ConfigValueException("include", "the filter processor's legacy include/exclude form is not"
                    + " supported; write OTTL conditions: " + instead);
        }
        if (exclude != null && !exclude.isNull()) {
            throw new ConfigValueException("exclude", "the filter processor's legacy include/exclude form is not"
                    + " supported; write OTTL conditions: " + instead);
        }
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
