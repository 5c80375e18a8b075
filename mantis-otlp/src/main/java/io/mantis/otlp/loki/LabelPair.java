package io.mantis.otlp.loki;

import java.util.Objects;

/**
 * One name/value pair of structured metadata (Loki's {@code LabelPairAdapter}). A list of these is
 * kept in insertion order rather than as a map because Loki's push format is a repeated field:
 * order and duplicate names are part of what a client sent and a round trip must keep them.
 */
public record LabelPair(String name, String value) {

    public LabelPair {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
