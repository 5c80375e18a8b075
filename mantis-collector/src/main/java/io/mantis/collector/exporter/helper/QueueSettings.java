package io.mantis.collector.exporter.helper;

import io.mantis.common.config.ConfigValueException;

/**
 * {@code sending_queue}, as in the collector's exporter helper.
 *
 * @param queueSize capacity in batches; a full queue refuses with a retryable error (the
 *     receiver then answers 429 / RESOURCE_EXHAUSTED), never a silent drop
 * @param numConsumers sender threads draining the queue
 * @param storage the id of a storage extension for a persistent queue (not available yet)
 */
public record QueueSettings(boolean enabled, int numConsumers, int queueSize, String storage, Boolean blocking) {
    public static final QueueSettings DEFAULTS = new QueueSettings(true, 10, 1000, null, false);

    public QueueSettings {
        if (numConsumers < 1) {
            throw new ConfigValueException("num_consumers", "must be at least 1, got " + numConsumers);
        }
        if (queueSize < 1) {
            throw new ConfigValueException("queue_size", "must be at least 1, got " + queueSize);
        }
        if (storage != null) {
            throw new ConfigValueException("storage", "persistent sending queues are not available in this version"
                    + " of Mantis; remove 'storage' to use an in-memory queue");
        }
    }
}
