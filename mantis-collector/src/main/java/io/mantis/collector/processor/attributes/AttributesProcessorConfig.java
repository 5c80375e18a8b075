package io.mantis.collector.processor.attributes;

import io.mantis.collector.processor.shared.AttributeAction;
import io.mantis.common.config.ConfigValueException;
import java.util.List;

/**
 * The {@code attributes} processor's config, as in the collector.
 *
 * @param actions applied in order to each selected span, log record or metric data point; at least
 *     one is required, so there are no defaults (the factory's {@code defaultConfig()} is null)
 * @param include when given, only items matching it are processed
 * @param exclude when given, items matching it are not processed (checked after include)
 */
public record AttributesProcessorConfig(List<AttributeAction> actions, MatchProperties include,
                                        MatchProperties exclude) {
    public AttributesProcessorConfig {
        if (actions == null || actions.isEmpty()) {
            throw new ConfigValueException("actions", "is required: at least one action (insert, update, upsert,"
                    + " delete, hash, extract or convert)");
        }
        actions = List.copyOf(actions);
    }
}
