package io.mantis.collector.processor.resource;

import io.mantis.collector.processor.shared.AttributeAction;
import io.mantis.common.config.ConfigValueException;
import java.util.List;

/**
 * The {@code resource} processor's config, as in the collector: the list of actions is under
 * {@code attributes} (not {@code actions}, the attributes processor's key) and may not be empty.
 * There are no defaults: the factory's {@code defaultConfig()} is null.
 */
public record ResourceProcessorConfig(List<AttributeAction> attributes) {
    public ResourceProcessorConfig {
        if (attributes == null || attributes.isEmpty()) {
            throw new ConfigValueException("attributes", "is required: at least one action on resource attributes"
                    + " (the resource processor's list is 'attributes', not 'actions')");
        }
        attributes = List.copyOf(attributes);
    }
}
