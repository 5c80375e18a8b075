package io.mantis.otlp.prometheus;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Translates OTLP metrics into Prometheus series, following the OpenTelemetry specification's
 * "Prometheus and OpenMetrics Compatibility" (OTLP to Prometheus) as the collector's
 * {@code prometheusremotewrite} exporter implements it, and pushes them into a
 * {@link SeriesSink}.
 *
 * <p>What it produces, per OTLP metric type:
 * <ul>
 *   <li>Gauge: a gauge series per point. Sum: monotonic ones become counters ({@code _total}),
 *       non-monotonic ones gauges; only CUMULATIVE sums are accepted.</li>
 *   <li>Histogram (CUMULATIVE): {@code _bucket{le=...}} with cumulative counts up to
 *       {@code le="+Inf"}, {@code _sum} (when the point has one), {@code _count}.</li>
 *   <li>Summary: {@code {quantile=...}}, {@code _sum}, {@code _count}.</li>
 *   <li>Exponential histogram (CUMULATIVE): one native histogram per point, at schema
 *       {@code min(scale, 8)}; when native histograms are turned off it is dropped.</li>
 * </ul>
 * DELTA (and unspecified) temporality is refused per metric through
 * {@link SeriesSink#dropped}: turning deltas into the cumulative values Prometheus expects needs
 * state across requests, which this stateless translation does not keep.
 *
 * <p>Labels: sanitised data point attributes; {@code job} from {@code service.namespace/
 * service.name} and {@code instance} from {@code service.instance.id}; scope labels; external
 * labels where nothing else set the name. The other resource attributes go to one
 * {@code target_info} series per resource (value 1, at the resource's latest point time), or onto
 * every series with {@code resourceToTelemetryConversion}. Points flagged NO_RECORDED_VALUE
 * become staleness markers. Exemplars keep {@code trace_id} / {@code span_id} (hex).
 *
 * <p>Instances are immutable and thread-safe; each {@link #translate} call keeps its own scratch
 * state.
 */
public final class PrometheusTranslator {

    static final String TARGET_INFO = "target_info";
    static final String SCOPE_NAME_LABEL = "otel_scope_name";
    static final String SCOPE_VERSION_LABEL = "otel_scope_version";
    static final String JOB_LABEL = "job";
    static final String INSTANCE_LABEL = "instance";
    static final String BUCKET_LABEL = "le";
    static final String QUANTILE_LABEL = "quantile";
    static final String TRACE_ID_LABEL = "trace_id";
    static final String SPAN_ID_LABEL = "span_id";

    private static final String SERVICE_NAME = "service.name";
    private static final String SERVICE_NAMESPACE = "service.namespace";
    private static final String SERVICE_INSTANCE_ID = "service.instance.id";

    /** OpenMetrics caps an exemplar's label names plus values at 128 code points. */
    static final int EXEMPLAR_LABELS_MAX_CHARS = 128;

    private static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final TranslationSettings settings;
    private final String targetInfoName;

    public PrometheusTranslator(TranslationSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.targetInfoName = settings.namespace() == null
                ? TARGET_INFO
                : PrometheusNames.metricName(TARGET_INFO, "", PrometheusNames.Kind.GAUGE, settings.namespace(), true);
    }

    /** A translator with {@link TranslationSettings#defaults()}. */
    public PrometheusTranslator() {
        this(TranslationSettings.defaults());
    }

    public TranslationSettings settings() {
        return settings;
    }

    /** Translates every metric of {@code request} into {@code sink}. */
    public TranslationStats translate(ExportMetricsServiceRequest request, SeriesSink sink) {
        return translate(request.getResourceMetricsList(), sink);
    }

    /** Translates every metric of {@code resourceMetrics} into {@code sink}. */
    public TranslationStats translate(List<ResourceMetrics> resourceMetrics, SeriesSink sink) {
        Run run = new Run(Objects.requireNonNull(sink, "sink"));
        for (ResourceMetrics rm : resourceMetrics) {
            run.resource(rm);
        }
        return run.stats();
    }

    /** The Prometheus metric (family) name this translator gives an OTLP metric. */
    public String metricName(Metric metric) {
        return PrometheusNames.metricName(metric.getName(), metric.getUnit(), kindOf(metric),
                settings.namespace(), settings.addMetricSuffixes());
    }

    private static PrometheusNames.Kind kindOf(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> PrometheusNames.Kind.GAUGE;
            case SUM -> m.getSum().getIsMonotonic()
                    ? PrometheusNames.Kind.COUNTER
                    : PrometheusNames.Kind.NON_MONOTONIC_SUM;
            case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> PrometheusNames.Kind.HISTOGRAM;
            case SUMMARY -> PrometheusNames.Kind.SUMMARY;
            default -> PrometheusNames.Kind.GAUGE;
        };
    }

    static long toMillis(long unixNanos) {
        return unixNanos / 1_000_000L;
    }

    /** One translate call: the sink, scratch state, and counters. */
    private final class Run {
        private final SeriesSink sink;
        private final LabelSetBuilder builder = new LabelSetBuilder();
        private final Map<String, String> labelNames = new HashMap<>();
        private final Set<String> metadataSent = new HashSet<>();
        private final Set<Labels> targetInfoSent = new HashSet<>();
        private final StringBuilder hex = new StringBuilder(32);

        private int metrics;
        private int series;
        private int samples;
        private int histograms;
        private int exemplars;
        private int droppedMetrics;
        private int droppedPoints;

        // Current resource and scope.
        private List<KeyValue> resourceAttributes = List.of();
        private String job;
        private String instance;
        private String scopeName;
        private String scopeVersion;
        private long latestMillis;

        Run(SeriesSink sink) {
            this.sink = sink;
        }

        TranslationStats stats() {
            return new TranslationStats(metrics, series, samples, histograms, exemplars, droppedMetrics,
                    droppedPoints);
        }

        void resource(ResourceMetrics rm) {
            resourceAttributes = rm.getResource().getAttributesList();
            String serviceName = null;
            String serviceNamespace = null;
            String instanceId = null;
            for (KeyValue kv : resourceAttributes) {
                switch (kv.getKey()) {
                    case SERVICE_NAME -> serviceName = AttributeValues.asString(kv.getValue());
                    case SERVICE_NAMESPACE -> serviceNamespace = AttributeValues.asString(kv.getValue());
                    case SERVICE_INSTANCE_ID -> instanceId = AttributeValues.asString(kv.getValue());
                    default -> {
                    }
                }
            }
            job = serviceName == null || serviceName.isEmpty()
                    ? null
                    : serviceNamespace == null || serviceNamespace.isEmpty()
                            ? serviceName
                            : serviceNamespace + "/" + serviceName;
            instance = instanceId;
            latestMillis = Long.MIN_VALUE;
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                scopeName = sm.getScope().getName();
                scopeVersion = sm.getScope().getVersion();
                for (Metric m : sm.getMetricsList()) {
                    metric(m);
                }
            }
            targetInfo();
        }

        private void targetInfo() {
            if (settings.disableTargetInfo() || latestMillis == Long.MIN_VALUE) {
                return;
            }
            builder.reset();
            boolean any = false;
            for (KeyValue kv : resourceAttributes) {
                String key = kv.getKey();
                if (key.equals(SERVICE_NAME) || key.equals(SERVICE_NAMESPACE) || key.equals(SERVICE_INSTANCE_ID)) {
                    continue;
                }
                String value = AttributeValues.asString(kv.getValue());
                if (!value.isEmpty()) {
                    builder.add(labelName(key), value, LabelSetBuilder.RANK_ATTRIBUTE, key);
                    any = true;
                }
            }
            // Only job/instance would be left, which every series already carries.
            if (!any) {
                return;
            }
            addExternalAndIdentity();
            Labels labels = builder.build().with(Labels.METRIC_NAME, targetInfoName);
            if (!targetInfoSent.add(labels)) {
                return;
            }
            metadata(targetInfoName, MetricType.GAUGE, "", "Target metadata");
            openSeries(labels);
            emitSample(latestMillis, 1.0);
        }

        private void metric(Metric m) {
            metrics++;
            String otelName = m.getName();
            PrometheusNames.Kind kind = kindOf(m);
            String name = PrometheusNames.metricName(otelName, m.getUnit(), kind, settings.namespace(),
                    settings.addMetricSuffixes());
            if (name.isEmpty()) {
                dropMetric(otelName, "metric name has no character valid in a Prometheus name");
                return;
            }
            String unit = PrometheusNames.unitName(m.getUnit(), kind);
            switch (m.getDataCase()) {
                case GAUGE -> {
                    metadata(name, MetricType.GAUGE, unit, m.getDescription());
                    numbers(otelName, name, m.getGauge().getDataPointsList(), false);
                }
                case SUM -> {
                    if (!cumulative(otelName, m.getSum().getAggregationTemporality())) {
                        return;
                    }
                    boolean counter = m.getSum().getIsMonotonic();
                    metadata(name, counter ? MetricType.COUNTER : MetricType.GAUGE, unit, m.getDescription());
                    numbers(otelName, name, m.getSum().getDataPointsList(), counter);
                }
                case HISTOGRAM -> {
                    if (!cumulative(otelName, m.getHistogram().getAggregationTemporality())) {
                        return;
                    }
                    metadata(name, MetricType.HISTOGRAM, unit, m.getDescription());
                    histograms(name, m.getHistogram().getDataPointsList());
                }
                case EXPONENTIAL_HISTOGRAM -> {
                    if (!settings.sendExponentialAsNative()) {
                        dropMetric(otelName, "exponential histogram not exported: native histograms are turned off"
                                + " (sendExponentialAsNative=false)");
                        return;
                    }
                    if (!cumulative(otelName, m.getExponentialHistogram().getAggregationTemporality())) {
                        return;
                    }
                    metadata(name, MetricType.HISTOGRAM, unit, m.getDescription());
                    exponentialHistograms(otelName, name, m.getExponentialHistogram().getDataPointsList());
                }
                case SUMMARY -> {
                    metadata(name, MetricType.SUMMARY, unit, m.getDescription());
                    summaries(name, m.getSummary().getDataPointsList());
                }
                default -> dropMetric(otelName, "metric has no data (no gauge, sum, histogram or summary)");
            }
        }

        private boolean cumulative(String otelName, AggregationTemporality t) {
            if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
                return true;
            }
            if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
                dropMetric(otelName, "DELTA temporality: Prometheus needs cumulative values and turning deltas"
                        + " into them needs state across requests; convert to cumulative upstream");
            } else {
                dropMetric(otelName, "aggregation temporality is unspecified (" + t + ")");
            }
            return false;
        }

        private void numbers(String otelName, String name, List<NumberDataPoint> points, boolean counter) {
            for (NumberDataPoint p : points) {
                boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
                double value;
                switch (p.getValueCase()) {
                    case AS_DOUBLE -> value = p.getAsDouble();
                    case AS_INT -> value = p.getAsInt();
                    default -> {
                        if (!stale) {
                            dropPoint(otelName, "data point has no value");
                            continue;
                        }
                        value = 0;
                    }
                }
                long ts = toMillis(p.getTimeUnixNano());
                seen(ts);
                Labels base = baseLabels(p.getAttributesList());
                openSeries(base.with(Labels.METRIC_NAME, name));
                emitSample(ts, stale ? SeriesSink.STALE_NAN : value);
                if (!stale) {
                    exemplars(p.getExemplarsList(), Double.NaN, Double.NaN);
                }
                if (counter) {
                    created(base, name.endsWith("_total") ? name.substring(0, name.length() - 6) : name,
                            p.getStartTimeUnixNano(), ts, stale);
                }
            }
        }

        private void histograms(String name, List<HistogramDataPoint> points) {
            String bucketName = name + "_bucket";
            for (HistogramDataPoint p : points) {
                boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
                long ts = toMillis(p.getTimeUnixNano());
                seen(ts);
                Labels base = baseLabels(p.getAttributesList());
                if (p.hasSum()) {
                    openSeries(base.with(Labels.METRIC_NAME, name + "_sum"));
                    emitSample(ts, stale ? SeriesSink.STALE_NAN : p.getSum());
                }
                openSeries(base.with(Labels.METRIC_NAME, name + "_count"));
                emitSample(ts, stale ? SeriesSink.STALE_NAN : p.getCount());

                Labels bucketBase = base.with(Labels.METRIC_NAME, bucketName);
                int bounds = Math.min(p.getExplicitBoundsCount(), p.getBucketCountsCount());
                long cumulativeCount = 0;
                double lower = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < bounds; i++) {
                    double upper = p.getExplicitBounds(i);
                    cumulativeCount += p.getBucketCounts(i);
                    openSeries(bucketBase.with(BUCKET_LABEL, PrometheusNames.formatFloat(upper)));
                    emitSample(ts, stale ? SeriesSink.STALE_NAN : cumulativeCount);
                    if (!stale) {
                        exemplars(p.getExemplarsList(), lower, upper);
                    }
                    lower = upper;
                }
                // The +Inf bucket holds every observation; the point's count is authoritative even
                // when bucket counts are missing or short.
                openSeries(bucketBase.with(BUCKET_LABEL, "+Inf"));
                emitSample(ts, stale ? SeriesSink.STALE_NAN : p.getCount());
                if (!stale) {
                    exemplars(p.getExemplarsList(), lower, Double.POSITIVE_INFINITY);
                }
                created(base, name, p.getStartTimeUnixNano(), ts, stale);
            }
        }

        private void summaries(String name, List<SummaryDataPoint> points) {
            for (SummaryDataPoint p : points) {
                boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
                long ts = toMillis(p.getTimeUnixNano());
                seen(ts);
                Labels base = baseLabels(p.getAttributesList());
                openSeries(base.with(Labels.METRIC_NAME, name + "_sum"));
                emitSample(ts, stale ? SeriesSink.STALE_NAN : p.getSum());
                openSeries(base.with(Labels.METRIC_NAME, name + "_count"));
                emitSample(ts, stale ? SeriesSink.STALE_NAN : p.getCount());
                Labels quantileBase = base.with(Labels.METRIC_NAME, name);
                for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
                    openSeries(quantileBase.with(QUANTILE_LABEL, PrometheusNames.formatFloat(q.getQuantile())));
                    emitSample(ts, stale ? SeriesSink.STALE_NAN : q.getValue());
                }
                created(base, name, p.getStartTimeUnixNano(), ts, stale);
            }
        }

        private void exponentialHistograms(String otelName, String name, List<ExponentialHistogramDataPoint> points) {
            for (ExponentialHistogramDataPoint p : points) {
                boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
                long ts = toMillis(p.getTimeUnixNano());
                NativeHistogram h = ExponentialHistograms.toNative(p, ts, stale);
                if (h == null) {
                    dropPoint(otelName, "exponential histogram scale " + p.getScale()
                            + " is below Prometheus' lowest schema " + ExponentialHistograms.MIN_SCHEMA);
                    continue;
                }
                seen(ts);
                openSeries(baseLabels(p.getAttributesList()).with(Labels.METRIC_NAME, name));
                histograms++;
                sink.histogram(h);
                if (!stale) {
                    exemplars(p.getExemplarsList(), Double.NaN, Double.NaN);
                }
            }
        }

        /**
         * The {@code _created} series (OpenMetrics): the start time in Unix seconds. Only for
         * points that have a start time, and not for staleness markers.
         */
        private void created(Labels base, String familyName, long startNanos, long ts, boolean stale) {
            if (!settings.exportCreatedMetric() || startNanos == 0 || stale) {
                return;
            }
            openSeries(base.with(Labels.METRIC_NAME, familyName + "_created"));
            emitSample(ts, toMillis(startNanos) / 1000.0);
        }

        /**
         * Emits the exemplars whose value falls in {@code (lower, upper]}; with NaN bounds all of
         * them (for series that are not histogram buckets).
         */
        private void exemplars(List<Exemplar> list, double lower, double upper) {
            for (int i = 0, n = list.size(); i < n; i++) {
                Exemplar e = list.get(i);
                double value;
                switch (e.getValueCase()) {
                    case AS_DOUBLE -> value = e.getAsDouble();
                    case AS_INT -> value = e.getAsInt();
                    default -> {
                        continue;
                    }
                }
                boolean anyBucket = Double.isNaN(lower);
                if (!anyBucket && !(value > lower && value <= upper)) {
                    continue;
                }
                exemplars++;
                sink.exemplar(exemplarLabels(e), value, toMillis(e.getTimeUnixNano()));
            }
        }

        private Labels exemplarLabels(Exemplar e) {
            Labels labels = Labels.empty();
            int used = 0;
            String traceId = hexOrNull(e.getTraceId());
            if (traceId != null) {
                labels = labels.with(TRACE_ID_LABEL, traceId);
                used += TRACE_ID_LABEL.length() + traceId.length();
            }
            String spanId = hexOrNull(e.getSpanId());
            if (spanId != null) {
                labels = labels.with(SPAN_ID_LABEL, spanId);
                used += SPAN_ID_LABEL.length() + spanId.length();
            }
            // Filtered attributes are extra context; they are kept only while the set stays within
            // OpenMetrics' limit, because a receiver rejects an exemplar that exceeds it.
            for (KeyValue kv : e.getFilteredAttributesList()) {
                String name = labelName(kv.getKey());
                String value = AttributeValues.asString(kv.getValue());
                if (name.isEmpty() || value.isEmpty() || labels.get(name) != null) {
                    continue;
                }
                int cost = name.length() + value.codePointCount(0, value.length());
                if (used + cost > EXEMPLAR_LABELS_MAX_CHARS) {
                    continue;
                }
                labels = labels.with(name, value);
                used += cost;
            }
            return labels;
        }

        /** Lower-case hex of an id, or null when it is empty or all zero (an invalid id). */
        private String hexOrNull(com.google.protobuf.ByteString id) {
            int n = id.size();
            boolean nonZero = false;
            for (int i = 0; i < n && !nonZero; i++) {
                nonZero = id.byteAt(i) != 0;
            }
            if (!nonZero) {
                return null;
            }
            hex.setLength(0);
            for (int i = 0; i < n; i++) {
                int b = id.byteAt(i) & 0xff;
                hex.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
            return hex.toString();
        }

        /** The labels of a point without {@code __name__} (or the reserved le/quantile). */
        private Labels baseLabels(List<KeyValue> attributes) {
            builder.reset();
            for (int i = 0, n = attributes.size(); i < n; i++) {
                KeyValue kv = attributes.get(i);
                builder.add(labelName(kv.getKey()), AttributeValues.asString(kv.getValue()),
                        LabelSetBuilder.RANK_ATTRIBUTE, kv.getKey());
            }
            if (settings.resourceToTelemetryConversion()) {
                for (KeyValue kv : resourceAttributes) {
                    // The point's own attribute wins over a resource attribute with the same key.
                    if (!hasKey(attributes, kv.getKey())) {
                        builder.add(labelName(kv.getKey()), AttributeValues.asString(kv.getValue()),
                                LabelSetBuilder.RANK_ATTRIBUTE, kv.getKey());
                    }
                }
            }
            if (settings.addScopeLabels()) {
                builder.add(SCOPE_NAME_LABEL, scopeName, LabelSetBuilder.RANK_SCOPE, SCOPE_NAME_LABEL);
                builder.add(SCOPE_VERSION_LABEL, scopeVersion, LabelSetBuilder.RANK_SCOPE, SCOPE_VERSION_LABEL);
            }
            addExternalAndIdentity();
            return builder.build();
        }

        private void addExternalAndIdentity() {
            for (Map.Entry<String, String> e : settings.externalLabels().entrySet()) {
                builder.add(e.getKey(), e.getValue(), LabelSetBuilder.RANK_EXTERNAL, e.getKey());
            }
            if (job != null) {
                builder.add(JOB_LABEL, job, LabelSetBuilder.RANK_RESOURCE_ID, JOB_LABEL);
            }
            if (instance != null) {
                builder.add(INSTANCE_LABEL, instance, LabelSetBuilder.RANK_RESOURCE_ID, INSTANCE_LABEL);
            }
        }

        private boolean hasKey(List<KeyValue> attributes, String key) {
            for (int i = 0, n = attributes.size(); i < n; i++) {
                if (attributes.get(i).getKey().equals(key)) {
                    return true;
                }
            }
            return false;
        }

        private String labelName(String key) {
            return labelNames.computeIfAbsent(key, PrometheusNames::labelName);
        }

        private void metadata(String family, MetricType type, String unit, String help) {
            if (metadataSent.add(family)) {
                sink.metadata(family, type, unit, help);
            }
        }

        private void openSeries(Labels labels) {
            series++;
            sink.series(labels);
        }

        private void emitSample(long ts, double v) {
            samples++;
            sink.sample(ts, v);
        }

        private void seen(long ts) {
            if (ts > latestMillis) {
                latestMillis = ts;
            }
        }

        private void dropMetric(String otelName, String reason) {
            droppedMetrics++;
            sink.dropped(otelName, reason);
        }

        private void dropPoint(String otelName, String reason) {
            droppedPoints++;
            sink.dropped(otelName, reason);
        }
    }
}
