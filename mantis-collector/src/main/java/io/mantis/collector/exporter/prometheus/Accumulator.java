package io.mantis.collector.exporter.prometheus;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The latest point of every series the exporter received, as the collector's Prometheus exporter
 * keeps them: cumulative points replace the previous one (an older point is ignored), delta sums
 * and histograms are added up into cumulative ones while they are contiguous, and a point flagged
 * {@code NO_RECORDED_VALUE} (a stale marker) removes its series. Series not updated within the
 * expiration leave.
 *
 * <p>A series is identified by its output type, metric name, scope, resource attributes and point
 * attributes.
 */
final class Accumulator {
    /** How a series is exposed. */
    enum Kind { GAUGE, UNKNOWN, COUNTER, HISTOGRAM, SUMMARY }

    /** What a point was dropped for, as the {@code reason} label of the drop counter. */
    enum Drop {
        EXPONENTIAL_HISTOGRAM("exponential_histogram"),
        DELTA_NON_MONOTONIC_SUM("delta_non_monotonic_sum"),
        UNSPECIFIED_TEMPORALITY("unspecified_temporality");

        final String label;

        Drop(String label) {
            this.label = label;
        }
    }

    /** Receives the points that cannot be exposed. */
    interface DropListener {
        void dropped(Drop reason, Metric metric, int points);
    }

    /**
     * One series and its latest point; exactly one of {@code number}, {@code histogram},
     * {@code summary} is set.
     */
    record Series(Kind kind, String name, String description, String unit, Resource resource,
                  InstrumentationScope scope, List<KeyValue> attributes, NumberDataPoint number,
                  HistogramDataPoint histogram, SummaryDataPoint summary, long updatedNanos) {
        long timeUnixNano() {
            return number != null ? number.getTimeUnixNano() : histogram != null ? histogram.getTimeUnixNano()
                    : summary.getTimeUnixNano();
        }

        long startUnixNano() {
            return number != null ? number.getStartTimeUnixNano() : histogram != null
                    ? histogram.getStartTimeUnixNano() : summary.getStartTimeUnixNano();
        }

        List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars() {
            return number != null ? number.getExemplarsList() : histogram != null ? histogram.getExemplarsList()
                    : List.of();
        }
    }

    private static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;

    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final long expirationNanos;
    private final LongSupplier clock;
    private final DropListener drops;

    Accumulator(Duration expiration, LongSupplier nanoClock, DropListener drops) {
        this.expirationNanos = expiration.toNanos();
        this.clock = nanoClock;
        this.drops = drops;
    }

    int size() {
        return series.size();
    }

    /** Takes in a batch. */
    void accept(ExportMetricsServiceRequest request) {
        long now = clock.getAsLong();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            String resourceKey = signature(rm.getResource().getAttributesList());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                String scopeKey = sm.getScope().getName() + '\0' + sm.getScope().getVersion();
                for (Metric m : sm.getMetricsList()) {
                    accept(rm.getResource(), sm.getScope(), m, resourceKey + '\u0001' + scopeKey, now);
                }
            }
        }
    }

    private void accept(Resource resource, InstrumentationScope scope, Metric m, String prefix, long now) {
        switch (m.getDataCase()) {
            case GAUGE -> {
                Kind kind = isUnknownType(m) ? Kind.UNKNOWN : Kind.GAUGE;
                for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                    put(kind, m, resource, scope, prefix, p.getAttributesList(), p.getFlags(), false,
                            new Series(kind, m.getName(), m.getDescription(), m.getUnit(), resource, scope,
                                    p.getAttributesList(), p, null, null, now));
                }
            }
            case SUM -> {
                AggregationTemporality t = m.getSum().getAggregationTemporality();
                boolean monotonic = m.getSum().getIsMonotonic();
                if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
                        && t != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
                    drops.dropped(Drop.UNSPECIFIED_TEMPORALITY, m, m.getSum().getDataPointsCount());
                    return;
                }
                boolean delta = t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                if (delta && !monotonic) {
                    drops.dropped(Drop.DELTA_NON_MONOTONIC_SUM, m, m.getSum().getDataPointsCount());
                    return;
                }
                Kind kind = monotonic ? Kind.COUNTER : Kind.GAUGE;
                for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                    put(kind, m, resource, scope, prefix, p.getAttributesList(), p.getFlags(), delta,
                            new Series(kind, m.getName(), m.getDescription(), m.getUnit(), resource, scope,
                                    p.getAttributesList(), p, null, null, now));
                }
            }
            case HISTOGRAM -> {
                AggregationTemporality t = m.getHistogram().getAggregationTemporality();
                if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
                        && t != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
                    drops.dropped(Drop.UNSPECIFIED_TEMPORALITY, m, m.getHistogram().getDataPointsCount());
                    return;
                }
                boolean delta = t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    put(Kind.HISTOGRAM, m, resource, scope, prefix, p.getAttributesList(), p.getFlags(), delta,
                            new Series(Kind.HISTOGRAM, m.getName(), m.getDescription(), m.getUnit(), resource, scope,
                                    p.getAttributesList(), null, p, null, now));
                }
            }
            case SUMMARY -> {
                for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
                    put(Kind.SUMMARY, m, resource, scope, prefix, p.getAttributesList(), p.getFlags(), false,
                            new Series(Kind.SUMMARY, m.getName(), m.getDescription(), m.getUnit(), resource, scope,
                                    p.getAttributesList(), null, null, p, now));
                }
            }
            case EXPONENTIAL_HISTOGRAM -> drops.dropped(Drop.EXPONENTIAL_HISTOGRAM, m,
                    m.getExponentialHistogram().getDataPointsCount());
            case DATA_NOT_SET -> { }
        }
    }

    private static boolean isUnknownType(Metric m) {
        for (KeyValue kv : m.getMetadataList()) {
            if (kv.getKey().equals("prometheus.type")) {
                return kv.getValue().getStringValue().equals("unknown");
            }
        }
        return false;
    }

    private void put(Kind kind, Metric m, Resource resource, InstrumentationScope scope, String prefix,
                     List<KeyValue> attributes, int flags, boolean delta, Series next) {
        String key = kind.ordinal() + m.getName() + '\u0001' + prefix + '\u0001' + signature(attributes);
        if ((flags & NO_RECORDED_VALUE) != 0) {
            // A stale marker: the series ended at its source.
            series.remove(key);
            return;
        }
        series.merge(key, next, (prev, cur) -> merge(prev, cur, delta));
    }

    private static Series merge(Series prev, Series next, boolean delta) {
        if (prev.kind() != next.kind()) {
            return next;
        }
        if (next.timeUnixNano() < prev.timeUnixNano()) {
            return prev; // out of order: keep the newer point
        }
        if (!delta || next.startUnixNano() != prev.timeUnixNano()) {
            // Cumulative, or a delta that does not continue the previous one: start over from it.
            return next;
        }
        if (next.number() != null) {
            NumberDataPoint a = prev.number();
            NumberDataPoint b = next.number();
            NumberDataPoint.Builder sum = b.toBuilder().setStartTimeUnixNano(a.getStartTimeUnixNano());
            if (a.hasAsInt() && b.hasAsInt()) {
                sum.setAsInt(a.getAsInt() + b.getAsInt());
            } else {
                sum.setAsDouble(asDouble(a) + asDouble(b));
            }
            return withNumber(next, sum.build());
        }
        HistogramDataPoint a = prev.histogram();
        HistogramDataPoint b = next.histogram();
        if (!a.getExplicitBoundsList().equals(b.getExplicitBoundsList())
                || a.getBucketCountsCount() != b.getBucketCountsCount()) {
            return next;
        }
        HistogramDataPoint.Builder h = b.toBuilder().setStartTimeUnixNano(a.getStartTimeUnixNano())
                .setCount(a.getCount() + b.getCount()).clearBucketCounts();
        for (int i = 0; i < b.getBucketCountsCount(); i++) {
            h.addBucketCounts(a.getBucketCounts(i) + b.getBucketCounts(i));
        }
        if (a.hasSum() && b.hasSum()) {
            h.setSum(a.getSum() + b.getSum());
        } else {
            h.clearSum();
        }
        if (a.hasMin() && b.hasMin()) {
            h.setMin(Math.min(a.getMin(), b.getMin()));
        }
        if (a.hasMax() && b.hasMax()) {
            h.setMax(Math.max(a.getMax(), b.getMax()));
        }
        return new Series(next.kind(), next.name(), next.description(), next.unit(), next.resource(), next.scope(),
                next.attributes(), null, h.build(), null, next.updatedNanos());
    }

    private static Series withNumber(Series s, NumberDataPoint p) {
        return new Series(s.kind(), s.name(), s.description(), s.unit(), s.resource(), s.scope(), s.attributes(), p,
                null, null, s.updatedNanos());
    }

    static double asDouble(NumberDataPoint p) {
        return p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
    }

    /**
     * The live series (expired ones removed first), by name and kind: a stable order, so when two
     * kinds claim one name the same one wins on every scrape.
     */
    List<Series> snapshot() {
        expire();
        List<Series> out = new ArrayList<>(series.values());
        out.sort(Comparator.comparing(Series::name).thenComparing(Series::kind));
        return out;
    }

    /** Removes the series not updated within the expiration. */
    void expire() {
        long now = clock.getAsLong();
        series.entrySet().removeIf(e -> now - e.getValue().updatedNanos() > expirationNanos);
    }

    /** Attributes in key order, values typed as text: the identity part of a series key. */
    private static String signature(List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return "";
        }
        List<KeyValue> sorted = attributes;
        if (attributes.size() > 1) {
            sorted = new ArrayList<>(attributes);
            sorted.sort(Comparator.comparing(KeyValue::getKey));
        }
        StringBuilder sb = new StringBuilder(32 * sorted.size());
        for (KeyValue kv : sorted) {
            String v = PrometheusNames.value(kv.getValue());
            sb.append(kv.getKey().length()).append(':').append(kv.getKey()).append(v.length()).append(':').append(v);
        }
        return sb.toString();
    }
}
