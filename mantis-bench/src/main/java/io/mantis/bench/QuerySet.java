package io.mantis.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed PromQL query set of {@link QueryLoad}, over the series of a
 * {@link NodeExporterStream} with histograms: what dashboards and alerts run most (rates,
 * aggregations, quantiles from classic histograms, top-k, joins with info metrics,
 * subqueries, over-time functions, regex selectors), each as a range query and as an instant
 * query.
 */
final class QuerySet {

    /** One query: a short name for tables, the expression, and whether it runs as a range query. */
    record Query(String name, String expr, boolean range) {
        String label() {
            return name + (range ? " (range)" : " (instant)");
        }
    }

    /** Name and expression pairs; each runs as a range and as an instant query. */
    static final String[][] EXPRESSIONS = {
        {"rate", "rate(node_network_receive_bytes_total[5m])"},
        {"sum by rate", "sum by (mode) (rate(node_cpu_seconds_total[5m]))"},
        {"histogram_quantile", "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"},
        {"histogram_quantile by handler",
            "histogram_quantile(0.99, sum by (handler, le) (rate(http_request_duration_seconds_bucket[5m])))"},
        {"topk", "topk(5, rate(node_cpu_seconds_total{mode=\"user\"}[5m]))"},
        {"join group_left",
            "rate(node_cpu_seconds_total{mode=\"system\"}[5m]) * on (instance) group_left (release) node_uname_info"},
        {"subquery", "max_over_time(rate(node_cpu_seconds_total{mode=\"user\"}[5m])[1h:1m])"},
        {"count by", "count by (cluster, mode) (node_cpu_seconds_total)"},
        {"avg_over_time", "avg_over_time(node_scrape_collector_duration_seconds[10m])"},
        {"regex selector", "node_network_transmit_bytes_total{device=~\"eth.*\", instance=~\"10\\\\.0\\\\..*\"}"},
        {"cpu busy by instance",
            "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))"},
    };

    private QuerySet() {
    }

    /** The whole set: every expression as a range query, then every one as an instant query. */
    static List<Query> all() {
        List<Query> out = new ArrayList<>();
        for (String[] e : EXPRESSIONS) {
            out.add(new Query(e[0], e[1], true));
        }
        for (String[] e : EXPRESSIONS) {
            out.add(new Query(e[0], e[1], false));
        }
        return out;
    }
}
