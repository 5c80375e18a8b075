package io.mantis.collector.processor.filter;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Creates {@code filter} processors: drop spans, span events, metrics, data points or log records by OTTL conditions. */
public final class FilterProcessorFactory implements ProcessorFactory<FilterProcessorConfig> {
    @Override
    public String type() {
        return "filter";
    }

    @Override
    public Class<FilterProcessorConfig> configType() {
        return FilterProcessorConfig.class;
    }

    @Override
    public FilterProcessorConfig defaultConfig() {
        return FilterProcessorConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    /** Parses every condition, reporting each one that is not valid at its own list entry. */
    @Override
    public void validate(FilterProcessorConfig config, ConfigNode node, ConfigProblems problems) {
        check(config.traces().span(), Ottl.Context.SPAN, node, "traces", "span", problems);
        check(config.traces().spanevent(), Ottl.Context.SPANEVENT, node, "traces", "spanevent", problems);
        check(config.metrics().metric(), Ottl.Context.METRIC, node, "metrics", "metric", problems);
        check(config.metrics().datapoint(), Ottl.Context.DATAPOINT, node, "metrics", "datapoint", problems);
        check(config.logs().logRecord(), Ottl.Context.LOG, node, "logs", "log_record", problems);
    }

    private static void check(List<String> conditions, Ottl.Context context, ConfigNode node, String section,
                              String key, ConfigProblems problems) {
        ConfigNode list = child(child(node, section), key);
        for (int i = 0; i < conditions.size(); i++) {
            try {
                Ottl.parse(conditions.get(i), context);
            } catch (Ottl.ParseException e) {
                ConfigNode at = list != null && list.isSequence() && i < list.size() ? list.elements().get(i)
                        : list != null ? list : node;
                problems.add(at, message(conditions.get(i), e));
            }
        }
    }

    static String message(String condition, Ottl.ParseException e) {
        return "invalid condition \"" + condition + "\" at position " + e.position() + ": " + e.reason();
    }

    private static ConfigNode child(ConfigNode node, String key) {
        return node == null || !node.isMapping() ? null : node.get(key);
    }

    @Override
    public <T extends Telemetry> Processor<T> create(ComponentSettings settings, FilterProcessorConfig config,
                                                     Signal signal, TelemetryConsumer<T> next) {
        return switch (signal) {
            case TRACES -> new FilterProcessor<>(settings, config.errorMode(), signal,
                    parse(config.traces().span(), Ottl.Context.SPAN),
                    parse(config.traces().spanevent(), Ottl.Context.SPANEVENT), next);
            case METRICS -> new FilterProcessor<>(settings, config.errorMode(), signal,
                    parse(config.metrics().metric(), Ottl.Context.METRIC),
                    parse(config.metrics().datapoint(), Ottl.Context.DATAPOINT), next);
            case LOGS -> new FilterProcessor<>(settings, config.errorMode(), signal,
                    parse(config.logs().logRecord(), Ottl.Context.LOG), List.of(), next);
        };
    }

    static List<FilterProcessor.Named> parse(List<String> conditions, Ottl.Context context) {
        List<FilterProcessor.Named> out = new ArrayList<>();
        for (String c : conditions) {
            try {
                out.add(new FilterProcessor.Named(c, Ottl.parse(c, context)));
            } catch (Ottl.ParseException e) {
                // validate() reported it at plan time; a record built in code gets the same message.
                throw new IllegalArgumentException(message(c, e), e);
            }
        }
        return List.copyOf(out);
    }
}
