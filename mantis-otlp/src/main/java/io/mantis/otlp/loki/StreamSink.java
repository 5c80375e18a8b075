package io.mantis.otlp.loki;

import java.util.List;

/**
 * Receives log entries one at a time, each with the labels of the stream it belongs to. The
 * translator and the push decoders both feed a sink, so a log store can ingest OTLP, Loki
 * protobuf and Loki JSON through one path, without building an intermediate request.
 *
 * <p>Calls for the same stream arrive in the order the entries appeared in the input. Consecutive
 * entries of one stream share one {@link Labels} instance (the translator builds it once per OTLP
 * resource, the protobuf decoder once per distinct label string), so a sink may cache per-stream
 * state behind an identity check before falling back to {@code equals}.
 */
@FunctionalInterface
public interface StreamSink {

    /**
     * One entry.
     *
     * @param stream the stream's labels
     * @param timestampNanos nanoseconds since the Unix epoch
     * @param line the log line
     * @param structuredMetadata the entry's structured metadata in order; the list is handed over
     *     to the sink, which may keep it: the caller neither reuses nor changes it afterwards
     */
    void entry(Labels stream, long timestampNanos, String line, List<LabelPair> structuredMetadata);
}
