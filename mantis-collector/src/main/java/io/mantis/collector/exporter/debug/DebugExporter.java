package io.mantis.collector.exporter.debug;

import com.google.protobuf.TextFormat;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.collector.obs.ExporterObs;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs what passes through a pipeline, for trying out a configuration. */
final class DebugExporter implements Exporter {
    private static final HexFormat HEX = HexFormat.of();

    private final String id;
    private final String name;
    private final DebugExporterConfig config;
    private final Logger log;
    private final Map<Signal, ExporterObs> obs = new EnumMap<>(Signal.class);
    private final AtomicLong second = new AtomicLong();
    private final AtomicLong inSecond = new AtomicLong();

    DebugExporter(ComponentSettings s, DebugExporterConfig config, Set<Signal> signals) {
        this.id = s.lifecycleId();
        this.name = s.id().toString();
        this.config = config;
        this.log = LoggerFactory.getLogger("exporter." + name);
        for (Signal signal : signals) {
            obs.put(signal, new ExporterObs(s.registry(), signal, name));
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Telemetry> TelemetryConsumer<T> consumer(Signal signal) {
        ExporterObs o = obs.get(signal);
        return batch -> {
            if (sampled()) {
                print(batch);
            }
            o.sent(batch.itemCount());
        };
    }

    /** Like the collector's sampler: the first N per second, then one in M. */
    private boolean sampled() {
        long now = System.currentTimeMillis() / 1000;
        if (second.getAndSet(now) != now) {
            inSecond.set(0);
        }
        long n = inSecond.incrementAndGet();
        return n <= config.samplingInitial() || (n - config.samplingInitial()) % config.samplingThereafter() == 0;
    }

    private void print(Telemetry batch) {
        switch (batch) {
            case Traces t -> {
                log.info("Traces {\"otelcol.component.id\": \"{}\", \"resource spans\": {}, \"spans\": {}}", name,
                        t.request().getResourceSpansCount(), t.itemCount());
                if (config.verbosity() == DebugExporterConfig.Verbosity.NORMAL) {
                    for (ResourceSpans rs : t.request().getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            for (Span sp : ss.getSpansList()) {
                                log.info("{} {} {}", HEX.formatHex(sp.getTraceId().toByteArray()),
                                        HEX.formatHex(sp.getSpanId().toByteArray()), sp.getName());
                            }
                        }
                    }
                }
                detailed(t.request());
            }
            case Metrics m -> {
                log.info("Metrics {\"otelcol.component.id\": \"{}\", \"resource metrics\": {}, \"metrics\": {},"
                        + " \"data points\": {}}", name, m.request().getResourceMetricsCount(),
                        m.request().getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                                .mapToInt(ScopeMetrics::getMetricsCount).sum(), m.itemCount());
                if (config.verbosity() == DebugExporterConfig.Verbosity.NORMAL) {
                    for (ResourceMetrics rm : m.request().getResourceMetricsList()) {
                        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                            for (Metric metric : sm.getMetricsList()) {
                                log.info("{} {} {} data points", metric.getName(), metric.getDataCase(),
                                        Metrics.dataPoints(metric));
                            }
                        }
                    }
                }
                detailed(m.request());
            }
            case Logs l -> {
                log.info("Logs {\"otelcol.component.id\": \"{}\", \"resource logs\": {}, \"log records\": {}}", name,
                        l.request().getResourceLogsCount(), l.itemCount());
                if (config.verbosity() == DebugExporterConfig.Verbosity.NORMAL) {
                    for (ResourceLogs rl : l.request().getResourceLogsList()) {
                        for (ScopeLogs sl : rl.getScopeLogsList()) {
                            for (LogRecord r : sl.getLogRecordsList()) {
                                log.info("{} {}", r.getSeverityText(), body(r.getBody()));
                            }
                        }
                    }
                }
                detailed(l.request());
            }
        }
    }

    private void detailed(com.google.protobuf.Message m) {
        if (config.verbosity() == DebugExporterConfig.Verbosity.DETAILED) {
            log.info("{}", TextFormat.printer().printToString(m));
        }
    }

    private static String body(AnyValue v) {
        return v.hasStringValue() ? v.getStringValue() : TextFormat.printer().shortDebugString(v);
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }
}
