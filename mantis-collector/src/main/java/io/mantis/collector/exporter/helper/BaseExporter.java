package io.mantis.collector.exporter.helper;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exporter built on the exporter helper: subclasses implement {@link #send} for one batch and
 * get the sending queue, retries, back-off and the {@code otelcol_exporter_*} metrics.
 */
public abstract class BaseExporter implements Exporter {
    protected final ComponentSettings settings;
    private final Map<Signal, QueuedRetrySender<Telemetry>> senders = new EnumMap<>(Signal.class);

    protected BaseExporter(ComponentSettings settings, Set<Signal> signals, QueueSettings queue, RetrySettings retry) {
        this.settings = settings;
        for (Signal s : signals) {
            Path storage = null;
            if (queue.persistent()) {
                if (settings.dataDir() == null) {
                    throw new IllegalStateException(settings.lifecycleId() + " has sending_queue.storage set but the"
                            + " collector has no data directory to keep the queue in");
                }
                storage = PersistentQueue.directoryFor(settings.dataDir(), settings.id().toString(), s.id());
            }
            senders.put(s, new QueuedRetrySender<>(settings.id().toString(), s, this::send, queue, retry,
                    settings.registry(), storage));
        }
    }

    /** Sends one batch, synchronously; throws saying whether a retry can help. */
    protected abstract void send(Telemetry batch) throws ConsumeException;

    /** Opens clients and connections; called before the senders start. */
    protected void startClient() throws Exception {
    }

    /** Closes clients; called after the queues drained. */
    protected void stopClient() throws Exception {
    }

    @Override
    public String id() {
        return settings.lifecycleId();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Telemetry> TelemetryConsumer<T> consumer(Signal signal) {
        QueuedRetrySender<Telemetry> s = senders.get(signal);
        if (s == null) {
            throw new IllegalArgumentException(id() + " was not created for " + signal.id());
        }
        return (TelemetryConsumer<T>) s;
    }

    @Override
    public final void start() throws Exception {
        startClient();
        List<QueuedRetrySender<Telemetry>> started = new ArrayList<>();
        try {
            for (QueuedRetrySender<Telemetry> s : senders.values()) {
                s.start();
                started.add(s);
            }
        } catch (Exception e) {
            // A persistent queue that cannot be opened: release the ones already open before failing.
            for (QueuedRetrySender<Telemetry> s : started) {
                s.stop(Duration.ZERO);
            }
            stopClient();
            throw e;
        }
    }

    @Override
    public final void stop() throws Exception {
        // Leave a little of the process' budget for the components stopped after this one.
        Duration budget = settings.shutdownTimeout().multipliedBy(8).dividedBy(10);
        for (QueuedRetrySender<Telemetry> s : senders.values()) {
            s.stop(budget);
        }
        stopClient();
    }
}
