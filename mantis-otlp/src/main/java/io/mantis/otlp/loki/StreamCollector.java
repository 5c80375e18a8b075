package io.mantis.otlp.loki;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StreamSink} that groups entries into {@link LokiStream}s: one stream per distinct label
 * set, streams in order of first appearance, entries in arrival order within each stream. This is
 * the form the push encoders take, and what an exporter batches.
 */
public final class StreamCollector implements StreamSink {

    private final Map<Labels, List<LokiEntry>> byLabels = new HashMap<>();
    private final List<LokiStream> streams = new ArrayList<>();
    // The translator and decoders pass the same Labels instance for consecutive entries of a
    // stream, so remembering the last one skips most hash lookups.
    private Labels lastLabels;
    private List<LokiEntry> lastEntries;
    private int entryCount;

    @Override
    public void entry(Labels stream, long timestampNanos, String line, List<LabelPair> structuredMetadata) {
        List<LokiEntry> entries;
        if (stream == lastLabels) {
            entries = lastEntries;
        } else {
            entries = byLabels.get(stream);
            if (entries == null) {
                entries = new ArrayList<>();
                byLabels.put(stream, entries);
                streams.add(new LokiStream(stream, Collections.unmodifiableList(entries)));
            }
            lastLabels = stream;
            lastEntries = entries;
        }
        entries.add(new LokiEntry(timestampNanos, line, structuredMetadata));
        entryCount++;
    }

    /**
     * The streams collected so far. The returned list is a snapshot of the streams, but each
     * stream's entry list is a view that keeps growing while entries arrive for it, until
     * {@link #clear()}.
     */
    public List<LokiStream> streams() {
        return List.copyOf(streams);
    }

    public int entryCount() {
        return entryCount;
    }

    /** Forgets everything collected, so the collector can be reused for the next batch. */
    public void clear() {
        byLabels.clear();
        streams.clear();
        lastLabels = null;
        lastEntries = null;
        entryCount = 0;
    }
}
