package io.mantis.collector;

import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test exporter type ({@code capture}) that keeps every batch it gets, standing where a store
 * or a remote endpoint would be; it can be told to refuse, to test back-pressure.
 */
public final class CapturingExporterFactory implements ExporterFactory<CapturingExporterFactory.Config> {
    public record Config(String note) {
    }

    public final List<Telemetry> received = new CopyOnWriteArrayList<>();
    public final AtomicReference<ConsumeException> refuseWith = new AtomicReference<>();

    @Override
    public String type() {
        return "capture";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Config defaultConfig() {
        return new Config("");
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    public int items(Signal signal) {
        return received.stream().filter(t -> t.signal() == signal).mapToInt(Telemetry::itemCount).sum();
    }

    public void awaitItems(Signal signal, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (items(signal) < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Override
    public Exporter create(ComponentSettings settings, Config config, Set<Signal> signals) {
        return new Exporter() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends Telemetry> TelemetryConsumer<T> consumer(Signal signal) {
                return batch -> {
                    ConsumeException e = refuseWith.get();
                    if (e != null) {
                        throw e;
                    }
                    received.add(batch);
                };
            }

            @Override
            public String id() {
                return settings.lifecycleId();
            }

            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }
        };
    }
}
