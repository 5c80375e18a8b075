package io.mantis.otlp.loki;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How OTLP logs map onto Loki streams. The defaults reproduce Loki 3's native OTLP ingestion
 * with its default limits.
 *
 * @param indexLabelAttributes resource attribute keys (as OTLP spells them, e.g.
 *     {@code service.name}) that become stream labels; every other resource attribute becomes
 *     structured metadata. Loki's {@code default_resource_attributes_as_index_labels}.
 * @param serviceNameDiscovery when a resource has no non-empty {@code service.name}, the stream
 *     labels (after sanitising) tried in order for a {@code service_name} label; when none is
 *     present {@code service_name} is {@code unknown_service}. An empty list adds no
 *     {@code service_name} at all. Loki's {@code discover_service_name}.
 * @param detectLevel whether to add a {@code detected_level} structured-metadata entry, as Loki's
 *     {@code discover_log_levels} does at ingestion
 * @param levelFields the label / metadata / JSON / logfmt field names a level is read from before
 *     falling back to the severity number and the line text. Loki's {@code log_level_fields}.
 * @param levelFromJsonMaxDepth how many levels of a JSON line are searched for a level field; 0
 *     or less searches all. Loki's {@code log_level_from_json_max_depth}.
 */
public record LokiTranslatorSettings(
        List<String> indexLabelAttributes,
        List<String> serviceNameDiscovery,
        boolean detectLevel,
        List<String> levelFields,
        int levelFromJsonMaxDepth) {

    /**
     * Loki's default resource attributes stored as index labels. The list in Loki's code has both
     * the old {@code deployment.environment} and the semantic-conventions 1.27+
     * {@code deployment.environment.name}; its documentation page lists only one of them
     * depending on the version.
     */
    public static final List<String> DEFAULT_INDEX_LABEL_ATTRIBUTES = List.of(
            "service.name",
            "service.namespace",
            "service.instance.id",
            "deployment.environment",
            "deployment.environment.name",
            "cloud.region",
            "cloud.availability_zone",
            "k8s.cluster.name",
            "k8s.namespace.name",
            "k8s.pod.name",
            "k8s.container.name",
            "container.name",
            "k8s.replicaset.name",
            "k8s.deployment.name",
            "k8s.statefulset.name",
            "k8s.daemonset.name",
            "k8s.cronjob.name",
            "k8s.job.name");

    /** Loki's default {@code discover_service_name}. */
    public static final List<String> DEFAULT_SERVICE_NAME_DISCOVERY = List.of(
            "service", "app", "application", "app_name", "name", "app_kubernetes_io_name",
            "container", "container_name", "k8s_container_name", "component", "workload", "job",
            "k8s_job_name");

    /** Loki's default {@code log_level_fields}. */
    public static final List<String> DEFAULT_LEVEL_FIELDS = List.of(
            "level", "LEVEL", "Level", "Severity", "severity", "SEVERITY", "lvl", "LVL", "Lvl");

    /** Loki's default {@code log_level_from_json_max_depth}. */
    public static final int DEFAULT_LEVEL_FROM_JSON_MAX_DEPTH = 2;

    private static final LokiTranslatorSettings DEFAULTS = new LokiTranslatorSettings(
            DEFAULT_INDEX_LABEL_ATTRIBUTES, DEFAULT_SERVICE_NAME_DISCOVERY, true,
            DEFAULT_LEVEL_FIELDS, DEFAULT_LEVEL_FROM_JSON_MAX_DEPTH);

    public LokiTranslatorSettings {
        indexLabelAttributes = List.copyOf(indexLabelAttributes);
        serviceNameDiscovery = List.copyOf(serviceNameDiscovery);
        levelFields = List.copyOf(levelFields);
    }

    public static LokiTranslatorSettings defaults() {
        return DEFAULTS;
    }

    /** These settings with exactly {@code attributes} as index labels (Loki's ignore_defaults). */
    public LokiTranslatorSettings withIndexLabelAttributes(Collection<String> attributes) {
        return new LokiTranslatorSettings(List.copyOf(attributes), serviceNameDiscovery,
                detectLevel, levelFields, levelFromJsonMaxDepth);
    }

    /** These settings with {@code attributes} added to the index labels. */
    public LokiTranslatorSettings withAddedIndexLabelAttributes(String... attributes) {
        List<String> list = new ArrayList<>(indexLabelAttributes);
        for (String a : attributes) {
            if (!list.contains(Objects.requireNonNull(a))) {
                list.add(a);
            }
        }
        return withIndexLabelAttributes(list);
    }

    /** These settings with {@code attributes} demoted from index labels to structured metadata. */
    public LokiTranslatorSettings withoutIndexLabelAttributes(String... attributes) {
        List<String> list = new ArrayList<>(indexLabelAttributes);
        list.removeAll(Arrays.asList(attributes));
        return withIndexLabelAttributes(list);
    }

    public LokiTranslatorSettings withServiceNameDiscovery(List<String> labels) {
        return new LokiTranslatorSettings(indexLabelAttributes, labels, detectLevel, levelFields,
                levelFromJsonMaxDepth);
    }

    public LokiTranslatorSettings withDetectLevel(boolean enabled) {
        return new LokiTranslatorSettings(indexLabelAttributes, serviceNameDiscovery, enabled,
                levelFields, levelFromJsonMaxDepth);
    }

    public LokiTranslatorSettings withLevelFields(List<String> fields, int jsonMaxDepth) {
        return new LokiTranslatorSettings(indexLabelAttributes, serviceNameDiscovery, detectLevel,
                fields, jsonMaxDepth);
    }
}
