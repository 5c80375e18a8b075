package io.mantis.collector.processor.batch;

import io.mantis.common.config.ConfigValueException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code batch} processor's config, as in the collector.
 *
 * @param sendBatchSize items after which a batch is sent, whatever the timeout
 * @param timeout the longest an item waits for its batch to fill
 * @param sendBatchMaxSize the largest batch sent (0: no limit); bigger ones are split
 */
public record BatchProcessorConfig(int sendBatchSize, Duration timeout, int sendBatchMaxSize, List<String> metadataKeys,
                                   Integer metadataCardinalityLimit) {
    public static final BatchProcessorConfig DEFAULTS = new BatchProcessorConfig(8192, Duration.ofMillis(200), 0,
            List.of(), 1000);

    public BatchProcessorConfig {
        if (sendBatchSize < 0) {
            throw new ConfigValueException("send_batch_size", "must not be negative");
        }
        if (sendBatchMaxSize < 0) {
            throw new ConfigValueException("send_batch_max_size", "must not be negative");
        }
        if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
            throw new ConfigValueException("send_batch_max_size", "must be greater or equal to send_batch_size ("
                    + sendBatchSize + "), got " + sendBatchMaxSize);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new ConfigValueException("timeout", "must not be negative");
        }
        if (metadataKeys != null && !metadataKeys.isEmpty()) {
            throw new ConfigValueException("metadata_keys", "batching by request metadata is not supported in this"
                    + " version of Mantis");
        }
        metadataKeys = List.of();
    }
}
