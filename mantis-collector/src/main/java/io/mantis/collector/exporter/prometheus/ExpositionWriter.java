package io.mantis.collector.exporter.prometheus;

import io.mantis.collector.exporter.prometheus.Accumulator.Kind;
import io.mantis.collector.exporter.prometheus.Accumulator.Series;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Renders the accumulated series in the Prometheus text format 0.0.4 or in OpenMetrics 1.0.
 *
 * <p>Families are sorted by name and series by labels, so consecutive scrapes diff cleanly. What
 * would make the exposition ambiguous is dropped and reported once through {@code problems}: a
 * family whose type differs from an earlier one with the same name, a family whose sample names
 * clash with another family's ({@code foo_total} next to counter {@code foo}), and a second
 * series with the same labels.
 *
 * <p>Value formatting follows the registry's exposition ({@code io.mantis.common.metrics}):
 * integral values without a fraction, {@code le}/{@code quantile} as floats, {@code +Inf},
 * {@code -Inf} and {@code NaN} spelled as both formats want them.
 */
final class ExpositionWriter {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

    private final PrometheusExporterConfig config;
    private final Consumer<String> problems;

    ExpositionWriter(PrometheusExporterConfig config, Consumer<String> problems) {
        this.config = config;
        this.problems = problems;
    }

    private static final class Family {
        final String name;
        final Kind kind;
        final String help;
        final String unit;
        final Map<String, Series> rows = new TreeMap<>();

        Family(String name, Kind kind, String help, String unit) {
            this.name = name;
            this.kind = kind;
            this.help = help;
            this.unit = unit;
        }
    }

    String write(List<Series> series, boolean openMetrics) {
        Map<String, Family> families = new TreeMap<>();
        Map<String, String> targets = new TreeMap<>(); // rendered target_info labels by job/instance
        for (Series s : series) {
            boolean gauge = s.kind() == Kind.GAUGE || s.kind() == Kind.UNKNOWN;
            String name = PrometheusNames.familyName(s.name(), s.unit(), s.kind() == Kind.COUNTER, gauge,
                    config.namespace(), config.addMetricSuffixes());
            String unitWord = config.addMetricSuffixes() ? PrometheusNames.unitWord(s.unit(), gauge) : null;
            Family f = families.computeIfAbsent(name, n -> new Family(n, s.kind(), s.description(),
                    unitWord != null && n.endsWith("_" + unitWord) ? unitWord : null));
            if (f.kind != s.kind()) {
                problems.accept("metric " + s.name() + " is a " + s.kind().name().toLowerCase(Locale.ROOT)
                        + " but " + name + " is already a " + f.kind.name().toLowerCase(Locale.ROOT) + "; dropped");
                continue;
            }
            String labels = labels(s);
            if (f.rows.putIfAbsent(labels, s) != null) {
                problems.accept("two series of " + name + " have the same labels {" + labels + "}; one is dropped");
            }
            target(s.resource(), targets);
        }

        StringBuilder b = new StringBuilder(256 + series.size() * 96);
        Map<String, String> exposedBy = new HashMap<>();
        for (Family f : families.values()) {
            if (!claim(f, exposedBy)) {
                continue;
            }
            writeFamily(b, f, openMetrics);
        }
        if (!targets.isEmpty() && !families.containsKey("target_info")) {
            if (openMetrics) {
                b.append("# TYPE target info\n# HELP target Target metadata\n");
            } else {
                b.append("# HELP target_info Target metadata\n# TYPE target_info gauge\n");
            }
            for (String labels : targets.values()) {
                b.append("target_info{").append(labels).append("} 1\n");
            }
        }
        if (openMetrics) {
            b.append("# EOF\n");
        }
        return b.toString();
    }

    /** Reserves the sample names of a family; false (and a problem) when another family has one. */
    private boolean claim(Family f, Map<String, String> exposedBy) {
        List<String> names = switch (f.kind) {
            case COUNTER -> List.of(f.name, f.name + "_total", f.name + "_created");
            case HISTOGRAM -> List.of(f.name, f.name + "_bucket", f.name + "_count", f.name + "_sum",
                    f.name + "_created");
            case SUMMARY -> List.of(f.name, f.name + "_count", f.name + "_sum", f.name + "_created");
            case GAUGE, UNKNOWN -> List.of(f.name);
        };
        for (String n : names) {
            String owner = exposedBy.get(n);
            if (owner != null) {
                problems.accept("family " + f.name + " clashes with family " + owner + " over '" + n + "'; dropped");
                return false;
            }
        }
        names.forEach(n -> exposedBy.put(n, f.name));
        return true;
    }

    // ---------------------------------------------------------------- labels

    // TODO(shared translation): the label mapping below (attributes, scope, job/instance,
    // target_info) goes with PrometheusNames to io.mantis.otlp.prometheus once that is merged.
    /** The series' labels rendered as {@code a="x",b="y"}, sorted by name. */
    private String labels(Series s) {
        Map<String, String> labels = new TreeMap<>();
        if (config.resourceToTelemetryConversion().enabled()) {
            putAll(labels, s.resource().getAttributesList());
        }
        putAll(labels, s.attributes());
        if (!s.scope().getName().isEmpty()) {
            labels.put("otel_scope_name", s.scope().getName());
            if (!s.scope().getVersion().isEmpty()) {
                labels.put("otel_scope_version", s.scope().getVersion());
            }
        }
        String[] ji = jobAndInstance(s.resource());
        if (!ji[0].isEmpty()) {
            labels.put("job", ji[0]);
        }
        if (!ji[1].isEmpty()) {
            labels.put("instance", ji[1]);
        }
        labels.putAll(config.constLabels());
        return render(labels);
    }

    /**
     * Attributes as labels; attributes whose names sanitize to the same label join their values
     * with {@code ;} in the order of their original keys, as the specification asks.
     */
    private static void putAll(Map<String, String> labels, List<KeyValue> attributes) {
        Map<String, String> byKey = new TreeMap<>();
        for (KeyValue kv : attributes) {
            byKey.put(kv.getKey(), PrometheusNames.value(kv.getValue()));
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : byKey.entrySet()) {
            merged.merge(PrometheusNames.labelName(e.getKey()), e.getValue(), (a, b) -> a + ";" + b);
        }
        labels.putAll(merged);
    }

    /** {@code job} from {@code service.namespace/service.name}, {@code instance} from {@code service.instance.id}. */
    private static String[] jobAndInstance(Resource r) {
        String name = "";
        String namespace = "";
        String instance = "";
        for (KeyValue kv : r.getAttributesList()) {
            switch (kv.getKey()) {
                case "service.name" -> name = PrometheusNames.value(kv.getValue());
                case "service.namespace" -> namespace = PrometheusNames.value(kv.getValue());
                case "service.instance.id" -> instance = PrometheusNames.value(kv.getValue());
                default -> { }
            }
        }
        String job = namespace.isEmpty() || name.isEmpty() ? name : namespace + "/" + name;
        return new String[] {job, instance};
    }

    private static final Set<String> IDENTIFYING = Set.of("service.name", "service.namespace", "service.instance.id");

    /** One {@code target_info} per job/instance, from the resource's other attributes. */
    private static void target(Resource r, Map<String, String> targets) {
        String[] ji = jobAndInstance(r);
        String key = ji[0] + '\0' + ji[1];
        if (targets.containsKey(key)) {
            return;
        }
        List<KeyValue> rest = new ArrayList<>();
        for (KeyValue kv : r.getAttributesList()) {
            if (!IDENTIFYING.contains(kv.getKey())) {
                rest.add(kv);
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        Map<String, String> labels = new TreeMap<>();
        putAll(labels, rest);
        if (!ji[0].isEmpty()) {
            labels.put("job", ji[0]);
        }
        if (!ji[1].isEmpty()) {
            labels.put("instance", ji[1]);
        }
        targets.put(key, render(labels));
    }

    private static String render(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue; // an empty label is no label
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(e.getKey()).append("=\"");
            escape(sb, e.getValue(), true);
            sb.append('"');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- families

    private void writeFamily(StringBuilder b, Family f, boolean om) {
        boolean counter = f.kind == Kind.COUNTER;
        // A counter's samples end in _total: always in OpenMetrics, which requires it and names the
        // family without it; in 0.0.4 unless add_metric_suffixes is off, which keeps names as sent.
        String base = counter && f.name.endsWith("_total") ? f.name.substring(0, f.name.length() - 6) : f.name;
        String sampleBase;
        String metaName;
        if (om) {
            sampleBase = counter ? base + "_total" : f.name;
            metaName = base;
        } else {
            sampleBase = counter && config.addMetricSuffixes() ? f.name + "_total" : f.name;
            metaName = sampleBase;
        }
        String type = switch (f.kind) {
            case COUNTER -> "counter";
            case GAUGE -> "gauge";
            case UNKNOWN -> om ? "unknown" : "untyped";
            case HISTOGRAM -> "histogram";
            case SUMMARY -> "summary";
        };
        if (om) {
            b.append("# TYPE ").append(metaName).append(' ').append(type).append('\n');
            if (f.unit != null) {
                b.append("# UNIT ").append(metaName).append(' ').append(f.unit).append('\n');
            }
            if (f.help != null && !f.help.isEmpty()) {
                b.append("# HELP ").append(metaName).append(' ');
                escape(b, f.help, true);
                b.append('\n');
            }
        } else {
            if (f.help != null && !f.help.isEmpty()) {
                b.append("# HELP ").append(metaName).append(' ');
                escape(b, f.help, false);
                b.append('\n');
            }
            b.append("# TYPE ").append(metaName).append(' ').append(type).append('\n');
        }
        for (Map.Entry<String, Series> row : f.rows.entrySet()) {
            String labels = row.getKey();
            Series s = row.getValue();
            long ts = config.sendTimestamps() ? s.timeUnixNano() / 1_000_000 : Long.MIN_VALUE;
            switch (f.kind) {
                case COUNTER, GAUGE, UNKNOWN -> {
                    NumberDataPoint p = s.number();
                    line(b, sampleBase, labels, null, null, p.hasAsInt() ? p.getAsInt() : p.getAsDouble(),
                            p.hasAsInt(), ts, om);
                    if (om && counter) {
                        exemplar(b, latest(p.getExemplarsList()));
                    }
                    b.append('\n');
                    if (om && counter) {
                        created(b, base, labels, s.startUnixNano(), ts);
                    }
                }
                case HISTOGRAM -> histogram(b, f.name, labels, s.histogram(), ts, om);
                case SUMMARY -> summary(b, f.name, labels, s.summary(), ts, om);
            }
        }
    }

    private void histogram(StringBuilder b, String name, String labels, HistogramDataPoint p, long ts, boolean om) {
        long cumulative = 0;
        int bounds = p.getExplicitBoundsCount();
        for (int i = 0; i <= bounds; i++) {
            cumulative += i < p.getBucketCountsCount() ? p.getBucketCounts(i) : 0;
            double le = i < bounds ? p.getExplicitBounds(i) : Double.POSITIVE_INFINITY;
            long value = i < bounds ? cumulative : p.getCount();
            line(b, name + "_bucket", labels, "le", labelFloat(le), value, true, ts, om);
            if (om) {
                double lower = i == 0 ? Double.NEGATIVE_INFINITY : p.getExplicitBounds(i - 1);
                exemplar(b, largestIn(p.getExemplarsList(), lower, le));
            }
            b.append('\n');
        }
        if (p.hasSum()) {
            line(b, name + "_sum", labels, null, null, p.getSum(), false, ts, om);
            b.append('\n');
        }
        line(b, name + "_count", labels, null, null, p.getCount(), true, ts, om);
        b.append('\n');
        if (om) {
            created(b, name, labels, p.getStartTimeUnixNano(), ts);
        }
    }

    private void summary(StringBuilder b, String name, String labels, SummaryDataPoint p, long ts, boolean om) {
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            line(b, name, labels, "quantile", labelFloat(q.getQuantile()), q.getValue(), false, ts, om);
            b.append('\n');
        }
        line(b, name + "_sum", labels, null, null, p.getSum(), false, ts, om);
        b.append('\n');
        line(b, name + "_count", labels, null, null, p.getCount(), true, ts, om);
        b.append('\n');
        if (om) {
            created(b, name, labels, p.getStartTimeUnixNano(), ts);
        }
    }

    /** OpenMetrics {@code _created}: the start time, in seconds. */
    private static void created(StringBuilder b, String name, String labels, long startNanos, long ts) {
        if (startNanos <= 0) {
            return;
        }
        b.append(name).append("_created");
        if (!labels.isEmpty()) {
            b.append('{').append(labels).append('}');
        }
        b.append(' ');
        seconds(b, startNanos / 1_000_000);
        if (ts != Long.MIN_VALUE) {
            b.append(' ');
            seconds(b, ts);
        }
        b.append('\n');
    }

    /** A sample line without its newline, so an exemplar can follow. */
    private static void line(StringBuilder b, String name, String labels, String extraLabel, String extraValue,
                             double value, boolean integral, long ts, boolean om) {
        b.append(name);
        if (!labels.isEmpty() || extraLabel != null) {
            b.append('{').append(labels);
            if (extraLabel != null) {
                if (!labels.isEmpty()) {
                    b.append(',');
                }
                b.append(extraLabel).append("=\"").append(extraValue).append('"');
            }
            b.append('}');
        }
        b.append(' ');
        value(b, value, integral);
        if (ts != Long.MIN_VALUE) {
            b.append(' ');
            if (om) {
                seconds(b, ts);
            } else {
                b.append(ts);
            }
        }
    }

    private static void exemplar(StringBuilder b, Exemplar e) {
        if (e == null) {
            return;
        }
        StringBuilder labels = new StringBuilder();
        int chars = 0;
        if (!e.getTraceId().isEmpty()) {
            String id = HEX.formatHex(e.getTraceId().toByteArray());
            labels.append("trace_id=\"").append(id).append('"');
            chars += "trace_id".length() + id.length();
        }
        if (!e.getSpanId().isEmpty()) {
            String id = HEX.formatHex(e.getSpanId().toByteArray());
            labels.append(labels.isEmpty() ? "" : ",").append("span_id=\"").append(id).append('"');
            chars += "span_id".length() + id.length();
        }
        for (KeyValue kv : e.getFilteredAttributesList()) {
            String n = PrometheusNames.labelName(kv.getKey());
            String v = PrometheusNames.value(kv.getValue());
            int more = n.codePointCount(0, n.length()) + v.codePointCount(0, v.length());
            if (chars + more > MAX_EXEMPLAR_LABEL_CHARS) {
                break; // OpenMetrics caps exemplar labels; the ids matter most
            }
            chars += more;
            labels.append(labels.isEmpty() ? "" : ",").append(n).append("=\"");
            escape(labels, v, true);
            labels.append('"');
        }
        b.append(" # {").append(labels).append("} ");
        value(b, e.hasAsInt() ? e.getAsInt() : e.getAsDouble(), e.hasAsInt());
        if (e.getTimeUnixNano() > 0) {
            b.append(' ');
            seconds(b, e.getTimeUnixNano() / 1_000_000);
        }
    }

    private static Exemplar latest(List<Exemplar> exemplars) {
        Exemplar best = null;
        for (Exemplar e : exemplars) {
            if (best == null || e.getTimeUnixNano() >= best.getTimeUnixNano()) {
                best = e;
            }
        }
        return best;
    }

    /** The largest exemplar with a value in (lower, upper], as the specification asks for buckets. */
    private static Exemplar largestIn(List<Exemplar> exemplars, double lower, double upper) {
        Exemplar best = null;
        for (Exemplar e : exemplars) {
            double v = e.hasAsInt() ? e.getAsInt() : e.getAsDouble();
            if (v > lower && v <= upper && (best == null || v > (best.hasAsInt() ? best.getAsInt()
                    : best.getAsDouble()))) {
                best = e;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- formatting

    private static void value(StringBuilder b, double v, boolean integral) {
        if (integral) {
            b.append((long) v);
            return;
        }
        long asLong = (long) v;
        if (asLong == v && asLong != Long.MAX_VALUE && asLong != Long.MIN_VALUE) {
            b.append(asLong);
        } else if (Double.isNaN(v)) {
            b.append("NaN");
        } else if (v == Double.POSITIVE_INFINITY) {
            b.append("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            b.append("-Inf");
        } else {
            b.append(v);
        }
    }

    private static String labelFloat(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return Double.toString(v == 0 ? 0.0 : v);
    }

    private static void seconds(StringBuilder b, long millis) {
        if (millis < 0) {
            b.append('-');
            millis = -millis;
        }
        long frac = millis % 1000;
        b.append(millis / 1000).append('.');
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    /** Backslash and newline always; the double quote in label values and OpenMetrics help. */
    private static void escape(StringBuilder b, String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '"' && quote) {
                b.append("\\\"");
            } else {
                b.append(c);
            }
        }
    }
}
