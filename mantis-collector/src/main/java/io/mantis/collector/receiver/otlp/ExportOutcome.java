package io.mantis.collector.receiver.otlp;

import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.obs.ReceiverObs;

/**
 * The result of pushing one OTLP export request into the pipeline, shared by the gRPC and HTTP
 * transports so both answer and count alike.
 *
 * @param rejected items refused for good (0 on full success; the whole batch on a permanent error)
 * @param error null on success or partial success
 */
record ExportOutcome(long rejected, String message, ConsumeException error) {

    static <T extends Telemetry> ExportOutcome push(TelemetryConsumer<T> consumer, T data, ReceiverObs obs) {
        if (data.isEmpty()) {
            // Nothing to push; an empty request is valid OTLP and answered with success.
            return new ExportOutcome(0, "", null);
        }
        try {
            consumer.consume(data);
            obs.accepted(data.itemCount());
            return new ExportOutcome(0, "", null);
        } catch (ConsumeException e) {
            if (e.isPartial()) {
                long rejected = Math.min(e.rejected(), data.itemCount());
                obs.accepted(data.itemCount() - rejected);
                obs.refused(rejected);
                return new ExportOutcome(rejected, e.getMessage(), null);
            }
            obs.refused(data.itemCount());
            return new ExportOutcome(data.itemCount(), e.getMessage(), e);
        } catch (RuntimeException e) {
            // A bug downstream must not look like a network failure to the sender: answer it as
            // an internal error, which OTLP senders do not retry forever.
            obs.refused(data.itemCount());
            return new ExportOutcome(data.itemCount(), "internal error: " + e,
                    ConsumeException.permanent("internal error: " + e, e));
        }
    }

    boolean failed() {
        return error != null;
    }
}
