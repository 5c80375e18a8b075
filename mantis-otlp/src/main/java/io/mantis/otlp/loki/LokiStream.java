package io.mantis.otlp.loki;

import java.util.List;
import java.util.Objects;

/** A stream and its entries in order: Loki's {@code StreamAdapter} without the hash. */
public record LokiStream(Labels labels, List<LokiEntry> entries) {

    public LokiStream {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(entries, "entries");
    }
}
