package io.mantis.collector.processor.attributes;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.processor.shared.AttributeActions;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Creates {@code attributes} processors: attribute actions on spans, log records and metric data points. */
public final class AttributesProcessorFactory implements ProcessorFactory<AttributesProcessorConfig> {
    @Override
    public String type() {
        return "attributes";
    }

    @Override
    public Class<AttributesProcessorConfig> configType() {
        return AttributesProcessorConfig.class;
    }

    /** None: {@code actions} is required. */
    @Override
    public AttributesProcessorConfig defaultConfig() {
        return null;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    /** The match properties a pipeline's signal can use differ, as in the collector. */
    @Override
    public void validate(AttributesProcessorConfig config, Signal signal, ConfigNode node, ConfigProblems problems) {
        check(config.include(), "include", signal, node, problems);
        check(config.exclude(), "exclude", signal, node, problems);
    }

    private static void check(MatchProperties p, String section, Signal signal, ConfigNode node,
                              ConfigProblems problems) {
        if (p == null) {
            return;
        }
        Map<String, Boolean> given = new LinkedHashMap<>();
        given.put("services", !p.services().isEmpty());
        given.put("span_names", !p.spanNames().isEmpty());
        given.put("span_kinds", !p.spanKinds().isEmpty());
        given.put("log_bodies", !p.logBodies().isEmpty());
        given.put("log_severity_texts", !p.logSeverityTexts().isEmpty());
        given.put("metric_names", !p.metricNames().isEmpty());
        given.put("attributes", !p.attributes().isEmpty());
        given.put("resources", !p.resources().isEmpty());
        given.put("libraries", !p.libraries().isEmpty());
        List<String> allowed = switch (signal) {
            case TRACES -> List.of("services", "span_names", "span_kinds", "attributes", "resources", "libraries");
            case LOGS -> List.of("attributes", "resources", "libraries", "log_bodies", "log_severity_texts");
            case METRICS -> List.of("metric_names", "resources");
        };
        String items = switch (signal) {
            case TRACES -> "spans";
            case LOGS -> "log records";
            case METRICS -> "metrics";
        };
        ConfigNode sectionNode = node.isMapping() ? node.get(section) : null;
        ConfigNode at = sectionNode != null ? sectionNode : node;
        List<String> used = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : given.entrySet()) {
            if (!e.getValue()) {
                continue;
            }
            if (!allowed.contains(e.getKey())) {
                ConfigNode keyNode = sectionNode != null && sectionNode.isMapping() ? sectionNode.get(e.getKey()) : null;
                problems.add(keyNode != null ? keyNode : at, e.getKey() + " cannot select " + items + " (the processor"
                        + " is in a " + signal.id() + " pipeline); for " + items + " use " + String.join(", ", allowed));
            } else {
                used.add(e.getKey());
            }
        }
        if (used.isEmpty()) {
            problems.add(at, section + " must set at least one of " + String.join(", ", allowed) + " to select "
                    + items);
        }
    }

    @Override
    public <T extends Telemetry> Processor<T> create(ComponentSettings settings, AttributesProcessorConfig config,
                                                     Signal signal, TelemetryConsumer<T> next) {
        return new AttributesProcessor<>(settings.lifecycleId(), AttributeActions.of(config.actions()),
                config.include() == null ? null : new Matcher(config.include()),
                config.exclude() == null ? null : new Matcher(config.exclude()), next);
    }
}
