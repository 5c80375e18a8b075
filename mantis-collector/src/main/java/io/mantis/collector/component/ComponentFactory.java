package io.mantis.collector.component;

import io.mantis.collector.ComponentKind;
import io.mantis.collector.Signal;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import java.util.Set;

/**
 * Creates one type of component, as the collector's factories do: it names the type, its config
 * record (bound from the component's YAML section laid over {@link #defaultConfig()}) and the
 * signals it supports. Config records validate themselves in their constructors.
 */
public interface ComponentFactory<C extends Record> {
    String type();

    ComponentKind kind();

    Class<C> configType();

    /**
     * The values of absent keys; null for a type with no valid default (a required list), whose
     * record then validates what it is given.
     */
    C defaultConfig();

    Set<Signal> signals();

    /**
     * Checks what the config record alone cannot: sections whose mere presence matters (the OTLP
     * receiver's {@code grpc:} with no value still enables gRPC). Called at plan time with the
     * component's YAML node so problems carry locations.
     */
    default void validate(C config, ConfigNode node, ConfigProblems problems) {
    }

    /**
     * Checks that depend on the signal of a pipeline listing the component (the attributes
     * processor's {@code include} keys differ for spans, logs and metrics). Called at plan time,
     * once per signal, after the factory was found to support it.
     */
    default void validate(C config, Signal signal, ConfigNode node, ConfigProblems problems) {
    }
}
