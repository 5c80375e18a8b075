package io.mantis.metrics.tsdb.head;

import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.TsdbStats;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Cardinality statistics and self-metrics of the head. */
public final class HeadStats {

    private HeadStats() {
    }

    /** Registers the head's {@code mantis_tsdb_head_*} metrics (names follow Prometheus' own). */
    public static void register(MetricRegistry registry, Head head) {
        registry.gaugeFn("mantis_tsdb_head_series", "Series currently in the head.", head::numSeries);
        registry.counterFn("mantis_tsdb_head_series_created", "Series created in the head.",
                () -> head.seriesCreated.sum());
        registry.counterFn("mantis_tsdb_head_series_removed", "Series removed from the head.",
                () -> head.seriesRemoved.sum());
        registry.counterFn("mantis_tsdb_head_samples_appended", "Float samples appended to the head.",
                () -> head.samplesAppended.sum());
        registry.counterFn("mantis_tsdb_head_histograms_appended", "Native histogram samples appended.",
                () -> head.histogramsAppended.sum());
        registry.counterFn("mantis_tsdb_head_out_of_order_samples_appended",
                "Samples accepted within the out-of-order window.", () -> head.outOfOrderAccepted.sum());
        registry.gaugeFn("mantis_tsdb_head_min_time_seconds", "Oldest sample time in the head.",
                () -> head.numSeries() == 0 ? Double.NaN : head.minTime() / 1000.0);
        registry.gaugeFn("mantis_tsdb_head_max_time_seconds", "Newest sample time in the head.",
                () -> head.numSeries() == 0 ? Double.NaN : head.maxTime() / 1000.0);
        for (AppendException.Kind kind : AppendException.Kind.values()) {
            String name = "mantis_tsdb_head_refused_" + kind.name().toLowerCase(java.util.Locale.ROOT);
            registry.counterFn(name, "Appends refused: " + kind.message() + ".",
                    () -> head.rejected[kind.ordinal()].sum());
        }
    }

    /** The head's cardinality, top {@code limit} entries per ranking. */
    public static TsdbStats of(Head head, int limit) {
        Map<String, Long> byMetric = new HashMap<>();
        Map<String, Set<String>> valuesByName = new HashMap<>();
        Map<String, Long> bytesByName = new HashMap<>();
        Map<String, Long> byPair = new HashMap<>();
        long[] chunks = {0};
        head.forEachSeries(s -> {
            Labels l = s.labels();
            String metric = l.metricName();
            if (metric != null) {
                byMetric.merge(metric, 1L, Long::sum);
            }
            for (int i = 0; i < l.size(); i++) {
                String n = l.name(i);
                String v = l.value(i);
                if (valuesByName.computeIfAbsent(n, k -> new HashSet<>()).add(v)) {
                    bytesByName.merge(n, utf8Length(v), Long::sum);
                }
                byPair.merge(n + "=" + v, 1L, Long::sum);
            }
            chunks[0] += s.chunkCount();
        });
        Map<String, Long> valueCounts = new HashMap<>();
        valuesByName.forEach((k, v) -> valueCounts.put(k, (long) v.size()));
        long pairs = byPair.size();
        return new TsdbStats(head.numSeries(), pairs, chunks[0],
                head.numSeries() == 0 ? Long.MAX_VALUE : head.minTime(),
                head.numSeries() == 0 ? Long.MIN_VALUE : head.maxTime(),
                top(byMetric, limit), top(valueCounts, limit), top(bytesByName, limit), top(byPair, limit));
    }

    /** Bytes of {@code s} in UTF-8, which is what Prometheus counts as a value's memory. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static List<TsdbStats.Count> top(Map<String, Long> m, int limit) {
        List<TsdbStats.Count> out = new ArrayList<>(m.size());
        m.forEach((k, v) -> out.add(new TsdbStats.Count(k, v)));
        out.sort((a, b) -> a.value() != b.value() ? Long.compare(b.value(), a.value()) : a.name().compareTo(b.name()));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }
}
