package io.mantis.collector.processor.filter;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.common.metrics.Counter;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what the conditions match: spans then span events, metrics then data points, or log
 * records. A scope left with nothing is removed, and so is a resource left with no scope; a batch
 * left with nothing is not handed on at all, as the collector skips it. Unchanged parts of a batch
 * are reused as they came.
 */
final class FilterProcessor<T extends Telemetry> implements Processor<T> {
    private static final Logger log = LoggerFactory.getLogger(FilterProcessor.class);

    /** A parsed condition with its text, for error messages. */
    record Named(String text, Ottl.Condition condition) {
    }

    /** A condition failed under error_mode propagate. */
    private static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final String id;
    private final String name;
    private final FilterProcessorConfig.ErrorMode errorMode;
    private final List<Named> items;
    private final List<Named> parts;
    private final TelemetryConsumer<T> next;
    private final Counter filtered;

    /**
     * @param items conditions on the signal's items: spans, metrics or log records
     * @param parts conditions on their parts: span events or data points
     */
    FilterProcessor(ComponentSettings settings, FilterProcessorConfig.ErrorMode errorMode, Signal signal,
                    List<Named> items, List<Named> parts, TelemetryConsumer<T> next) {
        this.id = settings.lifecycleId();
        this.name = settings.id().toString();
        this.errorMode = errorMode;
        this.items = items;
        this.parts = parts;
        this.next = next;
        String what = switch (signal) {
            case TRACES -> "spans";
            case METRICS -> "datapoints";
            case LOGS -> "logs";
        };
        this.filtered = settings.registry().counter("otelcol_processor_filter_" + what + "_filtered",
                "Number of " + what + " dropped by the filter processor", "filter").labels(name);
    }

    /** Transforms in place and hands on: it waits only as long as the next stage does. */
    @Override
    public boolean mayBlock() {
        return next.mayBlock();
    }

    @Override
    public void consume(T data) throws ConsumeException {
        T out;
        try {
            out = process(data);
        } catch (Failed e) {
            throw ConsumeException.permanent(e.getMessage());
        }
        if (out.isEmpty()) {
            return;
        }
        next.consume(out);
    }

    /** The batch without what the conditions match; an empty batch when nothing is left. */
    @SuppressWarnings("unchecked")
    T process(T data) throws Failed {
        if (items.isEmpty() && parts.isEmpty()) {
            return data;
        }
        T out = switch (data) {
            case Traces t -> (T) traces(t);
            case Metrics m -> (T) metrics(m);
            case Logs l -> (T) logs(l);
        };
        long dropped = data.itemCount() - out.itemCount();
        if (dropped > 0) {
            filtered.inc(dropped);
        }
        return out;
    }

    private boolean anyMatch(List<Named> conditions, Ottl.Item item) throws Failed {
        for (Named c : conditions) {
            try {
                if (c.condition().test(item)) {
                    return true;
                }
            } catch (Ottl.EvaluationException e) {
                switch (errorMode) {
                    case PROPAGATE -> throw new Failed("filter processor " + name + ": condition \"" + c.text()
                            + "\" failed: " + e.getMessage());
                    case IGNORE -> log.warn("{}: condition \"{}\" failed, treating it as false: {}", name, c.text(),
                            e.getMessage());
                    case SILENT -> {
                    }
                }
            }
        }
        return false;
    }

    // ---- traces ----

    private Traces traces(Traces t) throws Failed {
        Ottl.Item it = new Ottl.Item();
        List<ResourceSpans> in = t.request().getResourceSpansList();
        List<ResourceSpans> out = new ArrayList<>(in.size());
        boolean changed = false;
        int count = 0;
        for (ResourceSpans rs : in) {
            it.resource = rs.getResource();
            List<ScopeSpans> scopes = new ArrayList<>(rs.getScopeSpansCount());
            boolean rsChanged = false;
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                it.scope = ss.getScope();
                List<Span> spans = new ArrayList<>(ss.getSpansCount());
                boolean ssChanged = false;
                for (Span span : ss.getSpansList()) {
                    it.span = span;
                    it.event = null;
                    if (anyMatch(items, it)) {
                        ssChanged = true;
                        continue;
                    }
                    Span kept = parts.isEmpty() ? span : events(span, it);
                    ssChanged |= kept != span;
                    spans.add(kept);
                }
                if (spans.isEmpty()) {
                    rsChanged = true;
                } else if (ssChanged) {
                    rsChanged = true;
                    scopes.add(ss.toBuilder().clearSpans().addAllSpans(spans).build());
                } else {
                    scopes.add(ss);
                }
                count += spans.size();
            }
            if (scopes.isEmpty()) {
                changed = true;
            } else if (rsChanged) {
                changed = true;
                out.add(rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build());
            } else {
                out.add(rs);
            }
        }
        if (!changed) {
            return t;
        }
        return new Traces(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(out).build(), count);
    }

    private Span events(Span span, Ottl.Item it) throws Failed {
        List<Span.Event> kept = null;
        for (int i = 0; i < span.getEventsCount(); i++) {
            it.event = span.getEvents(i);
            if (anyMatch(parts, it)) {
                if (kept == null) {
                    kept = new ArrayList<>(span.getEventsList().subList(0, i));
                }
            } else if (kept != null) {
                kept.add(it.event);
            }
        }
        it.event = null;
        return kept == null ? span : span.toBuilder().clearEvents().addAllEvents(kept).build();
    }

    // ---- logs ----

    private Logs logs(Logs l) throws Failed {
        Ottl.Item it = new Ottl.Item();
        List<ResourceLogs> in = l.request().getResourceLogsList();
        List<ResourceLogs> out = new ArrayList<>(in.size());
        boolean changed = false;
        int count = 0;
        for (ResourceLogs rl : in) {
            it.resource = rl.getResource();
            List<ScopeLogs> scopes = new ArrayList<>(rl.getScopeLogsCount());
            boolean rlChanged = false;
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                it.scope = sl.getScope();
                List<LogRecord> records = new ArrayList<>(sl.getLogRecordsCount());
                for (LogRecord lr : sl.getLogRecordsList()) {
                    it.log = lr;
                    if (!anyMatch(items, it)) {
                        records.add(lr);
                    }
                }
                if (records.isEmpty()) {
                    rlChanged = true;
                } else if (records.size() < sl.getLogRecordsCount()) {
                    rlChanged = true;
                    scopes.add(sl.toBuilder().clearLogRecords().addAllLogRecords(records).build());
                } else {
                    scopes.add(sl);
                }
                count += records.size();
            }
            if (scopes.isEmpty()) {
                changed = true;
            } else if (rlChanged) {
                changed = true;
                out.add(rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build());
            } else {
                out.add(rl);
            }
        }
        if (!changed) {
            return l;
        }
        return new Logs(ExportLogsServiceRequest.newBuilder().addAllResourceLogs(out).build(), count);
    }

    // ---- metrics ----

    private Metrics metrics(Metrics m) throws Failed {
        Ottl.Item it = new Ottl.Item();
        List<ResourceMetrics> in = m.request().getResourceMetricsList();
        List<ResourceMetrics> out = new ArrayList<>(in.size());
        boolean changed = false;
        int count = 0;
        for (ResourceMetrics rm : in) {
            it.resource = rm.getResource();
            List<ScopeMetrics> scopes = new ArrayList<>(rm.getScopeMetricsCount());
            boolean rmChanged = false;
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                it.scope = sm.getScope();
                List<Metric> metrics = new ArrayList<>(sm.getMetricsCount());
                boolean smChanged = false;
                for (Metric metric : sm.getMetricsList()) {
                    it.metric = metric;
                    it.pointAttributes = null;
                    if (anyMatch(items, it)) {
                        smChanged = true;
                        continue;
                    }
                    Metric kept = parts.isEmpty() ? metric : dataPoints(metric, it);
                    // As in the collector, data point conditions remove a metric left without points.
                    if (!parts.isEmpty() && Metrics.dataPoints(kept) == 0) {
                        smChanged = true;
                        continue;
                    }
                    smChanged |= kept != metric;
                    metrics.add(kept);
                    count += Metrics.dataPoints(kept);
                }
                if (metrics.isEmpty()) {
                    rmChanged = true;
                } else if (smChanged) {
                    rmChanged = true;
                    scopes.add(sm.toBuilder().clearMetrics().addAllMetrics(metrics).build());
                } else {
                    scopes.add(sm);
                }
            }
            if (scopes.isEmpty()) {
                changed = true;
            } else if (rmChanged) {
                changed = true;
                out.add(rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes).build());
            } else {
                out.add(rm);
            }
        }
        if (!changed) {
            return m;
        }
        return new Metrics(ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(out).build(), count);
    }

    private Metric dataPoints(Metric m, Ottl.Item it) throws Failed {
        return switch (m.getDataCase()) {
            case GAUGE -> {
                List<NumberDataPoint> kept = keep(m.getGauge().getDataPointsList(), NumberDataPoint::getAttributesList,
                        it);
                yield kept == null ? m : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints()
                        .addAllDataPoints(kept)).build();
            }
            case SUM -> {
                List<NumberDataPoint> kept = keep(m.getSum().getDataPointsList(), NumberDataPoint::getAttributesList,
                        it);
                yield kept == null ? m : m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints()
                        .addAllDataPoints(kept)).build();
            }
            case HISTOGRAM -> {
                List<HistogramDataPoint> kept = keep(m.getHistogram().getDataPointsList(),
                        HistogramDataPoint::getAttributesList, it);
                yield kept == null ? m : m.toBuilder().setHistogram(m.getHistogram().toBuilder().clearDataPoints()
                        .addAllDataPoints(kept)).build();
            }
            case EXPONENTIAL_HISTOGRAM -> {
                List<ExponentialHistogramDataPoint> kept = keep(m.getExponentialHistogram().getDataPointsList(),
                        ExponentialHistogramDataPoint::getAttributesList, it);
                yield kept == null ? m : m.toBuilder().setExponentialHistogram(m.getExponentialHistogram().toBuilder()
                        .clearDataPoints().addAllDataPoints(kept)).build();
            }
            case SUMMARY -> {
                List<SummaryDataPoint> kept = keep(m.getSummary().getDataPointsList(),
                        SummaryDataPoint::getAttributesList, it);
                yield kept == null ? m : m.toBuilder().setSummary(m.getSummary().toBuilder().clearDataPoints()
                        .addAllDataPoints(kept)).build();
            }
            case DATA_NOT_SET -> m;
        };
    }

    /** The points the conditions do not match, or null when they match none. */
    private <P> List<P> keep(List<P> points, Function<P, List<KeyValue>> attributes, Ottl.Item it) throws Failed {
        List<P> kept = null;
        for (int i = 0; i < points.size(); i++) {
            P p = points.get(i);
            it.pointAttributes = attributes.apply(p);
            if (anyMatch(parts, it)) {
                if (kept == null) {
                    kept = new ArrayList<>(points.subList(0, i));
                }
            } else if (kept != null) {
                kept.add(p);
            }
        }
        it.pointAttributes = null;
        return kept;
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
