package io.mantis.otlp.json;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
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
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Builds varied OTLP messages from a seed, leaning on edge values (zero, all bits set, NaN, -0.0,
 * unknown enum numbers, empty ids, escapes) because that is where an encoding goes wrong.
 */
final class RandomOtlp {

    private static final String[] FRAGMENTS = {"a", "Z", "7", " ", "service.name", "\"", "\\", "/", "\n", "\t",
            "\u0000", "\u001f", "\u007f", "\u00e9", "\u4e2d", "\u2028", "\ud83d\ude00", "<>&'", "{}[]:,", "null"};

    private final Random r;

    RandomOtlp(long seed) {
        this.r = new Random(seed);
    }

    // ---- requests ----

    ExportTraceServiceRequest traces() {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder();
            if (chance(80)) {
                rs.setResource(resource());
            }
            if (chance(30)) {
                rs.setSchemaUrl(string());
            }
            for (int j = r.nextInt(3); j > 0; j--) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder();
                if (chance(80)) {
                    ss.setScope(scope());
                }
                if (chance(20)) {
                    ss.setSchemaUrl(string());
                }
                for (int k = r.nextInt(4); k > 0; k--) {
                    ss.addSpans(span());
                }
                rs.addScopeSpans(ss);
            }
            b.addResourceSpans(rs);
        }
        return b.build();
    }

    ExportMetricsServiceRequest metrics() {
        ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
            ResourceMetrics.Builder rm = ResourceMetrics.newBuilder();
            if (chance(80)) {
                rm.setResource(resource());
            }
            if (chance(30)) {
                rm.setSchemaUrl(string());
            }
            for (int j = r.nextInt(3); j > 0; j--) {
                ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
                if (chance(80)) {
                    sm.setScope(scope());
                }
                for (int k = r.nextInt(6); k > 0; k--) {
                    sm.addMetrics(metric());
                }
                rm.addScopeMetrics(sm);
            }
            b.addResourceMetrics(rm);
        }
        return b.build();
    }

    ExportLogsServiceRequest logs() {
        ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
            ResourceLogs.Builder rl = ResourceLogs.newBuilder();
            if (chance(80)) {
                rl.setResource(resource());
            }
            if (chance(30)) {
                rl.setSchemaUrl(string());
            }
            for (int j = r.nextInt(3); j > 0; j--) {
                ScopeLogs.Builder sl = ScopeLogs.newBuilder();
                if (chance(80)) {
                    sl.setScope(scope());
                }
                for (int k = r.nextInt(4); k > 0; k--) {
                    sl.addLogRecords(logRecord());
                }
                rl.addScopeLogs(sl);
            }
            b.addResourceLogs(rl);
        }
        return b.build();
    }

    ExportTraceServiceResponse traceResponse() {
        ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
        if (chance(70)) {
            b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(maybe(this::anyLong, 0L)).setErrorMessage(maybe(this::string, "")));
        }
        return b.build();
    }

    ExportMetricsServiceResponse metricsResponse() {
        ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
        if (chance(70)) {
            b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(maybe(this::anyLong, 0L)).setErrorMessage(maybe(this::string, "")));
        }
        return b.build();
    }

    ExportLogsServiceResponse logsResponse() {
        ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
        if (chance(70)) {
            b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(maybe(this::anyLong, 0L)).setErrorMessage(maybe(this::string, "")));
        }
        return b.build();
    }

    // ---- traces ----

    private Span span() {
        Span.Builder s = Span.newBuilder()
                .setTraceId(id(16))
                .setSpanId(id(8))
                .setParentSpanId(chance(40) ? ByteString.EMPTY : id(8))
                .setName(string())
                .setKindValue(enumNumber(5))
                .setStartTimeUnixNano(anyLong())
                .setEndTimeUnixNano(anyLong());
        if (chance(30)) {
            s.setTraceState(string());
        }
        if (chance(40)) {
            s.setFlags(anyInt());
        }
        s.addAllAttributes(attributes(2));
        if (chance(20)) {
            s.setDroppedAttributesCount(anyInt());
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            s.addEvents(Span.Event.newBuilder().setTimeUnixNano(anyLong()).setName(string())
                    .addAllAttributes(attributes(2)).setDroppedAttributesCount(maybe(this::anyInt, 0)));
        }
        if (chance(20)) {
            s.setDroppedEventsCount(anyInt());
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            s.addLinks(Span.Link.newBuilder().setTraceId(id(16)).setSpanId(id(8))
                    .setTraceState(maybe(this::string, "")).addAllAttributes(attributes(2))
                    .setDroppedAttributesCount(maybe(this::anyInt, 0)).setFlags(maybe(this::anyInt, 0)));
        }
        if (chance(20)) {
            s.setDroppedLinksCount(anyInt());
        }
        if (chance(50)) {
            s.setStatus(Status.newBuilder().setMessage(maybe(this::string, "")).setCodeValue(enumNumber(2)));
        }
        return s.build();
    }

    // ---- metrics ----

    private Metric metric() {
        Metric.Builder m = Metric.newBuilder().setName(string());
        if (chance(50)) {
            m.setDescription(string());
        }
        if (chance(50)) {
            m.setUnit(string());
        }
        if (chance(20)) {
            m.addAllMetadata(attributes(1));
        }
        switch (r.nextInt(6)) {
            case 0 -> {
                Gauge.Builder g = Gauge.newBuilder();
                for (int i = r.nextInt(3); i > 0; i--) {
                    g.addDataPoints(numberPoint());
                }
                m.setGauge(g);
            }
            case 1 -> {
                Sum.Builder s = Sum.newBuilder().setAggregationTemporalityValue(enumNumber(2))
                        .setIsMonotonic(r.nextBoolean());
                for (int i = r.nextInt(3); i > 0; i--) {
                    s.addDataPoints(numberPoint());
                }
                m.setSum(s);
            }
            case 2 -> {
                Histogram.Builder h = Histogram.newBuilder().setAggregationTemporalityValue(enumNumber(2));
                for (int i = r.nextInt(3); i > 0; i--) {
                    h.addDataPoints(histogramPoint());
                }
                m.setHistogram(h);
            }
            case 3 -> {
                ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder()
                        .setAggregationTemporalityValue(enumNumber(2));
                for (int i = r.nextInt(3); i > 0; i--) {
                    h.addDataPoints(exponentialPoint());
                }
                m.setExponentialHistogram(h);
            }
            case 4 -> {
                Summary.Builder s = Summary.newBuilder();
                for (int i = r.nextInt(3); i > 0; i--) {
                    s.addDataPoints(summaryPoint());
                }
                m.setSummary(s);
            }
            default -> {
                // No data: a metric whose oneof is unset must round-trip as such.
            }
        }
        return m.build();
    }

    private NumberDataPoint numberPoint() {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().addAllAttributes(attributes(2))
                .setStartTimeUnixNano(anyLong()).setTimeUnixNano(anyLong()).setFlags(maybe(this::anyInt, 0));
        switch (r.nextInt(3)) {
            case 0 -> p.setAsDouble(anyDouble());
            case 1 -> p.setAsInt(anyLong());
            default -> {
                // neither: the value oneof is unset
            }
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            p.addExemplars(exemplar());
        }
        return p.build();
    }

    private Exemplar exemplar() {
        Exemplar.Builder e = Exemplar.newBuilder().addAllFilteredAttributes(attributes(1))
                .setTimeUnixNano(anyLong()).setSpanId(id(8)).setTraceId(id(16));
        if (r.nextBoolean()) {
            e.setAsDouble(anyDouble());
        } else {
            e.setAsInt(anyLong());
        }
        return e.build();
    }

    private HistogramDataPoint histogramPoint() {
        HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().addAllAttributes(attributes(2))
                .setStartTimeUnixNano(anyLong()).setTimeUnixNano(anyLong()).setCount(anyLong())
                .setFlags(maybe(this::anyInt, 0));
        if (chance(70)) {
            p.setSum(anyDouble());
        }
        if (chance(60)) {
            p.setMin(anyDouble());
        }
        if (chance(60)) {
            p.setMax(anyDouble());
        }
        int buckets = r.nextInt(5);
        for (int i = 0; i < buckets; i++) {
            p.addBucketCounts(anyLong());
            if (i > 0) {
                p.addExplicitBounds(anyDouble());
            }
        }
        for (int i = r.nextInt(2); i > 0; i--) {
            p.addExemplars(exemplar());
        }
        return p.build();
    }

    private ExponentialHistogramDataPoint exponentialPoint() {
        ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder()
                .addAllAttributes(attributes(2)).setStartTimeUnixNano(anyLong()).setTimeUnixNano(anyLong())
                .setCount(anyLong()).setScale(maybe(this::anyInt, 0)).setZeroCount(anyLong())
                .setFlags(maybe(this::anyInt, 0)).setZeroThreshold(maybe(this::anyDouble, 0.0));
        if (chance(70)) {
            p.setSum(anyDouble());
        }
        if (chance(50)) {
            p.setMin(anyDouble());
        }
        if (chance(50)) {
            p.setMax(anyDouble());
        }
        if (chance(70)) {
            p.setPositive(buckets());
        }
        if (chance(50)) {
            p.setNegative(buckets());
        }
        for (int i = r.nextInt(2); i > 0; i--) {
            p.addExemplars(exemplar());
        }
        return p.build();
    }

    private ExponentialHistogramDataPoint.Buckets buckets() {
        ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder()
                .setOffset(maybe(this::anyInt, 0));
        for (int i = r.nextInt(5); i > 0; i--) {
            b.addBucketCounts(anyLong());
        }
        return b.build();
    }

    private SummaryDataPoint summaryPoint() {
        SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().addAllAttributes(attributes(2))
                .setStartTimeUnixNano(anyLong()).setTimeUnixNano(anyLong()).setCount(anyLong())
                .setSum(anyDouble()).setFlags(maybe(this::anyInt, 0));
        for (int i = r.nextInt(4); i > 0; i--) {
            p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                    .setQuantile(maybe(this::anyDouble, 0.0)).setValue(anyDouble()));
        }
        return p.build();
    }

    // ---- logs ----

    private LogRecord logRecord() {
        LogRecord.Builder l = LogRecord.newBuilder()
                .setTimeUnixNano(maybe(this::anyLong, 0L))
                .setObservedTimeUnixNano(anyLong())
                .setSeverityNumberValue(enumNumber(24))
                .setSeverityText(maybe(this::string, ""))
                .addAllAttributes(attributes(3))
                .setDroppedAttributesCount(maybe(this::anyInt, 0))
                .setFlags(maybe(this::anyInt, 0))
                .setTraceId(chance(30) ? ByteString.EMPTY : id(16))
                .setSpanId(chance(30) ? ByteString.EMPTY : id(8))
                .setEventName(maybe(this::string, ""));
        if (chance(80)) {
            l.setBody(anyValue(0));
        }
        return l.build();
    }

    // ---- common ----

    private Resource resource() {
        Resource.Builder b = Resource.newBuilder().addAllAttributes(attributes(3))
                .setDroppedAttributesCount(maybe(this::anyInt, 0));
        if (chance(20)) {
            b.addEntityRefs(EntityRef.newBuilder().setSchemaUrl(maybe(this::string, "")).setType(string())
                    .addIdKeys(string()).addDescriptionKeys(string()).addDescriptionKeys(string()));
        }
        return b.build();
    }

    private InstrumentationScope scope() {
        return InstrumentationScope.newBuilder().setName(string()).setVersion(maybe(this::string, ""))
                .addAllAttributes(attributes(1)).setDroppedAttributesCount(maybe(this::anyInt, 0)).build();
    }

    private List<KeyValue> attributes(int max) {
        List<KeyValue> list = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            list.add(keyValue(0));
        }
        return list;
    }

    private KeyValue keyValue(int depth) {
        KeyValue.Builder kv = KeyValue.newBuilder().setKey(string());
        if (chance(95)) {
            kv.setValue(anyValue(depth));
        }
        if (chance(5)) {
            kv.setKeyStrindex(anyInt());
        }
        return kv.build();
    }

    /** Every AnyValue kind, nesting arrays and kvlists a few levels deep. */
    AnyValue anyValue(int depth) {
        AnyValue.Builder v = AnyValue.newBuilder();
        int kinds = depth < 3 ? 9 : 7;
        switch (r.nextInt(kinds)) {
            case 0 -> v.setStringValue(string());
            case 1 -> v.setBoolValue(r.nextBoolean());
            case 2 -> v.setIntValue(anyLong());
            case 3 -> v.setDoubleValue(anyDouble());
            case 4 -> v.setBytesValue(ByteString.copyFrom(bytes(r.nextInt(7))));
            case 5 -> v.setStringValueStrindex(anyInt());
            case 6 -> {
                // the empty AnyValue: no oneof member set
            }
            case 7 -> {
                ArrayValue.Builder a = ArrayValue.newBuilder();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.addValues(anyValue(depth + 1));
                }
                v.setArrayValue(a);
            }
            default -> {
                KeyValueList.Builder kvs = KeyValueList.newBuilder();
                for (int i = r.nextInt(4); i > 0; i--) {
                    kvs.addValues(keyValue(depth + 1));
                }
                v.setKvlistValue(kvs);
            }
        }
        return v.build();
    }

    // ---- primitives ----

    private boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    private <T> T maybe(Supplier<T> value, T otherwise) {
        return r.nextBoolean() ? value.get() : otherwise;
    }

    /** A known enum number, sometimes one from a "newer schema" the generated code does not know. */
    private int enumNumber(int max) {
        return chance(10) ? 40 + r.nextInt(1000) : r.nextInt(max + 1);
    }

    private ByteString id(int size) {
        return chance(10) ? ByteString.EMPTY : ByteString.copyFrom(bytes(size));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    long anyLong() {
        return switch (r.nextInt(8)) {
            case 0 -> 0L;
            case 1 -> -1L;
            case 2 -> Long.MIN_VALUE;
            case 3 -> Long.MAX_VALUE;
            case 4 -> 1544712660300000000L + r.nextInt(1_000_000_000);
            case 5 -> r.nextInt(1000);
            default -> r.nextLong();
        };
    }

    private int anyInt() {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MIN_VALUE;
            case 3 -> Integer.MAX_VALUE;
            case 4 -> r.nextInt(100);
            default -> r.nextInt();
        };
    }

    private double anyDouble() {
        return switch (r.nextInt(14)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.NaN;
            case 3 -> Double.POSITIVE_INFINITY;
            case 4 -> Double.NEGATIVE_INFINITY;
            case 5 -> Double.MIN_VALUE;
            case 6 -> Double.MAX_VALUE;
            case 7 -> -Double.MAX_VALUE;
            case 8 -> 637.704;
            case 9 -> r.nextInt(1000);
            case 10 -> r.nextGaussian() * 1e-300;
            // Any bit pattern that is a finite double, to exercise shortest-repr printing.
            case 11 -> {
                double d = Double.longBitsToDouble(r.nextLong());
                yield Double.isFinite(d) ? d : 1.5;
            }
            default -> r.nextGaussian() * 1e6;
        };
    }

    String string() {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(6); n > 0; n--) {
            // Whole fragments only, so surrogate pairs are never split into invalid UTF-16.
            sb.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
        }
        return sb.toString();
    }
}
