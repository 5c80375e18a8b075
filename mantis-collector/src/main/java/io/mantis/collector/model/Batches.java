package io.mantis.collector.model;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.ArrayList;
import java.util.List;

/** Merging and splitting batches of any signal. */
public final class Batches {
    private Batches() {
    }

    /** One batch with the resource entries of all; all must be of the same signal. */
    @SuppressWarnings("unchecked")
    public static <T extends Telemetry> T merge(List<T> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        T first = parts.getFirst();
        int items = 0;
        for (T p : parts) {
            items += p.itemCount();
        }
        return switch (first) {
            case Traces t -> {
                List<ResourceSpans> all = new ArrayList<>();
                for (T p : parts) {
                    all.addAll(((Traces) p).request().getResourceSpansList());
                }
                yield (T) new Traces(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                        .addAllResourceSpans(all).build(), items);
            }
            case Metrics m -> {
                List<ResourceMetrics> all = new ArrayList<>();
                for (T p : parts) {
                    all.addAll(((Metrics) p).request().getResourceMetricsList());
                }
                yield (T) new Metrics(io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest
                        .newBuilder().addAllResourceMetrics(all).build(), items);
            }
            case Logs l -> {
                List<ResourceLogs> all = new ArrayList<>();
                for (T p : parts) {
                    all.addAll(((Logs) p).request().getResourceLogsList());
                }
                yield (T) new Logs(io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                        .addAllResourceLogs(all).build(), items);
            }
        };
    }

    /** Splits into batches of at most {@code max} items. */
    @SuppressWarnings("unchecked")
    public static <T extends Telemetry> List<T> split(T batch, int max) {
        return switch (batch) {
            case Traces t -> (List<T>) t.split(max);
            case Metrics m -> (List<T>) m.split(max);
            case Logs l -> (List<T>) l.split(max);
        };
    }
}
