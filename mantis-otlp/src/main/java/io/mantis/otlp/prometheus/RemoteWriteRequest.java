package io.mantis.otlp.prometheus;

import java.util.List;

/**
 * A decoded remote-write 1.0 {@code prometheus.WriteRequest}, as {@link RemoteWriteDecoder}
 * returns it. Lists are immutable; samples, exemplars and histograms are in wire order.
 *
 * @param timeseries the series
 * @param metadata metric family metadata (remote write sends it separately from the series)
 */
public record RemoteWriteRequest(List<TimeSeries> timeseries, List<MetricMetadata> metadata) {

    public RemoteWriteRequest {
        timeseries = List.copyOf(timeseries);
        metadata = List.copyOf(metadata);
    }

    /** One {@code prometheus.TimeSeries}. */
    public record TimeSeries(Labels labels, List<Sample> samples, List<Exemplar> exemplars,
            List<NativeHistogram> histograms) {

        public TimeSeries {
            samples = List.copyOf(samples);
            exemplars = List.copyOf(exemplars);
            histograms = List.copyOf(histograms);
        }
    }

    /**
     * One float sample. Record equality compares doubles by their (NaN-collapsing) bits, so a
     * staleness marker equals any NaN here; use {@link SeriesSink#isStaleMarker} to tell them
     * apart.
     */
    public record Sample(long timestampMillis, double value) {
    }

    /** One exemplar; {@code labels} may be empty. */
    public record Exemplar(Labels labels, double value, long timestampMillis) {
    }

    /** One {@code prometheus.MetricMetadata}; {@code unit} and {@code help} may be empty. */
    public record MetricMetadata(String familyName, MetricType type, String unit, String help) {
    }
}
