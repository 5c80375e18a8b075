package io.mantis.collector.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting keeps every item once, in order, with its resource and scope; merging concatenates. */
class BatchesTest {
    private static Resource resource(String service) {
        return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))).build();
    }

    /** Resources r0..r2 with scopes of 3, 5 and 1 items: 9 per resource, 27 in all. */
    private static Traces traces() {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        int[] sizes = {3, 5, 1};
        for (int r = 0; r < 3; r++) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource("r" + r));
            for (int s = 0; s < sizes.length; s++) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
                        .setName("s" + s));
                for (int i = 0; i < sizes[s]; i++) {
                    ss.addSpans(Span.newBuilder().setName("r" + r + "s" + s + "i" + i));
                }
                rs.addScopeSpans(ss);
            }
            b.addResourceSpans(rs);
        }
        return Traces.of(b.build());
    }

    private static List<String> names(Traces t) {
        List<String> out = new ArrayList<>();
        for (ResourceSpans rs : t.request().getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    String expected = s.getName();
                    // Every span still sits under its own resource and scope.
                    assertThat(expected).startsWith(rs.getResource().getAttributes(0).getValue().getStringValue()
                            + ss.getScope().getName());
                    out.add(expected);
                }
            }
        }
        return out;
    }

    @Test
    void tracesSplitIntoPartsOfAtMostMaxKeepingOrderAndContext() {
        Traces all = traces();
        assertThat(all.itemCount()).isEqualTo(27);
        for (int max : new int[] {1, 2, 4, 7, 9, 10, 26, 27, 100}) {
            List<Traces> parts = Batches.split(all, max);
            List<String> seen = new ArrayList<>();
            for (Traces p : parts) {
                assertThat(p.itemCount()).as("max %d", max).isBetween(1, max).isEqualTo(names(p).size());
                seen.addAll(names(p));
            }
            assertThat(seen).as("max %d", max).isEqualTo(names(all));
            assertThat(parts).as("max %d", max).hasSize((27 + max - 1) / max);
            assertThat(Batches.merge(parts).itemCount()).isEqualTo(27);
            assertThat(names(Batches.merge(parts))).isEqualTo(names(all));
        }
    }

    @Test
    void logsSplitLikeTraces() {
        ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
        for (int r = 0; r < 2; r++) {
            ResourceLogs.Builder rl = ResourceLogs.newBuilder().setResource(resource("r" + r));
            for (int s = 0; s < 2; s++) {
                ScopeLogs.Builder sl = ScopeLogs.newBuilder();
                for (int i = 0; i < 4; i++) {
                    sl.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder()
                            .setStringValue("r" + r + "s" + s + "i" + i)));
                }
                rl.addScopeLogs(sl);
            }
            b.addResourceLogs(rl);
        }
        Logs all = Logs.of(b.build());
        assertThat(all.itemCount()).isEqualTo(16);
        List<Logs> parts = Batches.split(all, 3);
        assertThat(parts).hasSize(6);
        List<String> bodies = new ArrayList<>();
        for (Logs p : parts) {
            assertThat(p.itemCount()).isBetween(1, 3);
            p.request().getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl ->
                    sl.getLogRecordsList().forEach(r -> {
                        assertThat(r.getBody().getStringValue())
                                .startsWith(rl.getResource().getAttributes(0).getValue().getStringValue());
                        bodies.add(r.getBody().getStringValue());
                    })));
        }
        assertThat(bodies).hasSize(16).doesNotHaveDuplicates().startsWith("r0s0i0", "r0s0i1", "r0s0i2")
                .endsWith("r1s1i3");
    }

    @Test
    void metricsSplitByDataPointsCuttingAMetricIntoSeveralWithItsName() {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < 10; i++) {
            g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
        }
        Metrics all = Metrics.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(resource("m")).addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("queue.depth").setUnit("1").setGauge(g))
                        .addMetrics(Metric.newBuilder().setName("other").setGauge(Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(99)))))).build());
        assertThat(all.itemCount()).isEqualTo(11);
        List<Metrics> parts = Batches.split(all, 4);
        assertThat(parts).hasSize(3);
        List<Long> values = new ArrayList<>();
        for (Metrics p : parts) {
            assertThat(p.itemCount()).isBetween(1, 4);
            p.request().getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm ->
                    sm.getMetricsList().forEach(m -> {
                        assertThat(m.getName()).isIn("queue.depth", "other");
                        if (m.getName().equals("queue.depth")) {
                            assertThat(m.getUnit()).isEqualTo("1");
                        }
                        m.getGauge().getDataPointsList().forEach(dp -> values.add(dp.getAsInt()));
                    })));
        }
        assertThat(values).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 99L);
    }
}
