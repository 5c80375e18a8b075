package io.mantis.otlp.prometheus;

import static io.mantis.otlp.prometheus.Otlp.CUMULATIVE;
import static io.mantis.otlp.prometheus.Otlp.DELTA;
import static io.mantis.otlp.prometheus.Otlp.NO_RECORDED_VALUE;
import static io.mantis.otlp.prometheus.Otlp.attr;
import static io.mantis.otlp.prometheus.Otlp.buckets;
import static io.mantis.otlp.prometheus.Otlp.exemplar;
import static io.mantis.otlp.prometheus.Otlp.expPoint;
import static io.mantis.otlp.prometheus.Otlp.exponential;
import static io.mantis.otlp.prometheus.Otlp.gauge;
import static io.mantis.otlp.prometheus.Otlp.histogram;
import static io.mantis.otlp.prometheus.Otlp.histogramPoint;
import static io.mantis.otlp.prometheus.Otlp.intPoint;
import static io.mantis.otlp.prometheus.Otlp.point;
import static io.mantis.otlp.prometheus.Otlp.request;
import static io.mantis.otlp.prometheus.Otlp.resource;
import static io.mantis.otlp.prometheus.Otlp.resourceMetrics;
import static io.mantis.otlp.prometheus.Otlp.sum;
import static io.mantis.otlp.prometheus.Otlp.summary;
import static io.mantis.otlp.prometheus.Otlp.summaryPoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTranslatorTest {

    private static final long T = 1_700_000_000_123_456_789L;
    private static final long T_MS = 1_700_000_000_123L;
    private static final Resource SHOP = resource(
            attr("service.name", "checkout"),
            attr("service.namespace", "shop"),
            attr("service.instance.id", "pod-7"),
            attr("host.name", "node-1"),
            attr("deployment.environment", "prod"));

    private static RecordingSink translate(ExportMetricsServiceRequest req) {
        return translate(TranslationSettings.defaults(), req);
    }

    private static RecordingSink translate(TranslationSettings settings, ExportMetricsServiceRequest req) {
        RecordingSink sink = new RecordingSink();
        new PrometheusTranslator(settings).translate(req, sink);
        return sink;
    }

    // ---- gauges and sums ----

    @Test
    void gaugeBecomesOneSampleWithJobInstanceScopeAndAttributes() {
        RecordingSink sink = translate(request(SHOP,
                gauge("process.memory.usage", "By", point(T, 1234.5, attr("memory.type", "heap")))));

        RecordingSink.Series s = sink.one("process_memory_usage_bytes");
        assertThat(s.labels).isEqualTo(Labels.of(
                "__name__", "process_memory_usage_bytes",
                "job", "shop/checkout",
                "instance", "pod-7",
                "memory_type", "heap",
                "otel_scope_name", "io.mantis.test",
                "otel_scope_version", "1.2.3"));
        assertThat(s.samples).containsExactly(new RecordingSink.Sample(T_MS, 1234.5));
        assertThat(sink.metadata.get("process_memory_usage_bytes"))
                .isEqualTo(new RecordingSink.Metadata("process_memory_usage_bytes", MetricType.GAUGE, "bytes",
                        "gauge process.memory.usage"));
    }

    @Test
    void monotonicCumulativeSumIsACounterWithTotal() {
        RecordingSink sink = translate(request(SHOP,
                sum("http.server.requests", "{request}", true, CUMULATIVE,
                        intPoint(T, 42, attr("http.route", "/cart")),
                        intPoint(T, 7, attr("http.route", "/pay")))));

        assertThat(sink.one("http_server_requests_total", "http_route", "/cart").value()).isEqualTo(42.0);
        assertThat(sink.one("http_server_requests_total", "http_route", "/pay").value()).isEqualTo(7.0);
        assertThat(sink.metadata.get("http_server_requests_total").type()).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void nonMonotonicSumIsAGaugeWithoutTotal() {
        RecordingSink sink = translate(request(SHOP,
                sum("http.server.active_requests", "{request}", false, CUMULATIVE, intPoint(T, 3))));

        assertThat(sink.one("http_server_active_requests").value()).isEqualTo(3.0);
        assertThat(sink.metadata.get("http_server_active_requests").type()).isEqualTo(MetricType.GAUGE);
    }

    @Test
    void unitOneGaugeGetsRatio() {
        RecordingSink sink = translate(request(SHOP, gauge("system.cpu.utilization", "1", point(T, 0.25))));
        assertThat(sink.one("system_cpu_utilization_ratio").value()).isEqualTo(0.25);
        assertThat(sink.metadata.get("system_cpu_utilization_ratio").unit()).isEqualTo("ratio");
    }

    @Test
    void severalPointsOfOneStreamGoToTheSameSeries() {
        RecordingSink sink = translate(request(SHOP,
                gauge("queue.depth", "", point(T, 1), point(T + 1_000_000_000L, 2))));
        assertThat(sink.one("queue_depth").samples).extracting(RecordingSink.Sample::value).containsExactly(1.0, 2.0);
    }

    @Test
    void pointWithoutValueIsDroppedWithReason() {
        Metric m = Metric.newBuilder().setName("empty").setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                .addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().setTimeUnixNano(T)))
                .build();
        RecordingSink sink = new RecordingSink();
        TranslationStats stats = new PrometheusTranslator().translate(request(SHOP, m), sink);
        assertThat(sink.series).isEmpty();
        assertThat(sink.drops).extracting(RecordingSink.Drop::metric).containsExactly("empty");
        assertThat(stats.droppedPoints()).isEqualTo(1);
        assertThat(stats.droppedMetrics()).isZero();
    }

    // ---- temporality ----

    @Test
    void deltaSumsAndHistogramsAreRefusedPerMetric() {
        RecordingSink sink = new RecordingSink();
        TranslationStats stats = new PrometheusTranslator().translate(request(SHOP,
                sum("delta.requests", "", true, DELTA, intPoint(T, 5)),
                histogram("delta.latency", "s", DELTA, histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L))),
                exponential("delta.exp", "s", DELTA, expPoint(T, 0, 0, 1, buckets(0, 1), buckets(0))),
                sum("unspecified.sum", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED,
                        intPoint(T, 1)),
                gauge("kept", "", point(T, 1))), sink);

        assertThat(sink.names()).containsExactly("kept", "target_info");
        assertThat(sink.drops).extracting(RecordingSink.Drop::metric)
                .containsExactly("delta.requests", "delta.latency", "delta.exp", "unspecified.sum");
        assertThat(sink.drops.get(0).reason()).contains("DELTA");
        assertThat(sink.drops.get(3).reason()).contains("unspecified");
        assertThat(stats.droppedMetrics()).isEqualTo(4);
        assertThat(stats.metrics()).isEqualTo(5);
        assertThat(sink.metadata).containsOnlyKeys("kept", "target_info");
    }

    // ---- histograms and summaries ----

    @Test
    void histogramBecomesCumulativeBucketsSumAndCount() {
        RecordingSink sink = translate(request(SHOP,
                histogram("http.server.request.duration", "s", CUMULATIVE,
                        histogramPoint(T, 12.5, List.of(0.1, 0.5, 1.0), List.of(3L, 4L, 2L, 1L),
                                attr("http.route", "/cart")))));

        String n = "http_server_request_duration_seconds";
        assertThat(sink.one(n + "_bucket", "le", "0.1").value()).isEqualTo(3.0);
        assertThat(sink.one(n + "_bucket", "le", "0.5").value()).isEqualTo(7.0);
        assertThat(sink.one(n + "_bucket", "le", "1").value()).isEqualTo(9.0);
        assertThat(sink.one(n + "_bucket", "le", "+Inf").value()).isEqualTo(10.0);
        assertThat(sink.one(n + "_sum").value()).isEqualTo(12.5);
        assertThat(sink.one(n + "_count").value()).isEqualTo(10.0);
        assertThat(sink.one(n + "_bucket", "le", "0.5").labels.get("job")).isEqualTo("shop/checkout");
        assertThat(sink.one(n + "_bucket", "le", "0.5").labels.get("http_route")).isEqualTo("/cart");
        assertThat(sink.all(n + "_created")).isEmpty();
        assertThat(sink.metadata.get(n)).isEqualTo(
                new RecordingSink.Metadata(n, MetricType.HISTOGRAM, "seconds", "histogram http.server.request.duration"));
    }

    @Test
    void histogramWithoutSumOrBucketsStillHasCountAndInfBucket() {
        Metric m = histogram("jobs", "", CUMULATIVE,
                io.opentelemetry.proto.metrics.v1.HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(4));
        RecordingSink sink = translate(request(SHOP, m));
        assertThat(sink.names()).containsExactly("jobs_bucket", "jobs_count", "target_info");
        assertThat(sink.one("jobs_bucket", "le", "+Inf").value()).isEqualTo(4.0);
    }

    @Test
    void summaryBecomesQuantilesSumAndCount() {
        RecordingSink sink = translate(request(SHOP,
                summary("rpc.latency", "ms", summaryPoint(T, 500, 10, new double[][] {{0.5, 40}, {0.99, 120}}))));

        assertThat(sink.one("rpc_latency_milliseconds", "quantile", "0.5").value()).isEqualTo(40.0);
        assertThat(sink.one("rpc_latency_milliseconds", "quantile", "0.99").value()).isEqualTo(120.0);
        assertThat(sink.one("rpc_latency_milliseconds_sum").value()).isEqualTo(500.0);
        assertThat(sink.one("rpc_latency_milliseconds_count").value()).isEqualTo(10.0);
        assertThat(sink.metadata.get("rpc_latency_milliseconds").type()).isEqualTo(MetricType.SUMMARY);
    }

    @Test
    void createdSeriesCarryTheStartTimeInSecondsWhenEnabled() {
        long start = T - 60_000_000_000L;
        TranslationSettings settings = TranslationSettings.defaults().withExportCreatedMetric(true);
        RecordingSink sink = translate(settings, request(SHOP,
                sum("requests", "", true, CUMULATIVE, intPoint(T, 1).setStartTimeUnixNano(start)),
                histogram("latency", "s", CUMULATIVE,
                        histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L)).setStartTimeUnixNano(start)),
                summary("sizes", "", summaryPoint(T, 1, 1, new double[][] {}).setStartTimeUnixNano(start)),
                sum("no.start", "", true, CUMULATIVE, intPoint(T, 1)),
                gauge("temperature", "", point(T, 1).setStartTimeUnixNano(start))));

        double startSeconds = (T_MS - 60_000) / 1000.0;
        assertThat(sink.one("requests_created").samples).containsExactly(new RecordingSink.Sample(T_MS, startSeconds));
        assertThat(sink.one("latency_seconds_created").value()).isEqualTo(startSeconds);
        assertThat(sink.one("sizes_created").value()).isEqualTo(startSeconds);
        assertThat(sink.all("no_start_created")).isEmpty();
        assertThat(sink.all("temperature_created")).isEmpty();
    }

    // ---- exponential histograms ----

    @Test
    void exponentialHistogramBecomesANativeHistogram() {
        RecordingSink sink = translate(request(SHOP,
                exponential("http.client.duration", "s", CUMULATIVE,
                        expPoint(T, 3, 2, 17.5, buckets(-2, 1, 0, 3), buckets(1, 4)))));

        RecordingSink.Series s = sink.one("http_client_duration_seconds");
        assertThat(s.samples).isEmpty();
        assertThat(s.histograms).hasSize(1);
        NativeHistogram h = s.histograms.get(0);
        assertThat(h.timestampMillis()).isEqualTo(T_MS);
        assertThat(h.schema()).isEqualTo(3);
        assertThat(h.count()).isEqualTo(10);
        assertThat(h.zeroCount()).isEqualTo(2);
        assertThat(h.sum()).isEqualTo(17.5);
        // OTLP index i is Prometheus index i+1; the empty middle bucket is a one-bucket gap.
        assertThat(h.positiveBuckets()).containsExactly(
                new NativeHistogram.Bucket(-1, 1), new NativeHistogram.Bucket(0, 0), new NativeHistogram.Bucket(1, 3));
        assertThat(h.negativeBuckets()).containsExactly(new NativeHistogram.Bucket(2, 4));
        assertThat(sink.metadata.get("http_client_duration_seconds").type()).isEqualTo(MetricType.HISTOGRAM);
    }

    @Test
    void exponentialHistogramsAreDroppedWhenNativeIsOff() {
        RecordingSink sink = translate(TranslationSettings.defaults().withSendExponentialAsNative(false),
                request(SHOP, exponential("h", "", CUMULATIVE, expPoint(T, 0, 0, 1, buckets(0, 1), buckets(0)))));
        assertThat(sink.series).isEmpty();
        assertThat(sink.drops).singleElement().satisfies(d -> assertThat(d.reason()).contains("native"));
    }

    @Test
    void exponentialScaleBelowMinusFourIsDroppedPerPoint() {
        RecordingSink sink = new RecordingSink();
        TranslationStats stats = new PrometheusTranslator().translate(request(SHOP,
                exponential("h", "", CUMULATIVE,
                        expPoint(T, -5, 0, 1, buckets(0, 1), buckets(0)),
                        expPoint(T, -4, 0, 1, buckets(0, 1), buckets(0), attr("ok", "yes")))), sink);
        assertThat(sink.one("h").labels.get("ok")).isEqualTo("yes");
        assertThat(stats.droppedPoints()).isEqualTo(1);
        assertThat(sink.drops).singleElement().satisfies(d -> assertThat(d.reason()).contains("-5"));
    }

    // ---- staleness ----

    @Test
    void noRecordedValueBecomesTheStalenessMarkerForEveryType() {
        RecordingSink sink = translate(request(SHOP,
                gauge("g", "", point(T, 5).setFlags(NO_RECORDED_VALUE)),
                sum("c", "", true, CUMULATIVE,
                        io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().setTimeUnixNano(T)
                                .setFlags(NO_RECORDED_VALUE)),
                histogram("h", "", CUMULATIVE,
                        histogramPoint(T, 3, List.of(1.0), List.of(1L, 1L)).setFlags(NO_RECORDED_VALUE)
                                .addExemplars(exemplar(T, 0.5, "0102030405060708090a0b0c0d0e0f10", null))),
                summary("s", "", summaryPoint(T, 1, 1, new double[][] {{0.5, 1}}).setFlags(NO_RECORDED_VALUE)),
                exponential("e", "", CUMULATIVE,
                        expPoint(T, 0, 1, 1, buckets(0, 1), buckets(0)).setFlags(NO_RECORDED_VALUE))));

        for (String name : List.of("g", "c_total", "h_bucket", "h_sum", "h_count", "s", "s_sum", "s_count")) {
            for (RecordingSink.Series s : sink.all(name)) {
                assertThat(s.samples).as(s.labels.toString()).singleElement().satisfies(sample -> {
                    assertThat(Double.doubleToRawLongBits(sample.value())).isEqualTo(SeriesSink.STALE_NAN_BITS);
                    assertThat(sample.timestampMillis()).isEqualTo(T_MS);
                });
                assertThat(s.exemplars).isEmpty();
            }
        }
        assertThat(sink.all("h_bucket")).hasSize(2);
        NativeHistogram h = sink.one("e").histograms.get(0);
        assertThat(h.isStaleMarker()).isTrue();
        assertThat(h.positiveBuckets()).isEmpty();
    }

    @Test
    void staleMarkerConstantHasPrometheusBits() {
        assertThat(Double.doubleToRawLongBits(SeriesSink.STALE_NAN)).isEqualTo(0x7ff0000000000002L);
        assertThat(SeriesSink.isStaleMarker(SeriesSink.STALE_NAN)).isTrue();
        assertThat(SeriesSink.isStaleMarker(Double.NaN)).isFalse();
    }

    // ---- exemplars ----

    @Test
    void exemplarsCarryHexTraceAndSpanIds() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String span = "00f067aa0ba902b7";
        RecordingSink sink = translate(request(SHOP,
                sum("requests", "", true, CUMULATIVE, intPoint(T, 10)
                        .addExemplars(exemplar(T - 5_000_000L, 1.0, trace, span, attr("user.id", "u-1"))))));

        assertThat(sink.one("requests_total").exemplars).containsExactly(new RecordingSink.ExemplarEntry(
                Labels.of("trace_id", trace, "span_id", span, "user_id", "u-1"), 1.0, T_MS - 5));
    }

    @Test
    void exemplarWithZeroIdsHasNoIdLabelsAndLongAttributesAreLeftOut() {
        RecordingSink sink = translate(request(SHOP,
                gauge("g", "", point(T, 1).addExemplars(exemplar(T, 2, "00000000000000000000000000000000", null,
                        attr("big", "x".repeat(200)), attr("small", "y"))))));
        assertThat(sink.one("g").exemplars).singleElement()
                .satisfies(e -> assertThat(e.labels()).isEqualTo(Labels.of("small", "y")));
    }

    @Test
    void histogramExemplarsAttachToTheBucketHoldingTheirValue() {
        RecordingSink sink = translate(request(SHOP,
                histogram("lat", "s", CUMULATIVE,
                        histogramPoint(T, 10, List.of(0.1, 1.0), List.of(1L, 1L, 1L))
                                .addExemplars(exemplar(T, 0.05, "01000000000000000000000000000000", null))
                                .addExemplars(exemplar(T, 0.1, "02000000000000000000000000000000", null))
                                .addExemplars(exemplar(T, 0.7, "03000000000000000000000000000000", null))
                                .addExemplars(exemplar(T, 9.0, "04000000000000000000000000000000", null)))));

        assertThat(sink.one("lat_seconds_bucket", "le", "0.1").exemplars).extracting(e -> e.value())
                .containsExactly(0.05, 0.1);
        assertThat(sink.one("lat_seconds_bucket", "le", "1").exemplars).extracting(e -> e.value())
                .containsExactly(0.7);
        assertThat(sink.one("lat_seconds_bucket", "le", "+Inf").exemplars).extracting(e -> e.value())
                .containsExactly(9.0);
        assertThat(sink.one("lat_seconds_sum").exemplars).isEmpty();
    }

    @Test
    void nativeHistogramExemplarsAttachToTheHistogramSeries() {
        RecordingSink sink = translate(request(SHOP,
                exponential("e", "", CUMULATIVE, expPoint(T, 0, 0, 1, buckets(0, 1), buckets(0))
                        .addExemplars(exemplar(T, 1.5, "0a000000000000000000000000000000", "0b00000000000000")))));
        assertThat(sink.one("e").exemplars).singleElement().satisfies(e -> {
            assertThat(e.labels().get("trace_id")).isEqualTo("0a000000000000000000000000000000");
            assertThat(e.labels().get("span_id")).isEqualTo("0b00000000000000");
        });
    }

    // ---- labels ----

    @Test
    void attributesCollidingAfterSanitisingAreJoinedInKeyOrder() {
        RecordingSink sink = translate(request(SHOP, gauge("g", "", point(T, 1,
                attr("http_method", "b"), attr("http.method", "a"), attr("http-method", "c")))));
        // Sorted by original key: "http-method" < "http.method" < "http_method".
        assertThat(sink.one("g").labels.get("http_method")).isEqualTo("c;a;b");
    }

    @Test
    void labelPrecedenceReservedOverJobOverScopeOverAttributesOverExternal() {
        TranslationSettings settings = TranslationSettings.defaults()
                .withExternalLabels(Map.of("cluster", "eu-1", "region", "west", "job", "external"));
        RecordingSink sink = translate(settings, request(SHOP,
                histogram("h", "", CUMULATIVE, histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L),
                        attr("le", "bogus"), attr("__name__", "bogus"), attr("job", "attr"),
                        attr("otel_scope_name", "attr"), attr("region", "east")))));

        Labels l = sink.one("h_bucket", "le", "1").labels;
        assertThat(l.get("job")).isEqualTo("shop/checkout");
        assertThat(l.get("otel_scope_name")).isEqualTo("io.mantis.test");
        assertThat(l.get("region")).isEqualTo("east");
        assertThat(l.get("cluster")).isEqualTo("eu-1");
    }

    @Test
    void attributeValuesOfEveryTypeBecomeText() {
        AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("a"))
                .addValues(AnyValue.newBuilder().setIntValue(2))).build();
        AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(attr("k", "v"))
                .addValues(attr("on", AnyValue.newBuilder().setBoolValue(true).build()))).build();
        RecordingSink sink = translate(request(SHOP, gauge("g", "", point(T, 1,
                attr("s", "text"), attr("i", 42),
                attr("d", AnyValue.newBuilder().setDoubleValue(0.5).build()),
                attr("b", AnyValue.newBuilder().setBoolValue(false).build()),
                attr("bytes", AnyValue.newBuilder().setBytesValue(com.google.protobuf.ByteString.copyFromUtf8("hi"))
                        .build()),
                attr("arr", array), attr("map", map),
                attr("empty", "")))));

        Labels l = sink.one("g").labels;
        assertThat(l.get("s")).isEqualTo("text");
        assertThat(l.get("i")).isEqualTo("42");
        assertThat(l.get("d")).isEqualTo("0.5");
        assertThat(l.get("b")).isEqualTo("false");
        assertThat(l.get("bytes")).isEqualTo("aGk=");
        assertThat(l.get("arr")).isEqualTo("[\"a\",2]");
        assertThat(l.get("map")).isEqualTo("{\"k\":\"v\",\"on\":true}");
        assertThat(l.get("empty")).isNull();
    }

    @Test
    void jobIsServiceNameAloneWithoutNamespaceAndAbsentWithoutServiceName() {
        RecordingSink a = translate(request(resource(attr("service.name", "api")), gauge("g", "", point(T, 1))));
        assertThat(a.one("g").labels.get("job")).isEqualTo("api");
        assertThat(a.one("g").labels.get("instance")).isNull();

        RecordingSink b = translate(request(resource(attr("service.namespace", "ns"), attr("host.name", "h")),
                gauge("g", "", point(T, 1))));
        assertThat(b.one("g").labels.get("job")).isNull();
    }

    @Test
    void scopeLabelsCanBeTurnedOffAndEmptyOnesAreLeftOut() {
        RecordingSink off = translate(TranslationSettings.defaults().withAddScopeLabels(false),
                request(SHOP, gauge("g", "", point(T, 1))));
        assertThat(off.one("g").labels.get("otel_scope_name")).isNull();

        RecordingSink noVersion = translate(request(SHOP,
                InstrumentationScope.newBuilder().setName("lib").build(), gauge("g", "", point(T, 1))));
        assertThat(noVersion.one("g").labels.get("otel_scope_name")).isEqualTo("lib");
        assertThat(noVersion.one("g").labels.get("otel_scope_version")).isNull();
    }

    @Test
    void resourceToTelemetryConversionCopiesResourceAttributesButPointAttributesWin() {
        TranslationSettings settings = TranslationSettings.defaults().withResourceToTelemetryConversion(true);
        RecordingSink sink = translate(settings, request(SHOP,
                gauge("g", "", point(T, 1, attr("host.name", "from-point")))));
        Labels l = sink.one("g").labels;
        assertThat(l.get("host_name")).isEqualTo("from-point");
        assertThat(l.get("deployment_environment")).isEqualTo("prod");
        assertThat(l.get("service_name")).isEqualTo("checkout");
        assertThat(l.get("job")).isEqualTo("shop/checkout");
    }

    // ---- target_info ----

    @Test
    void targetInfoCarriesOtherResourceAttributesOncePerResource() {
        RecordingSink sink = translate(request(SHOP,
                gauge("a", "", point(T, 1)),
                gauge("b", "", point(T + 2_000_000_000L, 1))));

        RecordingSink.Series info = sink.one("target_info");
        assertThat(info.labels).isEqualTo(Labels.of(
                "__name__", "target_info",
                "job", "shop/checkout",
                "instance", "pod-7",
                "host_name", "node-1",
                "deployment_environment", "prod"));
        // At the resource's latest point.
        assertThat(info.samples).containsExactly(new RecordingSink.Sample(T_MS + 2000, 1.0));
        assertThat(sink.metadata.get("target_info").type()).isEqualTo(MetricType.GAUGE);
        // Ordinary series do not get the other resource attributes.
        assertThat(sink.one("a").labels.get("host_name")).isNull();
    }

    @Test
    void targetInfoIsSkippedWithOnlyServiceAttributesWhenDisabledAndWithoutPoints() {
        Resource onlyService = resource(attr("service.name", "api"), attr("service.instance.id", "i-1"));
        assertThat(translate(request(onlyService, gauge("g", "", point(T, 1)))).all("target_info")).isEmpty();
        assertThat(translate(TranslationSettings.defaults().withDisableTargetInfo(true),
                request(SHOP, gauge("g", "", point(T, 1)))).all("target_info")).isEmpty();
        assertThat(translate(request(SHOP, gauge("g", ""))).series).isEmpty();
    }

    @Test
    void identicalResourcesInOneBatchGiveOneTargetInfoSample() {
        InstrumentationScope scope = InstrumentationScope.newBuilder().setName("s").build();
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(resourceMetrics(SHOP, scope, gauge("a", "", point(T, 1))))
                .addResourceMetrics(resourceMetrics(SHOP, scope, gauge("b", "", point(T, 1))))
                .addResourceMetrics(resourceMetrics(resource(attr("service.name", "other"), attr("k", "v")), scope,
                        gauge("c", "", point(T, 1))))
                .build();
        RecordingSink sink = translate(req);
        assertThat(sink.all("target_info")).extracting(s -> s.labels.get("job"), s -> s.samples.size())
                .containsExactlyInAnyOrder(tuple("shop/checkout", 1), tuple("other", 1));
    }

    @Test
    void namespacePrefixesMetricsAndTargetInfo() {
        RecordingSink sink = translate(TranslationSettings.defaults().withNamespace("mantis"),
                request(SHOP, sum("requests", "", true, CUMULATIVE, intPoint(T, 1))));
        assertThat(sink.names()).containsExactly("mantis_requests_total", "mantis_target_info");
    }

    @Test
    void withoutSuffixesNamesAreOnlyCleaned() {
        RecordingSink sink = translate(TranslationSettings.defaults().withAddMetricSuffixes(false),
                request(SHOP,
                        sum("http.server.requests", "{request}", true, CUMULATIVE, intPoint(T, 1)),
                        gauge("cpu.utilization", "1", point(T, 1)),
                        histogram("latency", "s", CUMULATIVE, histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L)))));
        assertThat(sink.names()).containsExactly("cpu_utilization", "http_server_requests", "latency_bucket",
                "latency_count", "latency_sum", "target_info");
    }

    @Test
    void metricWithoutDataOrValidNameIsDropped() {
        RecordingSink sink = translate(request(SHOP,
                Metric.newBuilder().setName("nodata").build(),
                gauge("...", "", point(T, 1))));
        assertThat(sink.drops).extracting(RecordingSink.Drop::metric).containsExactly("nodata", "...");
        assertThat(sink.series).isEmpty();
    }

    @Test
    void statsCountWhatWasEmitted() {
        RecordingSink sink = new RecordingSink();
        TranslationStats stats = new PrometheusTranslator().translate(request(SHOP,
                gauge("g", "", point(T, 1).addExemplars(exemplar(T, 1, "01000000000000000000000000000000", null))),
                histogram("h", "", CUMULATIVE, histogramPoint(T, 1, List.of(1.0), List.of(1L, 0L))),
                exponential("e", "", CUMULATIVE, expPoint(T, 0, 0, 1, buckets(0, 1), buckets(0)))), sink);
        // g: 1; h: sum, count, le=1, +Inf; e: 1 histogram; target_info: 1.
        assertThat(stats).isEqualTo(new TranslationStats(3, 7, 6, 1, 1, 0, 0));
    }

    @Test
    void metricNameHelperMatchesTheEmittedName() {
        Metric m = sum("http.server.requests", "{request}", true, CUMULATIVE, intPoint(T, 1));
        assertThat(new PrometheusTranslator().metricName(m)).isEqualTo("http_server_requests_total");
    }
}
