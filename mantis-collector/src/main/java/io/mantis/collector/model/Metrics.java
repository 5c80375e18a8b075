package io.mantis.collector.model;

import io.mantis.collector.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of metrics. Items are data points, as the collector counts them
 * ({@code otelcol_receiver_accepted_metric_points}).
 */
public record Metrics(ExportMetricsServiceRequest request, int itemCount) implements Telemetry {
    public static final Metrics EMPTY = new Metrics(ExportMetricsServiceRequest.getDefaultInstance(), 0);

    public static Metrics of(ExportMetricsServiceRequest request) {
        return new Metrics(request, count(request.getResourceMetricsList()));
    }

    public static Metrics of(List<ResourceMetrics> resourceMetrics) {
        return new Metrics(ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(resourceMetrics).build(),
                count(resourceMetrics));
    }

    static int count(List<ResourceMetrics> list) {
        int n = 0;
        for (ResourceMetrics rm : list) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    n += dataPoints(m);
                }
            }
        }
        return n;
    }

    /** Data points of one metric, whatever its type. */
    public static int dataPoints(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    @Override
    public Signal signal() {
        return Signal.METRICS;
    }

    /**
     * Splits into batches of at most {@code max} data points. A metric with more points than fit
     * is cut into several metrics with the same name, type and metadata.
     */
    public List<Metrics> split(int max) {
        if (itemCount <= max) {
            return List.of(this);
        }
        List<Metrics> out = new ArrayList<>();
        List<ResourceMetrics> current = new ArrayList<>();
        int room = max;
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            int n = count(List.of(rm));
            if (n <= room) {
                current.add(rm);
                room -= n;
                if (room == 0) {
                    out.add(of(current));
                    current = new ArrayList<>();
                    room = max;
                }
                continue;
            }
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    int points = dataPoints(m);
                    int from = 0;
                    while (from < points) {
                        int take = Math.min(room, points - from);
                        Metric part = take == points ? m : slice(m, from, from + take);
                        ScopeMetrics scope = sm.toBuilder().clearMetrics().addMetrics(part).build();
                        current.add(rm.toBuilder().clearScopeMetrics().addScopeMetrics(scope).build());
                        from += take;
                        room -= take;
                        if (room == 0) {
                            out.add(of(current));
                            current = new ArrayList<>();
                            room = max;
                        }
                    }
                }
            }
        }
        if (!current.isEmpty()) {
            out.add(of(current));
        }
        return out;
    }

    private static Metric slice(Metric m, int from, int to) {
        Metric.Builder b = m.toBuilder();
        switch (m.getDataCase()) {
            case GAUGE -> b.setGauge(m.getGauge().toBuilder().clearDataPoints()
                    .addAllDataPoints(m.getGauge().getDataPointsList().subList(from, to)));
            case SUM -> b.setSum(m.getSum().toBuilder().clearDataPoints()
                    .addAllDataPoints(m.getSum().getDataPointsList().subList(from, to)));
            case HISTOGRAM -> b.setHistogram(m.getHistogram().toBuilder().clearDataPoints()
                    .addAllDataPoints(m.getHistogram().getDataPointsList().subList(from, to)));
            case EXPONENTIAL_HISTOGRAM -> b.setExponentialHistogram(m.getExponentialHistogram().toBuilder()
                    .clearDataPoints()
                    .addAllDataPoints(m.getExponentialHistogram().getDataPointsList().subList(from, to)));
            case SUMMARY -> b.setSummary(m.getSummary().toBuilder().clearDataPoints()
                    .addAllDataPoints(m.getSummary().getDataPointsList().subList(from, to)));
            case DATA_NOT_SET -> { }
        }
        return b.build();
    }
}
