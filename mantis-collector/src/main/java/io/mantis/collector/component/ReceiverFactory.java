package io.mantis.collector.component;

import io.mantis.collector.ComponentKind;

/**
 * Receivers are created once per id, whatever the number of pipelines that list them: one OTLP
 * receiver serves every signal on its ports, feeding each signal's pipelines.
 */
public interface ReceiverFactory<C extends Record> extends ComponentFactory<C> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.RECEIVER;
    }

    CollectorComponent create(ComponentSettings settings, C config, Consumers next) throws Exception;
}
