package io.mantis.collector.exporter.mantis;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.InProcessStores;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.exporter.debug.DebugExporterConfig;
import io.mantis.collector.exporter.debug.DebugExporterFactory;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.obs.ExporterObs;
import io.mantis.common.config.ConfigValueException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each batch to the in-process store of its signal. The store's answer is the exporter's:
 * a busy store is a retryable failure (receivers answer 429 / RESOURCE_EXHAUSTED upstream), refused
 * points a partial failure; nothing is queued here, so back-pressure reaches the senders.
 */
final class MantisExporter implements Exporter {

    private final String id;
    private final String name;
    private final Map<Signal, TelemetryConsumer<Telemetry>> stores = new EnumMap<>(Signal.class);
    private final Map<Signal, ExporterObs> obs = new EnumMap<>(Signal.class);
    private final Set<Signal> absent = EnumSet.noneOf(Signal.class);
    private final Exporter fallback;
    private final Set<String> dependsOn = new LinkedHashSet<>();

    MantisExporter(ComponentSettings s, MantisExporterConfig config, Set<Signal> signals) throws Exception {
        this.id = s.lifecycleId();
        this.name = s.id().toString();
        Optional<InProcessStores> host = s.host().service(InProcessStores.class);
        for (Signal signal : signals) {
            Optional<TelemetryConsumer<Telemetry>> store = host.flatMap(h -> h.consumer(signal));
            if (store.isPresent()) {
                stores.put(signal, store.get());
                obs.put(signal, new ExporterObs(s.registry(), signal, name));
                host.get().dependsOn(signal).forEach(dependsOn::add);
            } else {
                absent.add(signal);
            }
        }
        if (!absent.isEmpty() && config.whenAbsent() == MantisExporterConfig.WhenAbsent.ERROR) {
            throw new ConfigValueException("when_absent", "exporter " + name + ": no " + describe(absent)
                    + " store runs in this process; run its role here (e.g. `mantis all`) or export to a remote"
                    + " store with a wire-protocol exporter (prometheusremotewrite, otlp, loki)");
        }
        if (!absent.isEmpty()) {
            Logger log = LoggerFactory.getLogger("exporter." + name);
            log.warn("no {} store runs in this process: {} data sent to exporter {} is logged as by the debug"
                    + " exporter, not stored", describe(absent), describe(absent), name);
            fallback = new DebugExporterFactory().create(s, DebugExporterConfig.DEFAULTS, absent);
        } else {
            fallback = null;
        }
    }

    private static String describe(Set<Signal> signals) {
        StringBuilder sb = new StringBuilder();
        for (Signal sig : signals) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(switch (sig) {
                case TRACES -> "trace";
                case METRICS -> "metrics";
                case LOGS -> "log";
            });
        }
        return sb.toString();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Telemetry> TelemetryConsumer<T> consumer(Signal signal) {
        if (absent.contains(signal)) {
            return fallback.consumer(signal);
        }
        TelemetryConsumer<Telemetry> store = stores.get(signal);
        ExporterObs o = obs.get(signal);
        return new TelemetryConsumer<>() {
            @Override
            public void consume(T batch) throws ConsumeException {
                try {
                    store.consume(batch);
                    o.sent(batch.itemCount());
                } catch (ConsumeException e) {
                    if (e.isPartial()) {
                        o.sent(batch.itemCount() - e.rejected());
                        o.failed(e.rejected());
                    } else {
                        o.failed(batch.itemCount());
                    }
                    throw e;
                }
            }

            @Override
            public boolean mayBlock() {
                return store.mayBlock();
            }
        };
    }

    @Override
    public void start() throws Exception {
        if (fallback != null) {
            fallback.start();
        }
    }

    @Override
    public void stop() throws Exception {
        if (fallback != null) {
            fallback.stop();
        }
    }
}
