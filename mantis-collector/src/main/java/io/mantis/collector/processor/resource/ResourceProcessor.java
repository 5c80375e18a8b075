package io.mantis.collector.processor.resource;

import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.processor.shared.AttributeActions;
import io.mantis.collector.processor.shared.Resources;

/** Applies attribute actions to every resource of a batch; batches it does not change pass as they are. */
final class ResourceProcessor<T extends Telemetry> implements Processor<T> {
    private final String id;
    private final AttributeActions actions;
    private final TelemetryConsumer<T> next;

    ResourceProcessor(String id, AttributeActions actions, TelemetryConsumer<T> next) {
        this.id = id;
        this.actions = actions;
        this.next = next;
    }

    /** The batch after the actions, without handing it on. */
    T process(T data) {
        return Resources.rewrite(data, actions::apply);
    }

    /** Transforms in place and hands on: it waits only as long as the next stage does. */
    @Override
    public boolean mayBlock() {
        return next.mayBlock();
    }

    @Override
    public void consume(T data) throws ConsumeException {
        next.consume(process(data));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }
}
