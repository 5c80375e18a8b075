package io.mantis.otlp.prometheus;

import java.util.Map;
import java.util.TreeMap;

/**
 * How {@link PrometheusTranslator} maps OTLP to Prometheus. The defaults ({@link #defaults()})
 * match the collector's {@code prometheusremotewrite} exporter.
 *
 * @param addMetricSuffixes append unit words and the {@code _total} / {@code _ratio} type
 *     suffixes to metric names (default true); when false names are only made valid
 * @param resourceToTelemetryConversion copy every resource attribute onto every series as a
 *     label (default false, where resource attributes only reach {@code target_info})
 * @param disableTargetInfo do not emit the {@code target_info} series (default false)
 * @param namespace prefix for every metric name, joined with {@code _}; null or empty for none
 * @param externalLabels labels added to every series unless the data already has that label
 *     (names are sanitised like attribute keys)
 * @param exportCreatedMetric emit {@code _created} series (start time, in Unix seconds as
 *     OpenMetrics defines) for counters, histograms and summaries (default false)
 * @param sendExponentialAsNative translate exponential histograms to native histograms
 *     (default true); when false they are dropped with a reason
 * @param addScopeLabels add {@code otel_scope_name} / {@code otel_scope_version} labels from the
 *     instrumentation scope (default true)
 */
public record TranslationSettings(
        boolean addMetricSuffixes,
        boolean resourceToTelemetryConversion,
        boolean disableTargetInfo,
        String namespace,
        Map<String, String> externalLabels,
        boolean exportCreatedMetric,
        boolean sendExponentialAsNative,
        boolean addScopeLabels) {

    private static final TranslationSettings DEFAULTS =
            new TranslationSettings(true, false, false, null, Map.of(), false, true, true);

    public TranslationSettings {
        namespace = namespace == null || namespace.isBlank() ? null : namespace;
        // Sanitised once here so the per-point path never re-checks them; sorted for a stable
        // order when two raw names collide after sanitising (the later one wins).
        Map<String, String> clean = new TreeMap<>();
        if (externalLabels != null) {
            new TreeMap<>(externalLabels).forEach((k, v) -> {
                String name = PrometheusNames.labelName(k);
                if (!name.isEmpty() && v != null && !v.isEmpty()) {
                    clean.put(name, v);
                }
            });
        }
        externalLabels = Map.copyOf(clean);
    }

    /** The collector exporter's defaults. */
    public static TranslationSettings defaults() {
        return DEFAULTS;
    }

    public TranslationSettings withAddMetricSuffixes(boolean v) {
        return new TranslationSettings(v, resourceToTelemetryConversion, disableTargetInfo, namespace,
                externalLabels, exportCreatedMetric, sendExponentialAsNative, addScopeLabels);
    }

    public TranslationSettings withResourceToTelemetryConversion(boolean v) {
        return new TranslationSettings(addMetricSuffixes, v, disableTargetInfo, namespace,
                externalLabels, exportCreatedMetric, sendExponentialAsNative, addScopeLabels);
    }

    public TranslationSettings withDisableTargetInfo(boolean v) {
        return new TranslationSettings(addMetricSuffixes, resourceToTelemetryConversion, v, namespace,
                externalLabels, exportCreatedMetric, sendExponentialAsNative, addScopeLabels);
    }

    public TranslationSettings withNamespace(String v) {
        return new TranslationSettings(addMetricSuffixes, resourceToTelemetryConversion, disableTargetInfo, v,
                externalLabels, exportCreatedMetric, sendExponentialAsNative, addScopeLabels);
    }

    public TranslationSettings withExternalLabels(Map<String, String> v) {
        return new TranslationSettings(addMetricSuffixes, resourceToTelemetryConversion, disableTargetInfo,
                namespace, v, exportCreatedMetric, sendExponentialAsNative, addScopeLabels);
    }

    public TranslationSettings withExportCreatedMetric(boolean v) {
        return new TranslationSettings(addMetricSuffixes, resourceToTelemetryConversion, disableTargetInfo,
                namespace, externalLabels, v, sendExponentialAsNative, addScopeLabels);
    }

    public TranslationSettings withSendExponentialAsNative(boolean v) {
        return new TranslationSettings(addMetricSuffixes, resourceToTelemetryConversion, disableTargetInfo,
                namespace, externalLabels, exportCreatedMetric, v, addScopeLabels);
    }

    public TranslationSettings withAddScopeLabels(boolean v) {
        return new TranslationSettings(addMetricSuffixes, resourceToTelemetryConversion, disableTargetInfo,
                namespace, externalLabels, exportCreatedMetric, sendExponentialAsNative, v);
    }
}
