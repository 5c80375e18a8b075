package io.mantis.metrics.tsdb;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import java.io.IOException;

/**
 * Collects one write (a remote-write request, an OTLP export, a scrape) and makes it durable and
 * visible as a whole on {@link #commit()}: after {@code commit} returns normally, every accepted
 * sample is in the write-ahead log (fsynced as the store's fsync policy says) and visible to
 * queries. An appender is used by one thread and then discarded.
 *
 * <p>{@code ref} arguments and results are series references: pass 0 when unknown, and the value
 * a previous call returned for the same label set to skip the label lookup. A reference stays
 * valid while the series is in the head.
 */
public interface Appender {

    /** Appends a float sample (a staleness marker is a float sample with the stale NaN bits). */
    long append(long ref, Labels labels, long timestampMillis, double value) throws AppendException;

    /** Appends a native histogram sample; the histogram is copied, the caller may reuse it. */
    long appendHistogram(long ref, Labels labels, long timestampMillis, FloatHistogram histogram)
            throws AppendException;

    /** Attaches an exemplar to the series. */
    long appendExemplar(long ref, Labels labels, Labels exemplarLabels, double value, long timestampMillis)
            throws AppendException;

    /** Records the type, unit and help of the series' metric family. */
    long updateMetadata(long ref, Labels labels, MetricType type, String unit, String help);

    /** Makes everything appended durable and visible; the appender is spent afterwards. */
    void commit() throws IOException;

    /** Drops everything appended; the appender is spent afterwards. */
    void rollback();
}
