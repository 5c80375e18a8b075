package io.mantis.collector.processor.attributes;

import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.collector.processor.shared.AttributeActions;
import io.mantis.collector.processor.shared.Resources;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Function;
import java.util.function.BiFunction;

/**
 * Applies attribute actions to the spans, log records or metric data points that the include and
 * exclude properties select. Only the messages whose attributes change are rebuilt; a batch with
 * no change is handed on as it came.
 */
final class AttributesProcessor<T extends Telemetry> implements Processor<T> {
    private final String id;
    private final AttributeActions actions;
    private final Matcher include;
    private final Matcher exclude;
    private final TelemetryConsumer<T> next;

    AttributesProcessor(String id, AttributeActions actions, Matcher include, Matcher exclude,
                        TelemetryConsumer<T> next) {
        this.id = id;
        this.actions = actions;
        this.include = include;
        this.exclude = exclude;
        this.next = next;
    }

    /** Transforms in place and hands on: it waits only as long as the next stage does. */
    @Override
    public boolean mayBlock() {
        return next.mayBlock();
    }

    @Override
    public void consume(T data) throws ConsumeException {
        next.consume(process(data));
    }

    /** The batch after the actions, without handing it on. */
    @SuppressWarnings("unchecked")
    T process(T data) {
        return switch (data) {
            case Traces t -> (T) traces(t);
            case Metrics m -> (T) metrics(m);
            case Logs l -> (T) logs(l);
        };
    }

    private Traces traces(Traces t) {
        List<ResourceSpans> in = t.request().getResourceSpansList();
        List<ResourceSpans> out = null;
        for (int i = 0; i < in.size(); i++) {
            ResourceSpans rs = in.get(i);
            List<ScopeSpans> scopes = null;
            for (int j = 0; j < rs.getScopeSpansCount(); j++) {
                ScopeSpans ss = rs.getScopeSpans(j);
                List<Span> spans = null;
                for (int k = 0; k < ss.getSpansCount(); k++) {
                    Span span = ss.getSpans(k);
                    boolean selected = (include == null || include.matchesSpan(rs.getResource(), ss.getScope(), span))
                            && (exclude == null || !exclude.matchesSpan(rs.getResource(), ss.getScope(), span));
                    if (!selected) {
                        continue;
                    }
                    List<KeyValue> attrs = actions.apply(span.getAttributesList());
                    if (attrs != span.getAttributesList()) {
                        spans = Resources.copyOnWrite(spans, ss.getSpansList());
                        spans.set(k, span.toBuilder().clearAttributes().addAllAttributes(attrs).build());
                    }
                }
                if (spans != null) {
                    scopes = Resources.copyOnWrite(scopes, rs.getScopeSpansList());
                    scopes.set(j, ss.toBuilder().clearSpans().addAllSpans(spans).build());
                }
            }
            if (scopes != null) {
                out = Resources.copyOnWrite(out, in);
                out.set(i, rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build());
            }
        }
        if (out == null) {
            return t;
        }
        return new Traces(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(out).build(), t.itemCount());
    }

    private Logs logs(Logs l) {
        List<ResourceLogs> in = l.request().getResourceLogsList();
        List<ResourceLogs> out = null;
        for (int i = 0; i < in.size(); i++) {
            ResourceLogs rl = in.get(i);
            List<ScopeLogs> scopes = null;
            for (int j = 0; j < rl.getScopeLogsCount(); j++) {
                ScopeLogs sl = rl.getScopeLogs(j);
                List<LogRecord> records = null;
                for (int k = 0; k < sl.getLogRecordsCount(); k++) {
                    LogRecord lr = sl.getLogRecords(k);
                    boolean selected = (include == null || include.matchesLog(rl.getResource(), sl.getScope(), lr))
                            && (exclude == null || !exclude.matchesLog(rl.getResource(), sl.getScope(), lr));
                    if (!selected) {
                        continue;
                    }
                    List<KeyValue> attrs = actions.apply(lr.getAttributesList());
                    if (attrs != lr.getAttributesList()) {
                        records = Resources.copyOnWrite(records, sl.getLogRecordsList());
                        records.set(k, lr.toBuilder().clearAttributes().addAllAttributes(attrs).build());
                    }
                }
                if (records != null) {
                    scopes = Resources.copyOnWrite(scopes, rl.getScopeLogsList());
                    scopes.set(j, sl.toBuilder().clearLogRecords().addAllLogRecords(records).build());
                }
            }
            if (scopes != null) {
                out = Resources.copyOnWrite(out, in);
                out.set(i, rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build());
            }
        }
        if (out == null) {
            return l;
        }
        return new Logs(ExportLogsServiceRequest.newBuilder().addAllResourceLogs(out).build(), l.itemCount());
    }

    private Metrics metrics(Metrics m) {
        List<ResourceMetrics> in = m.request().getResourceMetricsList();
        List<ResourceMetrics> out = null;
        for (int i = 0; i < in.size(); i++) {
            ResourceMetrics rm = in.get(i);
            List<ScopeMetrics> scopes = null;
            for (int j = 0; j < rm.getScopeMetricsCount(); j++) {
                ScopeMetrics sm = rm.getScopeMetrics(j);
                List<Metric> metrics = null;
                for (int k = 0; k < sm.getMetricsCount(); k++) {
                    Metric metric = sm.getMetrics(k);
                    boolean selected = (include == null || include.matchesMetric(rm.getResource(), metric))
                            && (exclude == null || !exclude.matchesMetric(rm.getResource(), metric));
                    if (!selected) {
                        continue;
                    }
                    Metric changed = dataPoints(metric);
                    if (changed != metric) {
                        metrics = Resources.copyOnWrite(metrics, sm.getMetricsList());
                        metrics.set(k, changed);
                    }
                }
                if (metrics != null) {
                    scopes = Resources.copyOnWrite(scopes, rm.getScopeMetricsList());
                    scopes.set(j, sm.toBuilder().clearMetrics().addAllMetrics(metrics).build());
                }
            }
            if (scopes != null) {
                out = Resources.copyOnWrite(out, in);
                out.set(i, rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes).build());
            }
        }
        if (out == null) {
            return m;
        }
        return new Metrics(ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(out).build(),
                m.itemCount());
    }

    /** The metric with the actions applied to each data point's attributes; the same metric when none changed. */
    private Metric dataPoints(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> {
                List<NumberDataPoint> points = rewrite(m.getGauge().getDataPointsList(),
                        NumberDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder().clearAttributes().addAllAttributes(a).build());
                yield points == null ? m : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints()
                        .addAllDataPoints(points)).build();
            }
            case SUM -> {
                List<NumberDataPoint> points = rewrite(m.getSum().getDataPointsList(),
                        NumberDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder().clearAttributes().addAllAttributes(a).build());
                yield points == null ? m : m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints()
                        .addAllDataPoints(points)).build();
            }
            case HISTOGRAM -> {
                List<HistogramDataPoint> points = rewrite(m.getHistogram().getDataPointsList(),
                        HistogramDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder().clearAttributes().addAllAttributes(a).build());
                yield points == null ? m : m.toBuilder().setHistogram(m.getHistogram().toBuilder().clearDataPoints()
                        .addAllDataPoints(points)).build();
            }
            case EXPONENTIAL_HISTOGRAM -> {
                List<ExponentialHistogramDataPoint> points = rewrite(m.getExponentialHistogram().getDataPointsList(),
                        ExponentialHistogramDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder().clearAttributes().addAllAttributes(a).build());
                yield points == null ? m : m.toBuilder().setExponentialHistogram(m.getExponentialHistogram()
                        .toBuilder().clearDataPoints().addAllDataPoints(points)).build();
            }
            case SUMMARY -> {
                List<SummaryDataPoint> points = rewrite(m.getSummary().getDataPointsList(),
                        SummaryDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder().clearAttributes().addAllAttributes(a).build());
                yield points == null ? m : m.toBuilder().setSummary(m.getSummary().toBuilder().clearDataPoints()
                        .addAllDataPoints(points)).build();
            }
            case DATA_NOT_SET -> m;
        };
    }

    /** The points with changed attributes, or null when no point changed. */
    private <P> List<P> rewrite(List<P> points, Function<P, List<KeyValue>> attributes,
                                BiFunction<P, List<KeyValue>, P> withAttributes) {
        List<P> out = null;
        for (int i = 0; i < points.size(); i++) {
            P p = points.get(i);
            List<KeyValue> before = attributes.apply(p);
            List<KeyValue> after = actions.apply(before);
            if (after != before) {
                out = Resources.copyOnWrite(out, points);
                out.set(i, withAttributes.apply(p, after));
            }
        }
        return out;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }
}
