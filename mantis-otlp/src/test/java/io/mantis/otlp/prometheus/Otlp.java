package io.mantis.otlp.prometheus;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/** Terse builders for OTLP metrics in tests. */
final class Otlp {

    static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    static final int NO_RECORDED_VALUE = 1;

    private Otlp() {
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attr(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static Resource resource(KeyValue... attrs) {
        return Resource.newBuilder().addAllAttributes(List.of(attrs)).build();
    }

    static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
        return request(resource, InstrumentationScope.newBuilder().setName("io.mantis.test").setVersion("1.2.3")
                .build(), metrics);
    }

    static ExportMetricsServiceRequest request(Resource resource, InstrumentationScope scope, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(resourceMetrics(resource, scope, metrics))
                .build();
    }

    static ResourceMetrics resourceMetrics(Resource resource, InstrumentationScope scope, Metric... metrics) {
        return ResourceMetrics.newBuilder()
                .setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope).addAllMetrics(List.of(metrics)))
                .build();
    }

    static NumberDataPoint.Builder point(long timeNanos, double value, KeyValue... attrs) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(timeNanos).setAsDouble(value)
                .addAllAttributes(List.of(attrs));
    }

    static NumberDataPoint.Builder intPoint(long timeNanos, long value, KeyValue... attrs) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(timeNanos).setAsInt(value)
                .addAllAttributes(List.of(attrs));
    }

    static Metric gauge(String name, String unit, NumberDataPoint.Builder... points) {
        Gauge.Builder g = Gauge.newBuilder();
        for (NumberDataPoint.Builder p : points) {
            g.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("gauge " + name).setGauge(g).build();
    }

    static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality t,
            NumberDataPoint.Builder... points) {
        Sum.Builder s = Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(t);
        for (NumberDataPoint.Builder p : points) {
            s.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("sum " + name).setSum(s).build();
    }

    static HistogramDataPoint.Builder histogramPoint(long timeNanos, double sum, List<Double> bounds,
            List<Long> counts, KeyValue... attrs) {
        long count = counts.stream().mapToLong(Long::longValue).sum();
        return HistogramDataPoint.newBuilder().setTimeUnixNano(timeNanos).setSum(sum).setCount(count)
                .addAllExplicitBounds(bounds).addAllBucketCounts(counts).addAllAttributes(List.of(attrs));
    }

    static Metric histogram(String name, String unit, AggregationTemporality t, HistogramDataPoint.Builder... points) {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(t);
        for (HistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("histogram " + name).setHistogram(h)
                .build();
    }

    static SummaryDataPoint.Builder summaryPoint(long timeNanos, double sum, long count, double[][] quantiles,
            KeyValue... attrs) {
        SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().setTimeUnixNano(timeNanos).setSum(sum)
                .setCount(count).addAllAttributes(List.of(attrs));
        for (double[] q : quantiles) {
            p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q[0]).setValue(q[1]));
        }
        return p;
    }

    static Metric summary(String name, String unit, SummaryDataPoint.Builder... points) {
        Summary.Builder s = Summary.newBuilder();
        for (SummaryDataPoint.Builder p : points) {
            s.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("summary " + name).setSummary(s)
                .build();
    }

    static ExponentialHistogramDataPoint.Buckets buckets(int offset, long... counts) {
        ExponentialHistogramDataPoint.Buckets.Builder b =
                ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset);
        for (long c : counts) {
            b.addBucketCounts(c);
        }
        return b.build();
    }

    static ExponentialHistogramDataPoint.Builder expPoint(long timeNanos, int scale, long zeroCount, double sum,
            ExponentialHistogramDataPoint.Buckets positive, ExponentialHistogramDataPoint.Buckets negative,
            KeyValue... attrs) {
        long count = zeroCount + positive.getBucketCountsList().stream().mapToLong(Long::longValue).sum()
                + negative.getBucketCountsList().stream().mapToLong(Long::longValue).sum();
        return ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(timeNanos).setScale(scale)
                .setZeroCount(zeroCount).setCount(count).setSum(sum).setPositive(positive).setNegative(negative)
                .addAllAttributes(List.of(attrs));
    }

    static Metric exponential(String name, String unit, AggregationTemporality t,
            ExponentialHistogramDataPoint.Builder... points) {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(t);
        for (ExponentialHistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("exp " + name)
                .setExponentialHistogram(h).build();
    }

    static Exemplar exemplar(long timeNanos, double value, String traceHex, String spanHex, KeyValue... filtered) {
        Exemplar.Builder e = Exemplar.newBuilder().setTimeUnixNano(timeNanos).setAsDouble(value)
                .addAllFilteredAttributes(List.of(filtered));
        if (traceHex != null) {
            e.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceHex)));
        }
        if (spanHex != null) {
            e.setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanHex)));
        }
        return e.build();
    }
}
