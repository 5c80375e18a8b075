package io.mantis.metrics.promql.value;

import java.util.List;

/**
 * An instant vector: at most one sample per label set, in the order the engine produced them
 * (which {@code sort()}, {@code topk} and friends make meaningful).
 */
public record Vector(List<Sample> samples) implements Value {

    public static final Vector EMPTY = new Vector(List.of());

    public Vector {
        samples = List.copyOf(samples);
    }

    public static Vector of(Sample... samples) {
        return new Vector(List.of(samples));
    }

    public int size() {
        return samples.size();
    }

    public Sample get(int i) {
        return samples.get(i);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }
}
