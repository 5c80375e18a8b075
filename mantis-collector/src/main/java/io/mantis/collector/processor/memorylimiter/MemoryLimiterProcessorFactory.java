package io.mantis.collector.processor.memorylimiter;

import io.mantis.collector.ComponentId;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.common.metrics.MetricRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;

/**
 * Creates {@code memory_limiter} processors. Every pipeline listing one id shares one limiter (one
 * measurement, one forced GC), as in the collector; limiters are kept per collector instance
 * (its metric registry), so a collector built again starts afresh.
 */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
    private final LongSupplier usedHeap;
    private final LongSupplier maxHeap;
    private final Runnable gc;
    private final LongSupplier nanoTime;
    private final Map<MetricRegistry, Map<ComponentId, MemoryLimiter>> limiters = new WeakHashMap<>();

    public MemoryLimiterProcessorFactory() {
        this(heapInUse(), maxHeap(), System::gc, System::nanoTime);
    }

    /** With a given heap reading, GC and clock, so tests drive the limiter deterministically. */
    MemoryLimiterProcessorFactory(LongSupplier usedHeap, LongSupplier maxHeap, Runnable gc, LongSupplier nanoTime) {
        this.usedHeap = usedHeap;
        this.maxHeap = maxHeap;
        this.gc = gc;
        this.nanoTime = nanoTime;
    }

    private static LongSupplier heapInUse() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        return () -> bean.getHeapMemoryUsage().getUsed();
    }

    private static LongSupplier maxHeap() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        return () -> {
            long max = bean.getHeapMemoryUsage().getMax();
            return max > 0 ? max : Runtime.getRuntime().maxMemory();
        };
    }

    @Override
    public String type() {
        return "memory_limiter";
    }

    @Override
    public Class<MemoryLimiterConfig> configType() {
        return MemoryLimiterConfig.class;
    }

    /** None: check_interval and a limit are required. */
    @Override
    public MemoryLimiterConfig defaultConfig() {
        return null;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public <T extends Telemetry> Processor<T> create(ComponentSettings settings, MemoryLimiterConfig config,
                                                     Signal signal, TelemetryConsumer<T> next) {
        return new MemoryLimiterProcessor<>(settings, signal, limiter(settings, config), next);
    }

    synchronized MemoryLimiter limiter(ComponentSettings settings, MemoryLimiterConfig config) {
        return limiters.computeIfAbsent(settings.registry(), r -> new HashMap<>())
                .computeIfAbsent(settings.id(), id -> {
                    long max = maxHeap.getAsLong();
                    return new MemoryLimiter(id.toString(), config.limitBytes(max), config.spikeBytes(max), config,
                            usedHeap, gc, nanoTime);
                });
    }
}
