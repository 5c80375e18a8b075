package io.mantis.collector.processor.attributes;

import io.mantis.collector.model.AnyValues;
import io.mantis.collector.processor.shared.GoRegex;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A compiled {@link MatchProperties}: does an item have every property it asks for? */
final class Matcher {
    /** Span kinds as the collector names them when matching (its {@code SpanKindStr}), by kind number. */
    static final List<String> SPAN_KINDS = List.of("SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER");
    /** What the collector matches {@code services} against when a resource has no service.name. */
    static final String NO_SERVICE_NAME = "<nil-service-name>";

    /** Strings to match: a set for strict, regular expressions for regexp; any one matching is enough. */
    private record StringSet(Set<String> exact, List<GoRegex> patterns) {
        static StringSet of(MatchProperties.MatchType type, List<String> values) {
            if (values.isEmpty()) {
                return null;
            }
            if (type == MatchProperties.MatchType.STRICT) {
                return new StringSet(new HashSet<>(values), List.of());
            }
            return new StringSet(Set.of(), values.stream().map(GoRegex::compile).toList());
        }

        boolean matches(String s) {
            if (exact.contains(s)) {
                return true;
            }
            for (GoRegex p : patterns) {
                if (p.find(s)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One attribute: presence, an exact typed value (strict) or a pattern over its text (regexp). */
    private record AttributeMatch(String key, AnyValue value, GoRegex pattern) {
        boolean matches(List<KeyValue> attrs) {
            AnyValue v = AnyValues.get(attrs, key);
            if (v == null) {
                return false;
            }
            if (pattern != null) {
                String text = switch (v.getValueCase()) {
                    case STRING_VALUE -> v.getStringValue();
                    case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                    case INT_VALUE -> Long.toString(v.getIntValue());
                    case DOUBLE_VALUE -> AnyValues.formatDoublePlain(v.getDoubleValue());
                    // The collector does not match other types against a pattern.
                    default -> null;
                };
                return text != null && pattern.find(text);
            }
            return value == null || AnyValues.equal(value, v);
        }
    }

    private record LibraryMatch(StringSet name, StringSet version) {
        boolean matches(InstrumentationScope scope) {
            return name.matches(scope.getName()) && (version == null || version.matches(scope.getVersion()));
        }
    }

    private final StringSet services;
    private final StringSet spanNames;
    private final StringSet spanKinds;
    private final StringSet logBodies;
    private final StringSet logSeverityTexts;
    private final StringSet metricNames;
    private final List<AttributeMatch> attributes;
    private final List<AttributeMatch> resources;
    private final List<LibraryMatch> libraries;

    Matcher(MatchProperties p) {
        MatchProperties.MatchType t = p.matchType();
        services = StringSet.of(t, p.services());
        spanNames = StringSet.of(t, p.spanNames());
        spanKinds = StringSet.of(t, p.spanKinds());
        logBodies = StringSet.of(t, p.logBodies());
        logSeverityTexts = StringSet.of(t, p.logSeverityTexts());
        metricNames = StringSet.of(t, p.metricNames());
        attributes = attributeMatches(t, p.attributes());
        resources = attributeMatches(t, p.resources());
        List<LibraryMatch> libs = new ArrayList<>();
        for (MatchProperties.Library l : p.libraries()) {
            libs.add(new LibraryMatch(StringSet.of(t, List.of(l.name())),
                    l.version() == null ? null : StringSet.of(t, List.of(l.version()))));
        }
        libraries = List.copyOf(libs);
    }

    private static List<AttributeMatch> attributeMatches(MatchProperties.MatchType t,
                                                         List<MatchProperties.Attribute> attrs) {
        List<AttributeMatch> out = new ArrayList<>();
        for (MatchProperties.Attribute a : attrs) {
            if (a.value() == null) {
                out.add(new AttributeMatch(a.key(), null, null));
            } else if (t == MatchProperties.MatchType.REGEXP) {
                out.add(new AttributeMatch(a.key(), null, GoRegex.compile(a.value().scalar())));
            } else {
                out.add(new AttributeMatch(a.key(), AnyValues.fromConfig(a.value()), null));
            }
        }
        return List.copyOf(out);
    }

    boolean matchesSpan(Resource resource, InstrumentationScope scope, Span span) {
        if (services != null && !services.matches(serviceName(resource))) {
            return false;
        }
        if (spanNames != null && !spanNames.matches(span.getName())) {
            return false;
        }
        if (spanKinds != null && !spanKinds.matches(spanKind(span.getKindValue()))) {
            return false;
        }
        return common(resource, scope, span.getAttributesList());
    }

    boolean matchesLog(Resource resource, InstrumentationScope scope, LogRecord log) {
        if (logBodies != null && !logBodies.matches(AnyValues.asString(log.getBody()))) {
            return false;
        }
        if (logSeverityTexts != null && !logSeverityTexts.matches(log.getSeverityText())) {
            return false;
        }
        return common(resource, scope, log.getAttributesList());
    }

    boolean matchesMetric(Resource resource, Metric metric) {
        if (metricNames != null && !metricNames.matches(metric.getName())) {
            return false;
        }
        return all(resources, resource.getAttributesList());
    }

    private boolean common(Resource resource, InstrumentationScope scope, List<KeyValue> attrs) {
        if (!libraries.isEmpty() && libraries.stream().noneMatch(l -> l.matches(scope))) {
            return false;
        }
        return all(resources, resource.getAttributesList()) && all(attributes, attrs);
    }

    private static boolean all(List<AttributeMatch> matches, List<KeyValue> attrs) {
        for (AttributeMatch m : matches) {
            if (!m.matches(attrs)) {
                return false;
            }
        }
        return true;
    }

    static String serviceName(Resource resource) {
        AnyValue v = AnyValues.get(resource.getAttributesList(), "service.name");
        return v == null ? NO_SERVICE_NAME : AnyValues.asString(v);
    }

    static String spanKind(int kind) {
        return kind >= 0 && kind < SPAN_KINDS.size() ? SPAN_KINDS.get(kind) : "";
    }
}
