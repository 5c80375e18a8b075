package io.mantis.collector.receiver.prometheus;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One target of one scrape config, with everything its scrape loop needs.
 *
 * @param address {@code host:port} as listed in {@code static_configs}
 * @param labels the target's labels: {@code job}, {@code instance} and the static config's labels,
 *     as Prometheus attaches them to every scraped series
 * @param externalLabels {@code global.external_labels}, set on every series
 */
record ScrapeTarget(String job, String address, String scheme, URI url, Map<String, String> labels,
                    Map<String, String> externalLabels, boolean honorLabels, boolean honorTimestamps,
                    Duration interval, Duration timeout, int sampleLimit, boolean compression,
                    boolean followRedirects, boolean extraMetrics) {

    ScrapeTarget {
        labels = new LinkedHashMap<>(labels);
        externalLabels = new LinkedHashMap<>(externalLabels);
    }

    String instance() {
        return labels.getOrDefault("instance", address);
    }

    /** How the target is named in logs: {@code job/instance (url)}. */
    @Override
    public String toString() {
        return job + "/" + instance() + " (" + url + ")";
    }
}
