package io.mantis.metrics.promql.value;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the engine remarks on beside a result, as Prometheus' annotations: warnings (the result
 * may be wrong or incomplete, e.g. {@code rate} of a metric not named like a counter) and infos
 * (hints, e.g. a {@code _total} metric treated as a gauge).
 *
 * <p>The texts are complete as Prometheus renders them for the API, prefix and position included:
 * {@code PromQL warning: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x" (1:6)}.
 * Storage warnings have no prefix. Each text appears once (Prometheus keeps annotations in a set),
 * in the order first reported.
 */
public record Annotations(List<String> warnings, List<String> infos) {

    public static final Annotations EMPTY = new Annotations(List.of(), List.of());

    public Annotations {
        warnings = distinct(warnings);
        infos = distinct(infos);
    }

    private static List<String> distinct(List<String> texts) {
        Set<String> seen = new LinkedHashSet<>(texts);
        return seen.size() == texts.size() ? List.copyOf(texts) : List.copyOf(seen);
    }

    public static Annotations ofWarnings(String... warnings) {
        return new Annotations(List.of(warnings), List.of());
    }

    public static Annotations ofInfos(String... infos) {
        return new Annotations(List.of(), List.of(infos));
    }

    public boolean isEmpty() {
        return warnings.isEmpty() && infos.isEmpty();
    }

    /** Both sets of annotations, this one's first. */
    public Annotations merge(Annotations other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<String> w = new ArrayList<>(warnings);
        w.addAll(other.warnings);
        List<String> i = new ArrayList<>(infos);
        i.addAll(other.infos);
        return new Annotations(w, i);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects annotations during an evaluation; not thread-safe. */
    public static final class Builder {
        private final Set<String> warnings = new LinkedHashSet<>();
        private final Set<String> infos = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder warning(String text) {
            warnings.add(text);
            return this;
        }

        public Builder info(String text) {
            infos.add(text);
            return this;
        }

        public Builder addAll(Annotations a) {
            warnings.addAll(a.warnings);
            infos.addAll(a.infos);
            return this;
        }

        public Annotations build() {
            return warnings.isEmpty() && infos.isEmpty() ? EMPTY
                    : new Annotations(List.copyOf(warnings), List.copyOf(infos));
        }
    }
}
