package io.mantis.otlp.loki;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Maps OTLP logs onto Loki streams the way Loki 3's native OTLP endpoint does.
 *
 * <ul>
 *   <li><b>Stream labels</b>: the resource attributes listed in
 *       {@link LokiTranslatorSettings#indexLabelAttributes()}, names sanitised
 *       ({@code service.name} → {@code service_name}). Without a non-empty {@code service.name},
 *       {@code service_name} is taken from the first present discovery label, else
 *       {@code unknown_service}. Labels with empty values are left out, since an empty label is
 *       the same as an absent one in Loki's data model.
 *   <li><b>Structured metadata</b>, in Loki's order: the record's attributes, then
 *       {@code observed_timestamp} (only when the record also has its own timestamp),
 *       {@code severity_number}, {@code severity_text}, {@code dropped_attributes_count},
 *       {@code flags}, {@code trace_id} and {@code span_id} (lower-case hex), each only when set;
 *       then the resource attributes that are not labels; then the scope's attributes,
 *       {@code scope_name}, {@code scope_version} and {@code scope_dropped_attributes_count}; and
 *       last, optionally, {@code detected_level} (see {@link LevelDetector}).
 *   <li><b>Attribute values</b>: a map value is flattened into one entry per leaf, names joined
 *       with {@code _} ({@code http: {method: GET}} → {@code http_method=GET}); other values are
 *       stringified by {@link AnyValues#asString}. Attributes whose name sanitises to the empty
 *       string are skipped.
 *   <li><b>Line</b>: the body, stringified by {@link AnyValues#asString} (a string as is,
 *       anything else as text or JSON).
 *   <li><b>Timestamp</b>: {@code time_unix_nano}, else {@code observed_time_unix_nano}, else the
 *       clock's now.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LokiTranslator {

    static final String SERVICE_NAME_ATTRIBUTE = "service.name";
    static final String SERVICE_NAME_LABEL = "service_name";
    static final String UNKNOWN_SERVICE = "unknown_service";
    static final String SEVERITY_NUMBER = "severity_number";

    private final LokiTranslatorSettings settings;
    private final Set<String> indexAttributes;
    private final LevelDetector levelDetector;
    private final Clock clock;

    public LokiTranslator() {
        this(LokiTranslatorSettings.defaults());
    }

    public LokiTranslator(LokiTranslatorSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A translator reading "now" (for records with no timestamp at all) from {@code clock}. */
    public LokiTranslator(LokiTranslatorSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.indexAttributes = new HashSet<>(settings.indexLabelAttributes());
        this.levelDetector = settings.detectLevel()
                ? new LevelDetector(settings.levelFields(), settings.levelFromJsonMaxDepth())
                : null;
    }

    public LokiTranslatorSettings settings() {
        return settings;
    }

    /** Translates a whole export request, grouped into streams in order of first appearance. */
    public List<LokiStream> translate(ExportLogsServiceRequest request) {
        StreamCollector collector = new StreamCollector();
        translate(request, collector);
        return collector.streams();
    }

    /** Feeds every record of {@code request} to {@code sink}, in input order. */
    public void translate(ExportLogsServiceRequest request, StreamSink sink) {
        for (ResourceLogs rl : request.getResourceLogsList()) {
            translate(rl, sink);
        }
    }

    /** Feeds every record of one resource to {@code sink}, in input order. */
    public void translate(ResourceLogs resourceLogs, StreamSink sink) {
        List<KeyValue> resourceAttributes = resourceLogs.getResource().getAttributesList();
        Labels.Builder labels = Labels.builder();
        List<LabelPair> resourceMetadata = new ArrayList<>(resourceAttributes.size());
        boolean hasServiceName = false;
        for (KeyValue kv : resourceAttributes) {
            if (kv.getKey().equals(SERVICE_NAME_ATTRIBUTE) && !AnyValues.asString(kv.getValue()).isEmpty()) {
                hasServiceName = true;
            }
            if (indexAttributes.contains(kv.getKey())) {
                List<LabelPair> flat = new ArrayList<>(1);
                flatten(kv.getKey(), kv.getValue(), null, flat);
                for (LabelPair p : flat) {
                    if (!p.value().isEmpty()) {
                        labels.put(p.name(), p.value());
                    }
                }
            } else {
                flatten(kv.getKey(), kv.getValue(), null, resourceMetadata);
            }
        }
        if (!hasServiceName && !settings.serviceNameDiscovery().isEmpty()) {
            String discovered = UNKNOWN_SERVICE;
            for (String candidate : settings.serviceNameDiscovery()) {
                String v = labels.get(candidate);
                if (v != null) {
                    discovered = v;
                    break;
                }
            }
            labels.put(SERVICE_NAME_LABEL, discovered);
        }
        Labels streamLabels = labels.build();

        for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
            List<LabelPair> scopeMetadata = scopeMetadata(scopeLogs.getScope());
            for (LogRecord record : scopeLogs.getLogRecordsList()) {
                emit(streamLabels, resourceMetadata, scopeMetadata, record, sink);
            }
        }
    }

    private static List<LabelPair> scopeMetadata(InstrumentationScope scope) {
        List<LabelPair> out = new ArrayList<>(scope.getAttributesCount() + 3);
        for (KeyValue kv : scope.getAttributesList()) {
            flatten(kv.getKey(), kv.getValue(), null, out);
        }
        if (!scope.getName().isEmpty()) {
            out.add(new LabelPair("scope_name", scope.getName()));
        }
        if (!scope.getVersion().isEmpty()) {
            out.add(new LabelPair("scope_version", scope.getVersion()));
        }
        if (scope.getDroppedAttributesCount() != 0) {
            out.add(new LabelPair("scope_dropped_attributes_count",
                    Integer.toUnsignedString(scope.getDroppedAttributesCount())));
        }
        return out;
    }

    private void emit(Labels streamLabels, List<LabelPair> resourceMetadata,
            List<LabelPair> scopeMetadata, LogRecord record, StreamSink sink) {
        int capacity = record.getAttributesCount() + 8 + resourceMetadata.size() + scopeMetadata.size();
        List<LabelPair> metadata = new ArrayList<>(capacity);
        for (KeyValue kv : record.getAttributesList()) {
            flatten(kv.getKey(), kv.getValue(), null, metadata);
        }
        long time = record.getTimeUnixNano();
        long observed = record.getObservedTimeUnixNano();
        if (time != 0 && observed != 0) {
            // Without its own timestamp the observed time becomes the entry's timestamp, so Loki
            // stores it only when it is extra information.
            metadata.add(new LabelPair("observed_timestamp", Long.toString(observed)));
        }
        if (record.getSeverityNumberValue() != 0) {
            metadata.add(new LabelPair(SEVERITY_NUMBER, Integer.toString(record.getSeverityNumberValue())));
        }
        if (!record.getSeverityText().isEmpty()) {
            metadata.add(new LabelPair("severity_text", record.getSeverityText()));
        }
        if (record.getDroppedAttributesCount() != 0) {
            metadata.add(new LabelPair("dropped_attributes_count",
                    Integer.toUnsignedString(record.getDroppedAttributesCount())));
        }
        if (record.getFlags() != 0) {
            metadata.add(new LabelPair("flags", Integer.toUnsignedString(record.getFlags())));
        }
        if (!isAllZero(record.getTraceId())) {
            metadata.add(new LabelPair("trace_id", hex(record.getTraceId())));
        }
        if (!isAllZero(record.getSpanId())) {
            metadata.add(new LabelPair("span_id", hex(record.getSpanId())));
        }
        metadata.addAll(resourceMetadata);
        metadata.addAll(scopeMetadata);

        String line = AnyValues.asString(record.getBody());
        if (levelDetector != null && !streamLabels.has(LevelDetector.DETECTED_LEVEL)
                && !containsName(metadata, LevelDetector.DETECTED_LEVEL)) {
            String level = levelDetector.detect(streamLabels, metadata, line);
            if (!level.isEmpty()) {
                metadata.add(new LabelPair(LevelDetector.DETECTED_LEVEL, level));
            }
        }

        long timestamp;
        if (time != 0) {
            timestamp = time;
        } else if (observed != 0) {
            timestamp = observed;
        } else {
            Instant now = clock.instant();
            timestamp = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        sink.entry(streamLabels, timestamp, line, metadata);
    }

    /**
     * Appends {@code value} under {@code key} to {@code out}, flattening maps into one pair per
     * leaf with {@code _}-joined names. {@code prefix} is the already sanitised parent name, or
     * null at the top level.
     */
    static void flatten(String key, AnyValue value, String prefix, List<LabelPair> out) {
        String name = LabelNames.sanitize(prefix == null ? key : prefix + "_" + key);
        if (value.getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
            for (KeyValue kv : value.getKvlistValue().getValuesList()) {
                flatten(kv.getKey(), kv.getValue(), name, out);
            }
            return;
        }
        if (name.isEmpty()) {
            return;
        }
        out.add(new LabelPair(name, AnyValues.asString(value)));
    }

    private static boolean containsName(List<LabelPair> pairs, String name) {
        for (LabelPair p : pairs) {
            if (p.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAllZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int b = bytes.byteAt(i) & 0xFF;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0x0F];
        }
        return new String(out);
    }
}
