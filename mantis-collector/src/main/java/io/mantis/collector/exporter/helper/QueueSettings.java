package io.mantis.collector.exporter.helper;

import io.mantis.common.config.ConfigValueException;

/**
 * {@code sending_queue}, as in the collector's exporter helper.
 *
 * @param queueSize capacity in batches; a full queue refuses with a retryable error (the
 *     receiver then answers 429 / RESOURCE_EXHAUSTED), never a silent drop
 * @param numConsumers sender threads draining the queue
 * @param storage {@code file_storage} or {@code file_storage/<name>}: keep the queue in files
 *     under the data directory so that it survives restarts and crashes
 *     (docs/format/persistent-queue.md); null for an in-memory queue
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
            if (!storage.equals("file_storage") && !(storage.startsWith("file_storage/")
                    && storage.length() > "file_storage/".length())) {
                throw new ConfigValueException("storage", "only the file_storage extension can hold a sending"
                        + " queue in this version of Mantis ('file_storage' or 'file_storage/<name>'), got '"
                        + storage + "'");
            }
            if (!enabled) {
                throw new ConfigValueException("storage", "a persistent queue needs the sending queue enabled;"
                        + " remove 'storage' or set enabled: true");
            }
        }
    }

    /** Whether batches are kept in files rather than memory. */
    public boolean persistent() {
        return enabled && storage != null;
    }
}
