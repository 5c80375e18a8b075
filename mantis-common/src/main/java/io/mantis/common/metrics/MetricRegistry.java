package io.mantis.common.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of metrics a process exposes: families with bound children, callback metrics and custom
 * {@link Collector}s, scraped in registration order.
 *
 * <p>There is deliberately no global instance: components receive the registry they report to,
 * which keeps tests isolated and makes ownership explicit.
 *
 * <p>Registration is rare and serialized by a lock; scraping reads an immutable snapshot of the
 * entry list, so it never blocks registration and never sees a half-registered metric. Increments
 * touch neither: they go straight to the bound child.
 *
 * <p>Registering a name again with the same type and label names (and buckets) returns the
 * existing family, so independent components may share a metric. Anything else that would make
 * the exposition ambiguous throws {@link IllegalArgumentException}: another type or label set
 * under the same name, or a name that collides with another family's sample names (a gauge
 * {@code foo_total} next to a counter {@code foo}, a gauge {@code bar_count} next to a histogram
 * {@code bar}).
 */
public final class MetricRegistry {

    private static final Logger log = LoggerFactory.getLogger(MetricRegistry.class);

    /** What one registration owns. {@code name} and {@code sampleNames} are null/empty for collectors. */
    private record Entry(String name, Object owner, Collector collector, List<String> sampleNames) {}

    /** A callback metric; compared by supplier identity for idempotent registration. */
    private record Callback(MetricType type, DoubleSupplier supplier) {}

    private final Object lock = new Object();
    private final Map<String, Entry> byName = new HashMap<>();       // guarded by lock
    private final Map<String, Entry> bySampleName = new HashMap<>(); // guarded by lock
    private volatile List<Entry> entries = List.of();                 // copy-on-write, registration order

    public MetricRegistry() {}

    /**
     * A counter family. {@code name} is the base name: the samples are exposed as
     * {@code <name>_total}, so the name itself must not end in {@code _total}.
     */
    public CounterFamily counter(String name, String help, String... labelNames) {
        checkCounterName(name);
        checkHelp(help);
        String[] labels = MetricNames.checkLabelNames(MetricType.COUNTER, labelNames);
        return register(name, MetricType.COUNTER, CounterFamily.class,
                existing -> Arrays.equals(existing.labelNameArray(), labels),
                () -> new CounterFamily(name, help, labels),
                family -> family::collect);
    }

    public GaugeFamily gauge(String name, String help, String... labelNames) {
        MetricNames.checkMetricName(name);
        checkHelp(help);
        String[] labels = MetricNames.checkLabelNames(MetricType.GAUGE, labelNames);
        return register(name, MetricType.GAUGE, GaugeFamily.class,
                existing -> Arrays.equals(existing.labelNameArray(), labels),
                () -> new GaugeFamily(name, help, labels),
                family -> family::collect);
    }

    /**
     * A histogram family.
     *
     * @param buckets finite upper bounds in strictly increasing order, e.g.
     *     {@link Histogram#DEFAULT_BUCKETS}; {@code +Inf} is always added
     */
    public HistogramFamily histogram(String name, String help, double[] buckets, String... labelNames) {
        MetricNames.checkMetricName(name);
        checkHelp(help);
        String[] labels = MetricNames.checkLabelNames(MetricType.HISTOGRAM, labelNames);
        double[] bounds = HistogramFamily.checkBuckets(buckets);
        return register(name, MetricType.HISTOGRAM, HistogramFamily.class,
                existing -> Arrays.equals(existing.labelNameArray(), labels) && existing.hasBuckets(bounds),
                () -> HistogramFamily.create(name, help, labels, bounds),
                family -> family::collect);
    }

    /**
     * A label-less gauge whose value is read from {@code value} at scrape time. Registering the same
     * name again with the same supplier instance is a no-op; with another supplier it throws, since
     * silently keeping either one would hide a bug (unregister first when replacing).
     */
    public void gaugeFn(String name, String help, DoubleSupplier value) {
        MetricNames.checkMetricName(name);
        registerCallback(name, help, MetricType.GAUGE, value);
    }

    /**
     * A label-less counter whose running total is read from {@code value} at scrape time (e.g. a
     * count kept by a library). Named like {@link #counter}: base name, exposed as {@code _total}.
     */
    public void counterFn(String name, String help, DoubleSupplier value) {
        checkCounterName(name);
        registerCallback(name, help, MetricType.COUNTER, value);
    }

    /**
     * Adds a collector, run at every scrape after the entries registered before it. Registering the
     * same instance twice is a no-op. The registry cannot know a collector's family names in
     * advance; the text writers drop a family whose names clash with one emitted earlier in the
     * same scrape, and log it.
     */
    public void register(Collector collector) {
        Objects.requireNonNull(collector, "collector");
        synchronized (lock) {
            for (Entry e : entries) {
                if (e.owner() == collector) {
                    return;
                }
            }
            addEntry(new Entry(null, collector, collector, List.of()));
        }
    }

    /**
     * Removes the family or callback metric registered under {@code name}, e.g. when a component
     * stops. Children still bound elsewhere keep working but are no longer exported.
     *
     * @return whether something was registered under that name
     */
    public boolean unregister(String name) {
        synchronized (lock) {
            Entry entry = byName.remove(name);
            if (entry == null) {
                return false;
            }
            removeEntry(entry);
            return true;
        }
    }

    /** Removes a collector added with {@link #register(Collector)}; returns whether it was registered. */
    public boolean unregister(Collector collector) {
        synchronized (lock) {
            for (Entry e : entries) {
                if (e.name() == null && e.owner() == collector) {
                    removeEntry(e);
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Streams every metric into {@code sink}, in registration order. A collector or callback that
     * throws is logged and skipped so one faulty component cannot take down the whole scrape
     * (what it emitted before throwing stays in the output).
     */
    public void collect(MetricSink sink) {
        TextWriter writer = sink instanceof TextWriter w ? w : null;
        for (Entry entry : entries) {
            try {
                entry.collector().collect(sink);
            } catch (RuntimeException e) {
                log.warn("Metric collection failed for {}; its metrics are missing from this scrape",
                        entry.name() != null ? entry.name() : entry.collector().getClass().getName(), e);
            }
            if (writer != null) {
                // Close the last family so a collector that forgets family() cannot append its
                // samples to the previous entry's family.
                writer.endFamily();
            }
        }
    }

    private <T> T register(String name, MetricType type, Class<T> kind, Predicate<T> matches,
                           Supplier<T> factory, Function<T, Collector> collectorOf) {
        synchronized (lock) {
            Entry existing = byName.get(name);
            if (existing != null) {
                if (kind.isInstance(existing.owner()) && matches.test(kind.cast(existing.owner()))) {
                    return kind.cast(existing.owner());
                }
                throw new IllegalArgumentException("metric " + name + " is already registered as "
                        + describe(existing.owner()) + "; registering it again as a " + type.openMetricsName()
                        + " needs the same type, label names and buckets");
            }
            List<String> sampleNames = MetricNames.exposedNames(name, type);
            checkNoCollision(name, sampleNames);
            T created = factory.get();
            Entry entry = new Entry(name, created, collectorOf.apply(created), sampleNames);
            byName.put(name, entry);
            for (String sampleName : sampleNames) {
                bySampleName.put(sampleName, entry);
            }
            addEntry(entry);
            return created;
        }
    }

    private void registerCallback(String name, String help, MetricType type, DoubleSupplier value) {
        Objects.requireNonNull(value, "value supplier");
        checkHelp(help);
        Callback callback = new Callback(type, value);
        register(name, type, Callback.class,
                existing -> existing.equals(callback),
                () -> callback,
                cb -> sink -> {
                    // Read first: if the supplier throws, nothing of this family has been written.
                    double v = cb.supplier().getAsDouble();
                    sink.family(name, cb.type(), help);
                    sink.sample(v);
                });
    }

    private void checkNoCollision(String name, List<String> sampleNames) {
        for (String sampleName : sampleNames) {
            Entry other = bySampleName.get(sampleName);
            if (other != null) {
                throw new IllegalArgumentException("metric " + name + " would expose '" + sampleName
                        + "', which " + describe(other.owner()) + " " + other.name() + " already exposes");
            }
        }
    }

    private static String describe(Object owner) {
        if (owner instanceof MetricFamily<?> family) {
            return "a " + family.type().openMetricsName() + " with labels " + family.labelNames();
        }
        if (owner instanceof Callback callback) {
            return "a callback " + callback.type().openMetricsName();
        }
        return "a collector";
    }

    private void addEntry(Entry entry) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(entry);
        entries = List.copyOf(next);
    }

    private void removeEntry(Entry entry) {
        for (String sampleName : entry.sampleNames()) {
            bySampleName.remove(sampleName, entry);
        }
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(e -> e == entry);
        entries = List.copyOf(next);
    }

    private static void checkCounterName(String name) {
        MetricNames.checkMetricName(name);
        if (name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + ": register counters by their base name"
                    + " (without _total); the _total suffix is added on exposition");
        }
    }

    private static void checkHelp(String help) {
        Objects.requireNonNull(help, "help (use \"\" for none)");
    }
}
