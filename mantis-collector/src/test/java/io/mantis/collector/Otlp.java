package io.mantis.collector;

import com.google.protobuf.ByteString;
import io.mantis.collector.model.AnyValues;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders of OTLP test data: attributes from alternating keys and values, batches of one resource and scope. */
public final class Otlp {
    private Otlp() {
    }

    /** Attributes from key, value, key, value...; values may be String, Long/Integer, Double, Boolean or AnyValue. */
    public static List<KeyValue> attrs(Object... kv) {
        List<KeyValue> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(AnyValues.kv((String) kv[i], value(kv[i + 1])));
        }
        return out;
    }

    public static AnyValue value(Object v) {
        return switch (v) {
            case AnyValue a -> a;
            case String s -> AnyValues.of(s);
            case Integer i -> AnyValues.of((long) i);
            case Long l -> AnyValues.of(l);
            case Double d -> AnyValues.of(d);
            case Boolean b -> AnyValues.of(b);
            case byte[] b -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(b)).build();
            default -> throw new IllegalArgumentException(String.valueOf(v));
        };
    }

    /** An attribute list as a map of raw values, for assertions. */
    public static Map<String, Object> map(List<KeyValue> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            AnyValue v = kv.getValue();
            out.put(kv.getKey(), switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> v.getIntValue();
                case DOUBLE_VALUE -> v.getDoubleValue();
                case BOOL_VALUE -> v.getBoolValue();
                default -> v;
            });
        }
        return out;
    }

    public static Resource resource(Object... kv) {
        return Resource.newBuilder().addAllAttributes(attrs(kv)).build();
    }

    public static InstrumentationScope scope(String name, String version) {
        return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
    }

    public static Span span(String name, Object... kv) {
        return Span.newBuilder().setName(name).setTraceId(ByteString.copyFrom(new byte[16]))
                .setSpanId(ByteString.copyFrom(new byte[8])).addAllAttributes(attrs(kv)).build();
    }

    public static Traces traces(Resource resource, InstrumentationScope scope, Span... spans) {
        return Traces.of(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(resource).addScopeSpans(ScopeSpans.newBuilder().setScope(scope)
                        .addAllSpans(List.of(spans)))).build());
    }

    public static Traces traces(Span... spans) {
        return traces(resource("service.name", "checkout"), scope("lib", "1.0"), spans);
    }

    public static List<Span> spans(Traces t) {
        List<Span> out = new ArrayList<>();
        t.request().getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
        return out;
    }

    public static LogRecord log(String body, Object... kv) {
        return LogRecord.newBuilder().setBody(AnyValues.of(body)).addAllAttributes(attrs(kv)).build();
    }

    public static Logs logs(Resource resource, InstrumentationScope scope, LogRecord... records) {
        return Logs.of(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(resource).addScopeLogs(ScopeLogs.newBuilder().setScope(scope)
                        .addAllLogRecords(List.of(records)))).build());
    }

    public static Logs logs(LogRecord... records) {
        return logs(resource("service.name", "checkout"), scope("lib", "1.0"), records);
    }

    public static List<LogRecord> records(Logs l) {
        List<LogRecord> out = new ArrayList<>();
        l.request().getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList())));
        return out;
    }

    public static Metrics metrics(Resource resource, InstrumentationScope scope, Metric... metrics) {
        return Metrics.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(resource).addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope)
                        .addAllMetrics(List.of(metrics)))).build());
    }

    public static Metrics metrics(Metric... metrics) {
        return metrics(resource("service.name", "checkout"), scope("lib", "1.0"), metrics);
    }

    public static List<Metric> metricList(Metrics m) {
        List<Metric> out = new ArrayList<>();
        m.request().getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> out.addAll(sm.getMetricsList())));
        return out;
    }
}
