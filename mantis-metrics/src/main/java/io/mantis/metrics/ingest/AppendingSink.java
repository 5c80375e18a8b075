package io.mantis.metrics.ingest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.SeriesSink;
import java.util.HashMap;
import java.util.Map;

/**
 * Feeds translated or decoded Prometheus data into an {@link Appender}: the one ingest path shared
 * by remote write, OTLP over HTTP and the collector's in-process exporter. Refusals are collected in
 * {@link IngestErrors} and the rest is appended; the caller commits.
 */
public final class AppendingSink implements SeriesSink {

    private static final String[] FAMILY_SUFFIXES = {"_bucket", "_sum", "_count", "_total", "_created", "_info"};

    private final Appender appender;
    private final IngestErrors errors = new IngestErrors();
    private final FloatHistogram histogram = new FloatHistogram();
    private final Map<String, Metadata> metadata = new HashMap<>();

    private Labels current;
    private long ref;
    private boolean valid;
    private boolean metadataPending;
    private int samples;
    private int histograms;
    private int exemplars;
    private int untranslatable;
    private String firstUntranslatable;

    private record Metadata(MetricType type, String unit, String help) {
    }

    public AppendingSink(Appender appender) {
        this.appender = appender;
    }

    public IngestErrors errors() {
        return errors;
    }

    public int samples() {
        return samples;
    }

    public int histograms() {
        return histograms;
    }

    public int exemplars() {
        return exemplars;
    }

    /** Metrics or data points the translator could not convert (OTLP only). */
    public int untranslatable() {
        return untranslatable;
    }

    /** The first of those, as "metric: reason", or null. */
    public String firstUntranslatable() {
        return firstUntranslatable;
    }

    @Override
    public void dropped(String metric, String reason) {
        untranslatable++;
        if (firstUntranslatable == null) {
            firstUntranslatable = metric + ": " + reason;
        }
    }

    @Override
    public void metadata(String family, MetricType type, String unit, String help) {
        metadata.put(family, new Metadata(type, unit, help));
    }

    @Override
    public void series(Labels labels) {
        current = labels;
        ref = 0;
        String problem = validate(labels);
        valid = problem == null;
        if (!valid) {
            errors.invalidSeries(problem);
        }
        metadataPending = !metadata.isEmpty();
    }

    /**
     * Starts a series the head already holds under {@code ref} with exactly these labels (as the
     * head keeps them): nothing to validate or look up.
     */
    public void series(long ref, Labels labels) {
        current = labels;
        this.ref = ref;
        valid = true;
        metadataPending = !metadata.isEmpty();
    }

    /** The head reference of the current series, once a sample of it was appended; else 0. */
    public long ref() {
        return ref;
    }

    /** Prometheus 3's checks (UTF-8 names allowed): a non-empty set of non-empty names. */
    static String validate(Labels labels) {
        if (labels.isEmpty()) {
            return "invalid metric name or labels, got {} (empty label set)";
        }
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            if (name.isEmpty() || (name.equals(Labels.METRIC_NAME) && labels.value(i).isEmpty())) {
                return "invalid metric name or labels, got " + IngestErrors.prometheusText(labels);
            }
        }
        return null;
    }

    private void applyMetadata() throws AppendException {
        metadataPending = false;
        String name = current.metricName();
        if (name == null) {
            return;
        }
        Metadata m = metadata.get(name);
        for (int i = 0; m == null && i < FAMILY_SUFFIXES.length; i++) {
            if (name.endsWith(FAMILY_SUFFIXES[i])) {
                m = metadata.get(name.substring(0, name.length() - FAMILY_SUFFIXES[i].length()));
            }
        }
        if (m != null) {
            ref = appender.updateMetadata(ref, current, m.type, m.unit, m.help);
        }
    }

    @Override
    public void sample(long timestampMillis, double value) {
        if (!valid) {
            errors.invalidSample();
            return;
        }
        try {
            if (metadataPending) {
                applyMetadata();
            }
            ref = appender.append(ref, current, timestampMillis, value);
            samples++;
        } catch (AppendException e) {
            errors.refused(e.kind(), current, timestampMillis);
        }
    }

    @Override
    public void histogram(NativeHistogram h) {
        if (!valid) {
            errors.invalidSample();
            return;
        }
        try {
            h.validate();
        } catch (IllegalArgumentException e) {
            // Prometheus refuses the sample and keeps the rest of the write; so do we.
            errors.refused(AppendException.Kind.INVALID_HISTOGRAM, current, h.timestampMillis(), e.getMessage());
            return;
        }
        try {
            if (metadataPending) {
                applyMetadata();
            }
            histogram.setFrom(h);
            ref = appender.appendHistogram(ref, current, h.timestampMillis(), histogram);
            histograms++;
        } catch (AppendException e) {
            errors.refused(e.kind(), current, h.timestampMillis());
        } catch (IllegalArgumentException e) {
            errors.refused(AppendException.Kind.INVALID_HISTOGRAM, current, h.timestampMillis());
        }
    }

    @Override
    public void exemplar(Labels labels, double value, long timestampMillis) {
        if (!valid) {
            return;
        }
        try {
            ref = appender.appendExemplar(ref, current, labels, value, timestampMillis);
            exemplars++;
        } catch (AppendException e) {
            errors.exemplarRefused(e.kind());
        }
    }
}
