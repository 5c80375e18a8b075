package io.mantis.collector.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.mantis.common.config.Endpoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExporterUnitsTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long S = 1_000_000_000L;

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static ExportMetricsServiceRequest req(List<KeyValue> resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.getDefaultInstance())
                        .addAllMetrics(List.of(metrics)))).build();
    }

    static ExportMetricsServiceRequest req(Metric... metrics) {
        return req(List.of(kv("service.name", "svc")), metrics);
    }

    static Metric counter(String name, AggregationTemporality t, long start, long time, double v, KeyValue... attrs) {
        return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(t).addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(start)
                        .setTimeUnixNano(time).setAsDouble(v).addAllAttributes(List.of(attrs)))).build();
    }

    static Metric gauge(String name, long time, double v, KeyValue... attrs) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint
                .newBuilder().setTimeUnixNano(time).setAsDouble(v).addAllAttributes(List.of(attrs)))).build();
    }

    static PrometheusExporterConfig config(boolean suffixes) {
        return new PrometheusExporterConfig(new Endpoint("127.0.0.1", 0), "", Map.of(), false, Duration.ofMinutes(5),
                null, true, suffixes, null);
    }

    @Nested
    class Names {
        @Test
        void metricNamesAreSanitizedAndGetUnitAndTypeSuffixes() {
            assertThat(PrometheusNames.familyName("http.server.duration", "s", false, false, "", true))
                    .isEqualTo("http_server_duration_seconds");
            assertThat(PrometheusNames.familyName("db..latency", "ms", false, false, "", true))
                    .isEqualTo("db_latency_milliseconds");
            assertThat(PrometheusNames.familyName("requests_total", "{request}", true, false, "", true))
                    .isEqualTo("requests");
            assertThat(PrometheusNames.familyName("memory.bytes.used", "By", false, true, "", true))
                    .as("already has the unit").isEqualTo("memory_bytes_used");
            assertThat(PrometheusNames.familyName("cpu.utilization", "1", false, true, "", true))
                    .isEqualTo("cpu_utilization_ratio");
            assertThat(PrometheusNames.familyName("hits", "1", true, false, "", true)).as("1 on counters: no suffix")
                    .isEqualTo("hits");
            assertThat(PrometheusNames.familyName("temp", "Cel", false, true, "", true))
                    .isEqualTo("temp_celsius");
            assertThat(PrometheusNames.familyName("9lives", "", false, true, "", true)).isEqualTo("_9lives");
            assertThat(PrometheusNames.familyName("a/b", "s", false, true, "my-app", true))
                    .isEqualTo("my_app_a_b_seconds");
            assertThat(PrometheusNames.familyName("x.y", "s", false, true, "", false)).isEqualTo("x_y");
        }

        @Test
        void labelNamesAndValues() {
            assertThat(PrometheusNames.labelName("http.method")).isEqualTo("http_method");
            assertThat(PrometheusNames.labelName("2xx")).isEqualTo("key_2xx");
            // As the collector: "__" names are kept (Prometheus reserves them), a single "_" gets "key".
            assertThat(PrometheusNames.labelName("__private")).isEqualTo("__private");
            assertThat(PrometheusNames.labelName("_private")).isEqualTo("key_private");
            assertThat(PrometheusNames.labelName("")).isEqualTo("key_");
            assertThat(PrometheusNames.value(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
            assertThat(PrometheusNames.value(AnyValue.newBuilder().setIntValue(-3).build())).isEqualTo("-3");
            assertThat(PrometheusNames.value(AnyValue.newBuilder().setDoubleValue(2.0).build())).isEqualTo("2");
            assertThat(PrometheusNames.value(AnyValue.newBuilder().setDoubleValue(0.5).build())).isEqualTo("0.5");
            assertThat(PrometheusNames.value(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setStringValue("a\"b"))
                    .addValues(AnyValue.newBuilder().setIntValue(1))).build())).isEqualTo("[\"a\\\"b\",1]");
            assertThat(PrometheusNames.value(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi"))
                    .build())).isEqualTo("aGk=");
        }
    }

    @Nested
    class Accumulation {
        final AtomicLong clock = new AtomicLong();
        final List<String> drops = new ArrayList<>();
        final Accumulator acc = new Accumulator(Duration.ofSeconds(60), clock::get,
                (reason, m, n) -> drops.add(reason + ":" + m.getName() + ":" + n));

        double value(String name) {
            return acc.snapshot().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().number()
                    .getAsDouble();
        }

        @Test
        void contiguousDeltasAddUpAndAGapStartsOver() {
            AggregationTemporality delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
            acc.accept(req(counter("c", delta, T0, T0 + S, 2)));
            acc.accept(req(counter("c", delta, T0 + S, T0 + 2 * S, 3)));
            assertThat(value("c")).isEqualTo(5);
            assertThat(acc.snapshot().get(0).startUnixNano()).isEqualTo(T0);
            acc.accept(req(counter("c", delta, T0 + 5 * S, T0 + 6 * S, 1)));
            assertThat(value("c")).as("not contiguous: starts over").isEqualTo(1);
        }

        @Test
        void deltaHistogramsAddUpBucketByBucket() {
            Metric.Builder m = Metric.newBuilder().setName("h");
            HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().addExplicitBounds(1).addBucketCounts(1)
                    .addBucketCounts(2).setCount(3).setSum(4);
            acc.accept(req(m.setHistogram(Histogram.newBuilder().setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(p.setStartTimeUnixNano(T0)
                    .setTimeUnixNano(T0 + S))).build()));
            acc.accept(req(m.setHistogram(Histogram.newBuilder().setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(p.setStartTimeUnixNano(T0 + S)
                    .setTimeUnixNano(T0 + 2 * S))).build()));
            HistogramDataPoint h = acc.snapshot().get(0).histogram();
            assertThat(h.getBucketCountsList()).containsExactly(2L, 4L);
            assertThat(h.getCount()).isEqualTo(6);
            assertThat(h.getSum()).isEqualTo(8);
            assertThat(h.getStartTimeUnixNano()).isEqualTo(T0);
        }

        @Test
        void olderPointsAreIgnoredAndSeriesAreKeyedByAttributesAndResource() {
            AggregationTemporality cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
            acc.accept(req(counter("c", cumulative, T0, T0 + 2 * S, 7)));
            acc.accept(req(counter("c", cumulative, T0, T0 + S, 5)));
            assertThat(value("c")).isEqualTo(7);
            acc.accept(req(counter("c", cumulative, T0, T0 + S, 1, kv("k", "v"))));
            acc.accept(req(List.of(kv("service.name", "other")), counter("c", cumulative, T0, T0 + S, 1)));
            assertThat(acc.size()).isEqualTo(3);
        }

        @Test
        void seriesExpireByTheirLastUpdate() {
            acc.accept(req(gauge("old", T0, 1)));
            clock.set(Duration.ofSeconds(50).toNanos());
            acc.accept(req(gauge("new", T0, 1)));
            clock.set(Duration.ofSeconds(61).toNanos());
            assertThat(acc.snapshot()).extracting(Accumulator.Series::name).containsExactly("new");
            clock.set(Duration.ofSeconds(111).toNanos());
            assertThat(acc.snapshot()).isEmpty();
        }

        @Test
        void unexposableTypesAreReportedAsDrops() {
            acc.accept(req(Metric.newBuilder().setName("u").setSum(Sum.newBuilder().addDataPoints(
                    NumberDataPoint.getDefaultInstance())).build()));
            acc.accept(req(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder().addDataPoints(
                    HistogramDataPoint.getDefaultInstance())).build()));
            assertThat(drops).containsExactly("UNSPECIFIED_TEMPORALITY:u:1", "UNSPECIFIED_TEMPORALITY:h:1");
            assertThat(acc.size()).isZero();
        }
    }

    @Nested
    class Writing {
        final List<String> problems = new ArrayList<>();
        final Accumulator acc = new Accumulator(Duration.ofMinutes(5), System::nanoTime, (r, m, n) -> { });

        String write(PrometheusExporterConfig config, boolean om, Metric... metrics) {
            acc.accept(req(metrics));
            return new ExpositionWriter(config, problems::add).write(acc.snapshot(), om);
        }

        @Test
        void openMetricsCarriesExemplarsCreatedAndUnits() {
            byte[] trace = HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c");
            Exemplar fast = Exemplar.newBuilder().setAsDouble(0.05).setTimeUnixNano(T0 + S)
                    .setTraceId(ByteString.copyFrom(trace)).build();
            Exemplar slow = Exemplar.newBuilder().setAsDouble(3).setTimeUnixNano(T0 + S)
                    .addFilteredAttributes(kv("user.id", "u1")).build();
            Metric h = Metric.newBuilder().setName("lat").setUnit("s").setHistogram(Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(T0).setTimeUnixNano(T0 + S)
                            .addExplicitBounds(0.1).addBucketCounts(1).addBucketCounts(1).setCount(2).setSum(3.05)
                            .addExemplars(fast).addExemplars(slow))).build();
            Metric c = Metric.newBuilder().setName("hits").setSum(Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T0).setTimeUnixNano(T0 + S)
                            .setAsInt(4).addExemplars(fast))).build();
            assertThat(write(config(true), true, h, c)).isEqualTo("""
                    # TYPE hits counter
                    hits_total{job="svc"} 4 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.05 1700000001.000
                    hits_created{job="svc"} 1700000000.000
                    # TYPE lat_seconds histogram
                    # UNIT lat_seconds seconds
                    lat_seconds_bucket{job="svc",le="0.1"} 1 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.05 1700000001.000
                    lat_seconds_bucket{job="svc",le="+Inf"} 2 # {user_id="u1"} 3 1700000001.000
                    lat_seconds_sum{job="svc"} 3.05
                    lat_seconds_count{job="svc"} 2
                    lat_seconds_created{job="svc"} 1700000000.000
                    # EOF
                    """);
        }

        @Test
        void conflictsAreDroppedAndReportedAndCollidingAttributesJoin() {
            Metric asGauge = gauge("thing", T0, 1);
            Metric asCounter = counter("thing", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, T0, T0, 2);
            Metric clash = gauge("queue_total", T0, 3);
            Metric queue = counter("queue", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, T0, T0, 4);
            Metric joined = gauge("joined", T0, 5, kv("a.b", "1"), kv("a_b", "2"), kv("a-b", "3"));
            String out = write(config(true), false, asGauge, asCounter, clash, queue, joined);
            assertThat(out).isEqualTo("""
                    # TYPE joined gauge
                    joined{a_b="3;1;2",job="svc"} 5
                    # TYPE queue_total counter
                    queue_total{job="svc"} 4
                    # TYPE thing gauge
                    thing{job="svc"} 1
                    """);
            assertThat(problems).containsExactlyInAnyOrder(
                    "metric thing is a counter but thing is already a gauge; dropped",
                    "family queue_total clashes with family queue over 'queue_total'; dropped");
        }

        @Test
        void unknownTypedGaugesStayUntypedAndSuffixesCanBeLeftOff() {
            Metric unknown = gauge("legacy", T0, 1).toBuilder().addMetadata(kv("prometheus.type", "unknown")).build();
            Metric c = counter("ops_total", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, T0, T0, 2)
                    .toBuilder().setUnit("s").build();
            assertThat(write(config(false), false, unknown, c)).isEqualTo("""
                    # TYPE legacy untyped
                    legacy{job="svc"} 1
                    # TYPE ops_total counter
                    ops_total{job="svc"} 2
                    """);
            assertThat(new ExpositionWriter(config(false), problems::add).write(acc.snapshot(), true)).isEqualTo("""
                    # TYPE legacy unknown
                    legacy{job="svc"} 1
                    # TYPE ops counter
                    ops_total{job="svc"} 2
                    ops_created{job="svc"} 1700000000.000
                    # EOF
                    """);
        }

        @Test
        void labelValuesAndHelpAreEscaped() {
            Metric m = gauge("g", T0, Double.NaN, kv("path", "a\\b\"c\nd")).toBuilder()
                    .setDescription("say \"hi\"\\now\n").build();
            assertThat(write(config(true), false, m)).isEqualTo("""
                    # HELP g say "hi"\\\\now\\n
                    # TYPE g gauge
                    g{job="svc",path="a\\\\b\\"c\\nd"} NaN
                    """);
        }
    }

    @Test
    void acceptNegotiation() {
        assertThat(PrometheusExporter.prefersOpenMetrics(null)).isFalse();
        assertThat(PrometheusExporter.prefersOpenMetrics("application/openmetrics-text;version=1.0.0;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")).isTrue();
        assertThat(PrometheusExporter.prefersOpenMetrics("text/plain,application/openmetrics-text;q=0.5")).isFalse();
        assertThat(PrometheusExporter.prefersOpenMetrics("*/*")).isFalse();
        assertThat(PrometheusExporter.acceptsGzip("gzip, deflate")).isTrue();
        assertThat(PrometheusExporter.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(PrometheusExporter.acceptsGzip(null)).isFalse();
    }
}
