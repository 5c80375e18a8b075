package io.mantis.common.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A named metric with a fixed set of label names and one child series per distinct label-value
 * tuple.
 *
 * <p>{@link #labels} hashes a freshly copied key and may create the child, so it allocates: bind
 * children once (at construction, per connection, per pipeline...) and keep the reference for the
 * hot path. A family without labels has a single child, created eagerly so the series is exported
 * as zero from the start rather than appearing on first use.
 *
 * @param <C> the child type
 */
public abstract sealed class MetricFamily<C> permits CounterFamily, GaugeFamily, HistogramFamily {

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final List<String> labelNameList;
    private final Supplier<C> childFactory;
    private final ConcurrentHashMap<LabelValues, C> children = new ConcurrentHashMap<>();
    private final C unlabelled;

    MetricFamily(String name, String help, String[] labelNames, Supplier<C> childFactory) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
        this.labelNameList = List.of(labelNames);
        this.childFactory = childFactory;
        if (labelNames.length == 0) {
            unlabelled = childFactory.get();
            children.put(LabelValues.EMPTY, unlabelled);
        } else {
            unlabelled = null;
        }
    }

    public final String name() {
        return name;
    }

    public final String help() {
        return help;
    }

    public final List<String> labelNames() {
        return labelNameList;
    }

    public abstract MetricType type();

    /**
     * The child for the given label values (one per label name, in order), created on first use.
     * Allocates; see the class comment.
     *
     * @throws IllegalArgumentException if the number of values does not match the label names
     * @throws NullPointerException if a value is null
     */
    public final C labels(String... values) {
        if (unlabelled != null && values != null && values.length == 0) {
            return unlabelled;
        }
        LabelValues key = LabelValues.of(labelNames, values);
        C child = children.get(key);
        if (child != null) {
            return child;
        }
        // computeIfAbsent only on a miss: its lambda captures, so it would allocate on every call.
        return children.computeIfAbsent(key, k -> childFactory.get());
    }

    /**
     * The single child of a family registered without label names.
     *
     * @throws IllegalStateException if the family has label names
     */
    public final C unlabelled() {
        if (unlabelled == null) {
            throw new IllegalStateException("metric " + name + " has labels " + labelNameList + "; use labels(...)");
        }
        return unlabelled;
    }

    /**
     * Stops exporting the child with the given label values. A reference still held elsewhere keeps
     * working but is no longer exported; a later {@link #labels} call creates a fresh child from zero.
     *
     * @return whether a child was removed
     * @throws IllegalStateException for a family without labels: its one child is permanent
     *     (use {@link MetricRegistry#unregister(String)} to drop the whole family)
     */
    public final boolean remove(String... values) {
        if (unlabelled != null) {
            throw new IllegalStateException("metric " + name + " has no labels; its single series cannot be removed");
        }
        return children.remove(LabelValues.of(labelNames, values)) != null;
    }

    /** Removes every child of a labelled family (no-op for a family without labels). */
    public final void clear() {
        if (unlabelled == null) {
            children.clear();
        }
    }

    /** Emits the family with its children sorted by label values, so scrapes are deterministic. */
    final void collect(MetricSink sink) {
        sink.family(name, type(), help);
        if (unlabelled != null) {
            collectChild(sink, MetricSink.NO_LABELS, unlabelled);
            return;
        }
        List<Map.Entry<LabelValues, C>> entries = new ArrayList<>(children.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        for (Map.Entry<LabelValues, C> entry : entries) {
            collectChild(sink, entry.getKey().values(), entry.getValue());
        }
    }

    final String[] labelNameArray() {
        return labelNames;
    }

    /** Emits one child's samples; {@code labelValues} is parallel to the family's label names. */
    abstract void collectChild(MetricSink sink, String[] labelValues, C child);
}
