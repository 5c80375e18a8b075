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

    C defaultConfig();

    Set<Signal> signals();

    /**
     * Checks what the config record alone cannot: sections whose mere presence matters (the OTLP
     * receiver's {@code grpc:} with no value still enables gRPC). Called at plan time with the
     * component's YAML node so problems carry locations.
     */
    default void validate(C config, ConfigNode node, ConfigProblems problems) {
    }
}
