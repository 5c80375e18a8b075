package io.mantis.otlp.loki;

import java.util.List;
import java.util.Objects;

/** One log entry of a stream: Loki's {@code EntryAdapter}. */
public record LokiEntry(long timestampNanos, String line, List<LabelPair> structuredMetadata) {

    public LokiEntry {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(structuredMetadata, "structuredMetadata");
    }

    public LokiEntry(long timestampNanos, String line) {
        this(timestampNanos, line, List.of());
    }
}
