package io.mantis.collector.service;

import io.mantis.collector.ComponentId;
import io.mantis.collector.ComponentKind;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentFactory;
import io.mantis.common.config.ConfigNode;
import java.util.List;
import java.util.Map;

/**
 * A checked collector configuration: every component's factory and bound config, and every
 * pipeline by signal. Building it into running components cannot fail on configuration.
 */
public record CollectorPlan(Map<Key, Bound> components, List<PipelinePlan> pipelines) {

    public record Key(ComponentKind kind, ComponentId id) {
        @Override
        public String toString() {
            return kind.word() + "/" + id;
        }
    }

    /** A component's factory and bound config, with the YAML node it was bound from (for located checks). */
    public record Bound(ComponentFactory<?> factory, Record config, ConfigNode node) {
    }

    public record PipelinePlan(String id, Signal signal, List<ComponentId> receivers, List<ComponentId> processors,
                               List<ComponentId> exporters) {
    }

    public boolean isEmpty() {
        return pipelines.isEmpty();
    }
}
