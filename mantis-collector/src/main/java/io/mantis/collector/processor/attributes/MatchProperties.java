package io.mantis.collector.processor.attributes;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Required;
import java.util.List;

/**
 * An {@code include} or {@code exclude} section of the attributes processor: which spans, log
 * records or metrics the actions apply to. Every property given must match (and); within a list,
 * any entry may match (or), except {@code attributes} and {@code resources}, where every entry
 * must match. Which properties a signal allows is checked per pipeline, by the factory.
 *
 * @param matchType strict: equality; regexp: Go-syntax regular expressions, unanchored
 * @param services matched against the resource's {@code service.name}
 * @param spanKinds {@code SPAN_KIND_SERVER} and the like
 * @param attributes the item's attributes: a key alone matches when it is present
 * @param resources the resource's attributes, as {@code attributes}
 * @param libraries the instrumentation scope: name, and version when given
 * @param logSeverityNumber the collector's minimum-severity match: not supported
 * @param regexp the collector's regexp cache settings: not supported
 * @param expressions the collector's expr-language match (match_type: expr): not supported
 */
public record MatchProperties(@Required MatchType matchType, List<String> services, List<String> spanNames,
                              List<String> spanKinds, List<String> logBodies, List<String> logSeverityTexts,
                              List<String> metricNames, List<Attribute> attributes, List<Attribute> resources,
                              List<Library> libraries, ConfigNode logSeverityNumber, ConfigNode regexp,
                              ConfigNode expressions) {

    public enum MatchType { STRICT, REGEXP }

    /** An attribute to match: the key alone, or the key with a value (typed as YAML types it). */
    public record Attribute(@Required String key, ConfigNode value) {
        public Attribute {
            if (key == null || key.isEmpty()) {
                throw new ConfigValueException("key", "must not be empty");
            }
            if (value != null && value.isScalar() && value.isNull()) {
                value = null;
            }
        }
    }

    public record Library(@Required String name, String version) {
    }

    public MatchProperties {
        if (matchType == null) {
            throw new ConfigValueException("match_type", "is required: strict or regexp");
        }
        if (logSeverityNumber != null && !logSeverityNumber.isNull()) {
            throw new ConfigValueException("log_severity_number", "is not supported in this version of Mantis;"
                    + " match severities with log_severity_texts, or drop by severity with the filter processor");
        }
        if (regexp != null && !regexp.isNull()) {
            throw new ConfigValueException("regexp", "(the regexp cache settings) is not supported: Mantis does not"
                    + " cache regexp matches");
        }
        if (expressions != null && !expressions.isNull()) {
            throw new ConfigValueException("expressions", "(match_type: expr) is not supported; use metric_names"
                    + " with match_type strict or regexp");
        }
        services = orEmpty(services);
        spanNames = orEmpty(spanNames);
        spanKinds = orEmpty(spanKinds);
        logBodies = orEmpty(logBodies);
        logSeverityTexts = orEmpty(logSeverityTexts);
        metricNames = orEmpty(metricNames);
        attributes = orEmpty(attributes);
        resources = orEmpty(resources);
        libraries = orEmpty(libraries);
        if (matchType == MatchType.STRICT) {
            for (String kind : spanKinds) {
                if (!Matcher.SPAN_KINDS.contains(kind)) {
                    throw new ConfigValueException("span_kinds", "unknown span kind '" + kind + "' (expected one of "
                            + String.join(", ", Matcher.SPAN_KINDS) + ")");
                }
            }
        }
        if (matchType == MatchType.REGEXP) {
            checkRegexps("services", services);
            checkRegexps("span_names", spanNames);
            checkRegexps("span_kinds", spanKinds);
            checkRegexps("log_bodies", logBodies);
            checkRegexps("log_severity_texts", logSeverityTexts);
            checkRegexps("metric_names", metricNames);
            checkAttributeRegexps("attributes", attributes);
            checkAttributeRegexps("resources", resources);
            for (Library l : libraries) {
                checkRegexps("libraries", l.version() == null ? List.of(l.name()) : List.of(l.name(), l.version()));
            }
        }
    }

    private static <E> List<E> orEmpty(List<E> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static void checkRegexps(String key, List<String> patterns) {
        for (String p : patterns) {
            try {
                io.mantis.collector.processor.shared.GoRegex.compile(p);
            } catch (IllegalArgumentException e) {
                throw new ConfigValueException(key, e.getMessage());
            }
        }
    }

    private static void checkAttributeRegexps(String key, List<Attribute> attrs) {
        for (Attribute a : attrs) {
            if (a.value() == null) {
                continue;
            }
            if (!a.value().isScalar() || a.value().scalarType() != ConfigNode.ScalarType.STRING) {
                throw new ConfigValueException(key, "match_type regexp needs a string value for '" + a.key()
                        + "' (got " + a.value() + ")");
            }
            checkRegexps(key, List.of(a.value().scalar()));
        }
    }
}
