package io.mantis.collector.receiver.prometheus;

import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Durations;
import io.mantis.common.config.Required;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the receiver's {@code config:} (a Prometheus configuration) into scrape targets.
 *
 * <p>Only static targets are implemented. Prometheus keys outside that subset are reported as
 * "not supported" with the key named, so a configuration copied from a Prometheus server fails
 * clearly instead of being half applied; keys Prometheus does not know get the usual "unknown
 * key" message with a suggestion.
 */
final class ScrapeConfigs {
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Prometheus' top-level sections besides global and scrape_configs. */
    private static final Map<String, String> UNSUPPORTED_TOP = Map.of(
            "rule_files", "the collector does not evaluate rules",
            "remote_write", "send the metrics on with an exporter instead",
            "remote_read", "the collector does not read",
            "alerting", "the collector does not evaluate alerts",
            "scrape_config_files", "put the scrape configs inline under scrape_configs",
            "storage", "the collector stores nothing",
            "tracing", "not applicable to the collector",
            "otlp", "not applicable to the collector",
            "runtime", "not applicable to the collector");

    private static final Set<String> UNSUPPORTED_GLOBAL = Set.of("scrape_protocols", "rule_query_offset",
            "query_log_file", "scrape_failure_log_file", "body_size_limit", "sample_limit", "label_limit",
            "label_name_length_limit", "label_value_length_limit", "target_limit", "keep_dropped_targets",
            "metric_name_validation_scheme", "metric_name_escaping_scheme", "always_scrape_classic_histograms",
            "convert_classic_histograms_to_nhcb", "scrape_native_histograms", "enable_compression");

    /** Prometheus scrape config keys Mantis does not implement, with what to do instead. */
    private static final Map<String, String> UNSUPPORTED_SCRAPE = new LinkedHashMap<>();

    static {
        for (String k : List.of("relabel_configs", "metric_relabel_configs")) {
            UNSUPPORTED_SCRAPE.put(k, "relabeling is not implemented; filter or rename with a processor instead");
        }
        for (String k : List.of("basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file",
                "tls_config", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header",
                "http_headers", "enable_http2")) {
            UNSUPPORTED_SCRAPE.put(k, "scrapes use plain HTTP(S) without client authentication, TLS settings"
                    + " or proxies");
        }
        for (String k : List.of("scrape_protocols", "fallback_scrape_protocol", "scrape_classic_histograms",
                "always_scrape_classic_histograms", "native_histogram_bucket_limit",
                "native_histogram_min_bucket_factor", "convert_classic_histograms_to_nhcb",
                "scrape_native_histograms", "track_timestamps_staleness", "body_size_limit", "label_limit",
                "label_name_length_limit", "label_value_length_limit", "target_limit", "keep_dropped_targets",
                "metric_name_validation_scheme", "metric_name_escaping_scheme", "scrape_failure_log_file")) {
            UNSUPPORTED_SCRAPE.put(k, "the text formats are scraped with their defaults");
        }
    }

    private ScrapeConfigs() {
    }

    /** {@code config.global}. */
    record Global(Duration scrapeInterval, Duration scrapeTimeout, Map<String, String> externalLabels,
                  Duration evaluationInterval) {
        static final Global DEFAULTS = new Global(DEFAULT_INTERVAL, DEFAULT_TIMEOUT, Map.of(), Duration.ofMinutes(1));

        Global {
            positive("scrape_interval", scrapeInterval);
            positive("scrape_timeout", scrapeTimeout);
            externalLabels = externalLabels == null ? Map.of() : new LinkedHashMap<>(externalLabels);
            checkLabelNames("external_labels", externalLabels);
            if (scrapeTimeout.compareTo(scrapeInterval) > 0) {
                throw new ConfigValueException("scrape_timeout", "global scrape_timeout "
                        + Durations.format(scrapeTimeout) + " is greater than scrape_interval "
                        + Durations.format(scrapeInterval));
            }
        }
    }

    /** One element of {@code config.scrape_configs}. */
    record ScrapeConfig(@Required String jobName, Duration scrapeInterval, Duration scrapeTimeout, String metricsPath,
                        String scheme, boolean honorLabels, boolean honorTimestamps,
                        Map<String, List<String>> params, List<StaticConfig> staticConfigs, int sampleLimit,
                        boolean enableCompression, boolean followRedirects) {
        static final ScrapeConfig DEFAULTS = new ScrapeConfig(null, null, null, "/metrics", "http", false, true,
                Map.of(), List.of(), 0, true, true);

        ScrapeConfig {
            if (jobName != null && jobName.isBlank()) {
                throw new ConfigValueException("job_name", "must not be empty");
            }
            if (scrapeInterval != null) {
                positive("scrape_interval", scrapeInterval);
            }
            if (scrapeTimeout != null) {
                positive("scrape_timeout", scrapeTimeout);
            }
            if (scrapeInterval != null && scrapeTimeout != null && scrapeTimeout.compareTo(scrapeInterval) > 0) {
                throw new ConfigValueException("scrape_timeout", "scrape_timeout " + Durations.format(scrapeTimeout)
                        + " is greater than scrape_interval " + Durations.format(scrapeInterval));
            }
            if (metricsPath == null || !metricsPath.startsWith("/")) {
                throw new ConfigValueException("metrics_path", "must start with '/', got '" + metricsPath + "'");
            }
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new ConfigValueException("scheme", "expected http or https, got '" + scheme + "'");
            }
            if (sampleLimit < 0) {
                throw new ConfigValueException("sample_limit", "must not be negative (0 means no limit)");
            }
            params = params == null ? Map.of() : new LinkedHashMap<>(params);
            staticConfigs = staticConfigs == null ? List.of() : List.copyOf(staticConfigs);
        }
    }

    /** One element of {@code static_configs}. */
    record StaticConfig(List<String> targets, Map<String, String> labels) {
        StaticConfig {
            targets = targets == null ? List.of() : List.copyOf(targets);
            labels = labels == null ? Map.of() : new LinkedHashMap<>(labels);
            for (String t : targets) {
                String problem = checkTarget(t);
                if (problem != null) {
                    throw new ConfigValueException("targets", problem);
                }
            }
            checkLabelNames("labels", labels);
        }
    }

    /** The receiver's targets; problems are added with their locations, and then null is returned. */
    static List<ScrapeTarget> targets(PrometheusReceiverConfig cfg, ConfigProblems problems) {
        int before = problems.size();
        ConfigNode config = cfg.config();
        if (config == null || !config.isMapping()) {
            if (config != null) {
                problems.add(config, "expected a Prometheus configuration: a mapping with global and scrape_configs");
            }
            return null;
        }
        for (String key : config.keys()) {
            if (UNSUPPORTED_TOP.containsKey(key)) {
                problems.add(config.keyNode(key), "'" + key + "' is not supported by the prometheus receiver ("
                        + UNSUPPORTED_TOP.get(key) + ")");
            } else if (!key.equals("global") && !key.equals("scrape_configs")) {
                problems.add(config.keyNode(key), "unknown key '" + key + "' in '" + config.path()
                        + "' (expected one of: global, scrape_configs)");
            }
        }

        Global global = Global.DEFAULTS;
        ConfigNode globalNode = config.get("global");
        if (globalNode != null && !globalNode.isNull()) {
            if (globalNode.isMapping()) {
                for (String key : globalNode.keys()) {
                    if (UNSUPPORTED_GLOBAL.contains(key)) {
                        problems.add(globalNode.keyNode(key), "'" + key + "' is not supported by the prometheus"
                                + " receiver");
                        globalNode = globalNode.withoutKey(key);
                    }
                }
            }
            global = ConfigBinder.bind(globalNode, Global.class, Global.DEFAULTS, problems);
        }

        List<ScrapeTarget> out = new ArrayList<>();
        ConfigNode list = config.get("scrape_configs");
        if (list == null || list.isNull()) {
            problems.add(config, "scrape_configs", "missing required key 'scrape_configs': list at least one job"
                    + " with static_configs targets");
            return null;
        }
        if (!list.isSequence()) {
            problems.add(list, "expected a list of scrape configs");
            return null;
        }
        Set<String> jobs = new HashSet<>();
        for (ConfigNode element : list.elements()) {
            if (!element.isMapping()) {
                problems.add(element, "expected a scrape config mapping with job_name and static_configs");
                continue;
            }
            ConfigNode node = element;
            for (String key : element.keys()) {
                String reason = key.endsWith("_sd_configs")
                        ? "service discovery is not implemented; list the targets under static_configs"
                        : UNSUPPORTED_SCRAPE.get(key);
                if (reason != null) {
                    problems.add(element.keyNode(key), "'" + key + "' is not supported by the prometheus receiver ("
                            + reason + ")");
                    node = node.withoutKey(key);
                }
            }
            ScrapeConfig sc = ConfigBinder.bind(node, ScrapeConfig.class, ScrapeConfig.DEFAULTS, problems);
            if (sc == null || global == null) {
                continue;
            }
            if (!jobs.add(sc.jobName())) {
                problems.add(element.get("job_name"), "found multiple scrape configs with job name '" + sc.jobName()
                        + "'");
                continue;
            }
            Duration interval = sc.scrapeInterval() != null ? sc.scrapeInterval() : global.scrapeInterval();
            Duration timeout;
            if (sc.scrapeTimeout() != null) {
                timeout = sc.scrapeTimeout();
            } else {
                // As Prometheus: the global timeout, but never longer than the job's interval.
                timeout = global.scrapeTimeout().compareTo(interval) > 0 ? interval : global.scrapeTimeout();
            }
            if (timeout.compareTo(interval) > 0) {
                problems.add(element.get("scrape_timeout") != null ? element.get("scrape_timeout") : element,
                        "scrape_timeout " + Durations.format(timeout) + " is greater than scrape_interval "
                                + Durations.format(interval) + " for job '" + sc.jobName() + "'");
                continue;
            }
            if (sc.staticConfigs().isEmpty()) {
                problems.add(element, "job '" + sc.jobName() + "' has no static_configs: list its targets there");
                continue;
            }
            for (StaticConfig st : sc.staticConfigs()) {
                for (String address : st.targets()) {
                    out.add(target(sc, st, address, global, interval, timeout, cfg.reportExtraScrapeMetrics()));
                }
            }
        }
        return problems.size() > before ? null : out;
    }

    private static ScrapeTarget target(ScrapeConfig sc, StaticConfig st, String address, Global global,
                                       Duration interval, Duration timeout, boolean extraMetrics) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("job", sc.jobName());
        labels.putAll(st.labels());
        labels.putIfAbsent("instance", address);
        StringBuilder url = new StringBuilder(sc.scheme()).append("://").append(address).append(sc.metricsPath());
        char sep = sc.metricsPath().contains("?") ? '&' : '?';
        for (Map.Entry<String, List<String>> p : sc.params().entrySet()) {
            for (String v : p.getValue()) {
                url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return new ScrapeTarget(sc.jobName(), address, sc.scheme(), URI.create(url.toString()), labels,
                global.externalLabels(), sc.honorLabels(), sc.honorTimestamps(), interval, timeout, sc.sampleLimit(),
                sc.enableCompression(), sc.followRedirects(), extraMetrics);
    }

    /** Null when {@code t} is a usable {@code host:port}, else what is wrong with it. */
    static String checkTarget(String t) {
        if (t == null || t.isBlank()) {
            return "a target must not be empty";
        }
        if (t.contains("://")) {
            return "target '" + t + "' must be host:port without a scheme (set 'scheme' on the job instead)";
        }
        if (t.contains("/") || t.contains("?") || t.contains("#")) {
            return "target '" + t + "' must be host:port without a path (set 'metrics_path' on the job instead)";
        }
        try {
            URI u = new URI("http://" + t + "/");
            if (u.getHost() == null || u.getUserInfo() != null) {
                return "target '" + t + "' is not a valid host:port";
            }
        } catch (URISyntaxException e) {
            return "target '" + t + "' is not a valid host:port";
        }
        return null;
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigValueException(key, "must be a positive duration");
        }
    }

    private static void checkLabelNames(String key, Map<String, String> labels) {
        for (String name : labels.keySet()) {
            boolean ok = !name.isEmpty();
            for (int i = 0; i < name.length() && ok; i++) {
                char c = name.charAt(i);
                ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            }
            if (!ok) {
                throw new ConfigValueException(key, "invalid label name '" + name + "' (expected [a-zA-Z_][a-zA-Z0-9_]*)");
            }
            if (name.startsWith("__")) {
                throw new ConfigValueException(key, "label '" + name + "': names starting with __ are Prometheus"
                        + " internals, which this receiver does not implement");
            }
        }
    }
}
