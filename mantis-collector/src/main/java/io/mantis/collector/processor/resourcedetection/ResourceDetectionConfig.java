package io.mantis.collector.processor.resourcedetection;

import io.mantis.common.config.ConfigValueException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code resourcedetection} processor's config, as in the collector, with the detectors this
 * version has: {@code env}, {@code system} and {@code process} (the last is Mantis' own: the
 * collector has no such detector, see {@link ProcessDetector}).
 *
 * @param detectors run in order; when two detect the same attribute, the first one listed wins
 * @param override whether detected attributes replace those the data already has
 * @param timeout how long detection may take at start; a detector still running then is skipped
 */
public record ResourceDetectionConfig(List<String> detectors, boolean override, Duration timeout,
                                      SystemConfig system) {
    static final List<String> DETECTORS = List.of("env", "system", "process");
    public static final ResourceDetectionConfig DEFAULTS = new ResourceDetectionConfig(List.of("env"), true,
            Duration.ofSeconds(5), SystemConfig.DEFAULTS);

    /**
     * The system detector's settings.
     *
     * @param hostnameSources where host.name comes from, tried in order: dns (the fully qualified
     *     name) and os (the name the OS reports)
     * @param resourceAttributes turns attributes on or off; by default host.name and os.type are on
     *     and host.arch is off, as in the collector
     */
    public record SystemConfig(List<String> hostnameSources, Map<String, Toggle> resourceAttributes) {
        static final List<String> SOURCES = List.of("dns", "os");
        static final Map<String, Boolean> ATTRIBUTES = Map.of("host.name", true, "os.type", true, "host.arch", false);
        public static final SystemConfig DEFAULTS = new SystemConfig(List.of("dns", "os"), Map.of());

        public SystemConfig {
            hostnameSources = hostnameSources == null ? List.of("dns", "os") : List.copyOf(hostnameSources);
            if (hostnameSources.isEmpty()) {
                throw new ConfigValueException("hostname_sources", "must name at least one source: dns, os");
            }
            for (String s : hostnameSources) {
                if (!SOURCES.contains(s)) {
                    throw new ConfigValueException("hostname_sources", "source '" + s + "' is not "
                            + (s.equals("cname") || s.equals("lookup") ? "supported in this version of Mantis"
                            : "known") + " (available: dns, os)");
                }
            }
            resourceAttributes = resourceAttributes == null ? Map.of() : new LinkedHashMap<>(resourceAttributes);
            for (String name : resourceAttributes.keySet()) {
                if (!ATTRIBUTES.containsKey(name)) {
                    throw new ConfigValueException("resource_attributes", "'" + name + "' is not detected by the"
                            + " system detector in this version of Mantis (available: host.name, os.type, host.arch)");
                }
            }
            resourceAttributes = Map.copyOf(resourceAttributes);
        }

        boolean enabled(String attribute) {
            Toggle t = resourceAttributes.get(attribute);
            return t != null && t.enabled() != null ? t.enabled() : ATTRIBUTES.get(attribute);
        }
    }

    /** @param enabled null keeps the attribute's default */
    public record Toggle(Boolean enabled) {
    }

    public ResourceDetectionConfig {
        detectors = detectors == null ? List.of() : List.copyOf(detectors);
        for (String d : detectors) {
            if (!DETECTORS.contains(d)) {
                throw new ConfigValueException("detectors", "detector '" + d + "' is not available in this version of"
                        + " Mantis (available: " + String.join(", ", DETECTORS) + ")");
            }
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigValueException("timeout", "must be greater than zero");
        }
        system = system == null ? SystemConfig.DEFAULTS : system;
    }
}
