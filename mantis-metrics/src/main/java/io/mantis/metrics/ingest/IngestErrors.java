package io.mantis.metrics.ingest;

import io.mantis.metrics.tsdb.AppendException;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The refusals of one write, kept as Prometheus reports them: the valid rest of the write is
 * stored, and the answer is 400 naming the first offending series per kind of refusal. Counting
 * every refusal but describing only the first keeps a write of a million bad samples from building
 * a million-line answer.
 */
public final class IngestErrors {

    /** The first refusal of a kind; {@code reason} says more than the kind's message, or is null. */
    private record First(String series, long timestampMillis, String reason, int count) {
    }

    private final EnumMap<AppendException.Kind, First> byKind = new EnumMap<>(AppendException.Kind.class);
    private final EnumMap<AppendException.Kind, Integer> exemplarRefusals = new EnumMap<>(AppendException.Kind.class);
    private final List<String> invalid = new ArrayList<>();
    private int invalidCount;
    private int refused;

    void refused(AppendException.Kind kind, Labels series, long timestampMillis) {
        refused(kind, series, timestampMillis, null);
    }

    /** A refusal whose {@code reason} (e.g. the histogram rule broken) is appended to the kind's message. */
    void refused(AppendException.Kind kind, Labels series, long timestampMillis, String reason) {
        refused++;
        byKind.merge(kind, new First(prometheusText(series), timestampMillis, reason, 1),
                (a, b) -> new First(a.series, a.timestampMillis, a.reason, a.count + 1));
    }

    /** A label set as Prometheus prints it in errors: {@code {__name__="up", job="api"}}. */
    static String prometheusText(Labels labels) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(labels.name(i)).append('=').append(io.mantis.metrics.promql.StringLiterals.quote(labels.value(i)));
        }
        return sb.append('}').toString();
    }

    /**
     * An exemplar that could not be stored. Prometheus does not fail a write for these (its
     * exemplar storage is best effort): counted for the refusal metrics, not answered.
     */
    void exemplarRefused(AppendException.Kind kind) {
        exemplarRefusals.merge(kind, 1, Integer::sum);
    }

    void invalidSample() {
        refused++;
    }

    void invalidSeries(String message) {
        invalidCount++;
        if (invalid.size() < 10) {
            invalid.add(message);
        }
    }

    /** Whether everything was stored. */
    public boolean isEmpty() {
        return refused == 0 && invalidCount == 0;
    }

    /** Samples, histograms and exemplars refused. */
    public int refusedCount() {
        return refused;
    }

    public Map<AppendException.Kind, Integer> countsByKind() {
        EnumMap<AppendException.Kind, Integer> out = new EnumMap<>(AppendException.Kind.class);
        byKind.forEach((k, v) -> out.put(k, v.count));
        exemplarRefusals.forEach((k, v) -> out.merge(k, v, Integer::sum));
        return out;
    }

    public int invalidSeriesCount() {
        return invalidCount;
    }

    /**
     * The answer text: one line per kind, starting with Prometheus' own message (clients match on
     * it), then the first offending series and how many more were refused for the same reason.
     */
    public String message() {
        StringBuilder sb = new StringBuilder();
        for (String m : invalid) {
            line(sb).append(m);
        }
        if (invalidCount > invalid.size()) {
            line(sb).append("(and ").append(invalidCount - invalid.size()).append(" more invalid series)");
        }
        byKind.forEach((kind, first) -> {
            line(sb).append(kind.message()).append(" for series ").append(first.series)
                    .append(" at timestamp ").append(first.timestampMillis);
            if (first.reason != null) {
                sb.append(": ").append(first.reason);
            }
            if (first.count > 1) {
                sb.append(" (").append(first.count - 1).append(" more refused for the same reason)");
            }
        });
        return sb.toString();
    }

    private static StringBuilder line(StringBuilder sb) {
        if (!sb.isEmpty()) {
            sb.append('\n');
        }
        return sb;
    }
}
