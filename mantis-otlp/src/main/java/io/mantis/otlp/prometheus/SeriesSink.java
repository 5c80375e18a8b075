package io.mantis.otlp.prometheus;

/**
 * Receives the Prometheus data a {@link PrometheusTranslator} produces, as a stream of calls
 * rather than a built request, so that a remote-write encoder and a TSDB appender can both
 * consume one translation without an intermediate object graph.
 *
 * <p>The protocol is a cursor: {@link #series(Labels)} selects the current series, and the
 * {@link #sample}, {@link #histogram} and {@link #exemplar} calls that follow belong to it until
 * the next {@code series} call. The translator opens a series once per OTLP data point (and per
 * derived series such as {@code _bucket}, {@code _sum}, {@code _count}), so the same label set may
 * be opened again later in the call, for another data point of the same stream; a sink that
 * needs one entry per series merges by label set. Timestamps are Unix milliseconds. A staleness
 * marker is a sample whose value has the bits {@link #STALE_NAN_BITS}; compare with
 * {@link #isStaleMarker(double)}, never with {@code ==}.
 *
 * <p>Calls happen on the translating thread; a sink is not required to be thread-safe.
 */
public interface SeriesSink {

    /** Bit pattern of Prometheus' staleness marker, a NaN that ordinary arithmetic never yields. */
    long STALE_NAN_BITS = 0x7ff0000000000002L;

    /** Prometheus' staleness marker as a double. */
    double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    /** Whether {@code v} is exactly the staleness marker (other NaNs are ordinary values). */
    static boolean isStaleMarker(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    /**
     * Metadata of a metric family, given before its first series in a translate call, at most
     * once per family name per call. {@code unit} and {@code help} may be empty.
     */
    default void metadata(String family, MetricType type, String unit, String help) {
    }

    /** Selects the current series; {@code labels} is sorted and includes {@code __name__}. */
    void series(Labels labels);

    /** A float sample of the current series. */
    void sample(long timestampMillis, double value);

    /** A native histogram sample of the current series. */
    void histogram(NativeHistogram histogram);

    /** An exemplar attached to the current series; {@code labels} may be empty. */
    default void exemplar(Labels labels, double value, long timestampMillis) {
    }

    /**
     * Something the translator could not convert: a whole metric (then called once for it) or
     * one data point. {@code metric} is the OTLP metric name.
     */
    default void dropped(String metric, String reason) {
    }
}
