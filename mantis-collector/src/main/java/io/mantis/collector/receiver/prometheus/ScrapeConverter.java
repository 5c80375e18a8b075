package io.mantis.collector.receiver.prometheus;

import com.google.protobuf.ByteString;
import io.mantis.collector.receiver.prometheus.Exposition.Exemplar;
import io.mantis.collector.receiver.prometheus.Exposition.Family;
import io.mantis.collector.receiver.prometheus.Exposition.Sample;
import io.mantis.collector.receiver.prometheus.FamilyResolver.Resolved;
import io.mantis.collector.receiver.prometheus.FamilyResolver.Role;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the scrapes of one target into OTLP metrics, as the collector's {@code prometheus}
 * receiver does, and keeps what that needs from one scrape to the next: the start time of each
 * cumulative series and which series the last scrape had, for staleness.
 *
 * <ul>
 *   <li>Resource per {@code job}/{@code instance} pair: {@code service.name},
 *       {@code service.instance.id}, {@code server.address} (unless a loopback or unspecified
 *       host), {@code server.port}, {@code url.scheme}, plus the labels of {@code target_info}.</li>
 *   <li>Scope from the {@code otel_scope_name}/{@code otel_scope_version} labels (attributes from
 *       {@code otel_scope_info}), else this receiver.</li>
 *   <li>counter → monotonic cumulative Sum named without {@code _total}; gauge, unknown and
 *       stateset → Gauge; info → non-monotonic cumulative Sum; histogram → Histogram (dropped
 *       without {@code _count}); summary → Summary (dropped without {@code _count});
 *       gaugehistogram → dropped. The type is kept in the metric metadata
 *       {@code prometheus.type}; OpenMetrics units become UCUM units.</li>
 *   <li>Start time: {@code _created} when present; otherwise the time the series was first seen,
 *       moved forward when the value drops (a reset).</li>
 *   <li>A series that the previous scrape had and this one lacks (or every series, when the scrape
 *       failed) gets one more point flagged {@code NO_RECORDED_VALUE}.</li>
 * </ul>
 *
 * <p>Not thread-safe: a target's scrapes run one at a time.
 */
final class ScrapeConverter {
    static final String SCOPE_NAME = "io.mantis.collector.receiver.prometheus";
    /** Prometheus' staleness marker, a NaN with its own bit pattern. */
    static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private static final Logger log = LoggerFactory.getLogger(ScrapeConverter.class);
    private static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;
    private static final String TARGET_INFO = "target_info";
    private static final String SCOPE_INFO = "otel_scope_info";
    private static final String SCOPE_NAME_LABEL = "otel_scope_name";
    private static final String SCOPE_VERSION_LABEL = "otel_scope_version";
    private static final long MILLI = 1_000_000L;

    private final ScrapeTarget target;
    private final ScopeKey defaultScope;
    private final Map<String, SeriesState> states = new HashMap<>();
    private Set<Long> previousSamples = new HashSet<>();
    private final Set<String> warnedFamilies = new HashSet<>();
    private final LabelSet labels = new LabelSet();

    ScrapeConverter(ScrapeTarget target, String receiverVersion) {
        this.target = target;
        this.defaultScope = new ScopeKey(SCOPE_NAME, receiverVersion == null ? "" : receiverVersion);
    }

    /**
     * What one scrape produced.
     *
     * @param samples sample lines in the response ({@code scrape_samples_scraped})
     * @param seriesAdded sample series the previous scrape did not have ({@code scrape_series_added})
     */
    record Result(List<ResourceMetrics> resourceMetrics, int samples, int seriesAdded) {
    }

    /** The scrape's own series ({@code up}, {@code scrape_duration_seconds}, ...), added to every result. */
    record Report(boolean up, double durationSeconds, int samples, int seriesAdded, long bodyBytes) {
    }

    // ---------------------------------------------------------------- per-scrape structures

    private record ScopeKey(String name, String version) {
    }

    private static final class ResourceGroup {
        final String job;
        final String instance;
        final Map<String, String> extra = new LinkedHashMap<>();
        final Map<ScopeKey, ScopeGroup> scopes = new LinkedHashMap<>();

        ResourceGroup(String job, String instance) {
            this.job = job;
            this.instance = instance;
        }
    }

    private static final class ScopeGroup {
        final Map<String, String> attributes = new LinkedHashMap<>();
        final Map<String, MetricGroup> metrics = new LinkedHashMap<>();
    }

    private static final class MetricGroup {
        final String name;
        final MetricKind kind;
        final Family family;
        final Map<String, PointGroup> points = new LinkedHashMap<>();
        final List<SeriesState> stale = new ArrayList<>();
        /** up, scrape_duration_seconds, ...: written by every scrape, so never stale. */
        boolean scrapeSeries;

        MetricGroup(String name, MetricKind kind, Family family) {
            this.name = name;
            this.kind = kind;
            this.family = family;
        }
    }

    private static final class PointGroup {
        final String[] attrNames;
        final String[] attrValues;
        final String key;
        long timestampMillis = Exposition.NO_TIMESTAMP;
        boolean hasValue;
        double value;
        double created = Double.NaN;
        boolean hasCount;
        double count;
        boolean hasSum;
        double sum;
        List<double[]> buckets;         // {le, cumulative count}
        List<Exemplar> bucketExemplars; // parallel to buckets, entries may be null
        List<double[]> quantiles;       // {quantile, value}
        Exemplar exemplar;

        PointGroup(String[] attrNames, String[] attrValues, String key) {
            this.attrNames = attrNames;
            this.attrValues = attrValues;
            this.key = key;
        }
    }

    /** What the converter remembers of a series between scrapes. */
    private static final class SeriesState {
        final String job;
        final String instance;
        final ScopeKey scope;
        final String metric;
        final MetricKind kind;
        final Family family;
        final String[] attrNames;
        final String[] attrValues;
        long startNanos;
        double lastCount;
        double lastSum;
        /** In the last successful scrape and not yet marked stale. */
        boolean active;

        SeriesState(String job, String instance, ScopeKey scope, String metric, MetricKind kind, Family family,
                    String[] attrNames, String[] attrValues) {
            this.job = job;
            this.instance = instance;
            this.scope = scope;
            this.metric = metric;
            this.kind = kind;
            this.family = family;
            this.attrNames = attrNames;
            this.attrValues = attrValues;
        }
    }

    // ---------------------------------------------------------------- conversion

    /** Converts a successful scrape taken at {@code timeMillis}. */
    Result convert(Exposition exposition, long timeMillis, ReportSupplier report) {
        Map<String, ResourceGroup> resources = new LinkedHashMap<>();
        Map<String, Resolved> resolved = new HashMap<>();
        Set<Long> sampleHashes = new HashSet<>(Math.max(16, previousSamples.size() * 4 / 3 + 1));
        int seriesAdded = 0;

        for (Sample s : exposition.samples()) {
            Resolved r = resolved.computeIfAbsent(s.name(), n -> FamilyResolver.resolve(n, exposition.families()));
            labels.reset(s.labelNames(), s.labelValues());
            labels.applyTarget(target.labels(), target.honorLabels());
            labels.setAll(target.externalLabels());
            labels.normalize();

            long hash = hash(s.name(), labels);
            if (sampleHashes.add(hash) && !previousSamples.contains(hash)) {
                seriesAdded++;
            }

            String job = orEmpty(labels.get("job"));
            String instance = orEmpty(labels.get("instance"));
            ResourceGroup resource = resources.computeIfAbsent(job + '\0' + instance,
                    k -> new ResourceGroup(job, instance));
            if (s.name().equals(TARGET_INFO)) {
                copyAttributes(labels, resource.extra, true);
                continue;
            }
            if (s.name().equals(SCOPE_INFO)) {
                ScopeGroup scope = resource.scopes.computeIfAbsent(scopeOf(labels), k -> new ScopeGroup());
                copyAttributes(labels, scope.attributes, true);
                continue;
            }
            add(s, r, resource, timeMillis);
        }
        previousSamples = sampleHashes;

        List<ResourceMetrics> out = build(resources, timeMillis, true, report.report(exposition.samples().size(),
                seriesAdded));
        return new Result(out, exposition.samples().size(), seriesAdded);
    }

    /** Supplies the scrape's own series once the sample counts are known. */
    @FunctionalInterface
    interface ReportSupplier {
        Report report(int samples, int seriesAdded);
    }

    /** A failed scrape: every series of the last successful one goes stale, and {@code up} is 0. */
    List<ResourceMetrics> failed(long timeMillis, Report report) {
        previousSamples = new HashSet<>();
        return build(new LinkedHashMap<>(), timeMillis, false, report);
    }

    private void add(Sample s, Resolved r, ResourceGroup resource, long scrapeMillis) {
        Family family = r.family();
        MetricKind kind = family.kind();
        if (kind == MetricKind.GAUGE_HISTOGRAM || (kind == MetricKind.HISTOGRAM && r.role() == Role.VALUE)) {
            warnOnce(family.name(), kind == MetricKind.GAUGE_HISTOGRAM
                    ? "gaugehistogram families are dropped, as the OpenTelemetry specification asks"
                    : "a histogram sample without _bucket, _count, _sum or _created suffix is dropped");
            return;
        }
        ScopeKey scopeKey = scopeOf(labels);
        ScopeGroup scope = resource.scopes.computeIfAbsent(scopeKey, k -> new ScopeGroup());

        String metricName = switch (kind) {
            // The brief: counters lose the _total a 0.0.4 TYPE line gives their family name.
            case COUNTER -> family.name().endsWith("_total")
                    ? family.name().substring(0, family.name().length() - "_total".length()) : family.name();
            case INFO -> family.name() + "_info";
            default -> family.name();
        };
        MetricGroup metric = scope.metrics.computeIfAbsent(metricName + '\0' + kind.ordinal(),
                k -> new MetricGroup(metricName, kind, family));

        String extraLabel = r.role() == Role.BUCKET ? "le" : kind == MetricKind.SUMMARY && r.role() == Role.VALUE
                ? "quantile" : null;
        String pointKey = pointKey(extraLabel);
        PointGroup point = metric.points.get(pointKey);
        if (point == null) {
            String[][] attrs = attributes(extraLabel);
            point = new PointGroup(attrs[0], attrs[1], pointKey);
            metric.points.put(pointKey, point);
        }
        if (target.honorTimestamps() && s.timestampMillis() != Exposition.NO_TIMESTAMP) {
            point.timestampMillis = s.timestampMillis();
        }
        double v = s.value();
        switch (r.role()) {
            case VALUE, TOTAL, INFO -> {
                if (kind == MetricKind.SUMMARY) {
                    double q = parseLabelFloat(labels.get("quantile"));
                    if (Double.isNaN(q)) {
                        warnOnce(family.name(), "summary sample without a valid quantile label is dropped (line "
                                + s.line() + ")");
                        return;
                    }
                    if (point.quantiles == null) {
                        point.quantiles = new ArrayList<>();
                    }
                    point.quantiles.add(new double[] {q, v});
                    return;
                }
                if (point.hasValue) {
                    warnOnce(family.name(), "duplicate series " + s.name() + " (line " + s.line()
                            + "): the first sample is kept");
                    return;
                }
                point.hasValue = true;
                point.value = v;
                point.exemplar = s.exemplar();
            }
            case CREATED -> point.created = v;
            case COUNT -> {
                point.hasCount = true;
                point.count = v;
            }
            case SUM -> {
                point.hasSum = true;
                point.sum = v;
            }
            case BUCKET -> {
                double le = parseLabelFloat(labels.get("le"));
                if (Double.isNaN(le)) {
                    warnOnce(family.name(), "bucket without a valid le label is dropped (line " + s.line() + ")");
                    return;
                }
                if (point.buckets == null) {
                    point.buckets = new ArrayList<>();
                    point.bucketExemplars = new ArrayList<>();
                }
                point.buckets.add(new double[] {le, v});
                point.bucketExemplars.add(s.exemplar());
            }
            case GCOUNT, GSUM -> {
                // Only gauge histograms have these, and they were dropped above.
            }
        }
    }

    // ---------------------------------------------------------------- building OTLP

    private List<ResourceMetrics> build(Map<String, ResourceGroup> resources, long timeMillis, boolean success,
                                        Report report) {
        long timeNanos = timeMillis * MILLI;
        // Scrape series go with the target's own job and instance.
        labels.reset(new String[0], new String[0]);
        labels.setAll(target.labels());
        labels.setAll(target.externalLabels());
        labels.normalize();
        String targetJob = orEmpty(labels.get("job"));
        String targetInstance = orEmpty(labels.get("instance"));
        String[][] scrapeAttrs = attributes(null);
        ResourceGroup own = resources.computeIfAbsent(targetJob + '\0' + targetInstance,
                k -> new ResourceGroup(targetJob, targetInstance));

        // Staleness: series the last successful scrape had and this one does not.
        Set<String> seen = new HashSet<>();
        for (ResourceGroup rg : resources.values()) {
            for (Map.Entry<ScopeKey, ScopeGroup> se : rg.scopes.entrySet()) {
                for (MetricGroup mg : se.getValue().metrics.values()) {
                    for (PointGroup pg : mg.points.values()) {
                        seen.add(seriesKey(rg, se.getKey(), mg, pg.key));
                    }
                }
            }
        }
        for (Iterator<Map.Entry<String, SeriesState>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, SeriesState> e = it.next();
            if (seen.contains(e.getKey())) {
                continue;
            }
            SeriesState st = e.getValue();
            if (st.active) {
                st.active = false;
                ResourceGroup rg = resources.computeIfAbsent(st.job + '\0' + st.instance,
                        k -> new ResourceGroup(st.job, st.instance));
                ScopeGroup sg = rg.scopes.computeIfAbsent(st.scope, k -> new ScopeGroup());
                sg.metrics.computeIfAbsent(st.metric + '\0' + st.kind.ordinal(),
                        k -> new MetricGroup(st.metric, st.kind, st.family)).stale.add(st);
            }
            if (success) {
                // Gone from a successful scrape: forget it. After a failed scrape it is kept, so a
                // counter that simply carries on afterwards keeps its start time.
                it.remove();
            }
        }

        ScopeGroup ownScope = own.scopes.computeIfAbsent(defaultScope, k -> new ScopeGroup());
        addScrapeGauge(ownScope, "up", "The scraping was successful", report.up() ? 1 : 0, scrapeAttrs, timeNanos);
        addScrapeGauge(ownScope, "scrape_duration_seconds", "Duration of the scrape", report.durationSeconds(),
                scrapeAttrs, timeNanos);
        addScrapeGauge(ownScope, "scrape_samples_scraped", "The number of samples the target exposed",
                report.samples(), scrapeAttrs, timeNanos);
        addScrapeGauge(ownScope, "scrape_samples_post_metric_relabeling",
                "The number of samples remaining after metric relabeling was applied", report.samples(),
                scrapeAttrs, timeNanos);
        addScrapeGauge(ownScope, "scrape_series_added", "The approximate number of new series in this scrape",
                report.seriesAdded(), scrapeAttrs, timeNanos);
        if (target.extraMetrics()) {
            addScrapeGauge(ownScope, "scrape_timeout_seconds", "The configured scrape timeout for a target",
                    target.timeout().toMillis() / 1000.0, scrapeAttrs, timeNanos);
            addScrapeGauge(ownScope, "scrape_sample_limit", "The configured sample limit for a target",
                    target.sampleLimit(), scrapeAttrs, timeNanos);
            addScrapeGauge(ownScope, "scrape_body_size_bytes", "The uncompressed size of the last scrape response",
                    report.bodyBytes(), scrapeAttrs, timeNanos);
        }

        List<ResourceMetrics> out = new ArrayList<>(resources.size());
        for (ResourceGroup rg : resources.values()) {
            ResourceMetrics.Builder rmb = ResourceMetrics.newBuilder().setResource(resource(rg));
            for (Map.Entry<ScopeKey, ScopeGroup> se : rg.scopes.entrySet()) {
                ScopeMetrics.Builder smb = ScopeMetrics.newBuilder().setScope(scope(se.getKey(), se.getValue()));
                for (MetricGroup mg : se.getValue().metrics.values()) {
                    Metric m = metric(rg, se.getKey(), mg, timeNanos);
                    if (m != null) {
                        smb.addMetrics(m);
                    }
                }
                if (smb.getMetricsCount() > 0) {
                    rmb.addScopeMetrics(smb);
                }
            }
            if (rmb.getScopeMetricsCount() > 0) {
                out.add(rmb.build());
            }
        }
        return out;
    }

    private void addScrapeGauge(ScopeGroup scope, String name, String help, double value, String[][] attrs,
                                long timeNanos) {
        MetricGroup mg = new MetricGroup(name, MetricKind.GAUGE, new Family(name, MetricKind.GAUGE, help, null));
        PointGroup pg = new PointGroup(attrs[0], attrs[1], "");
        pg.hasValue = true;
        pg.value = value;
        pg.timestampMillis = timeNanos / MILLI;
        mg.points.put("", pg);
        mg.scrapeSeries = true;
        // The scrape series are not subject to staleness: a scrape always writes them.
        scope.metrics.put("\u0001" + name, mg);
    }

    private Metric metric(ResourceGroup rg, ScopeKey scope, MetricGroup mg, long scrapeNanos) {
        Metric.Builder m = Metric.newBuilder().setName(mg.name);
        Family f = mg.family;
        if (f.help() != null) {
            m.setDescription(f.help());
        }
        if (f.unit() != null) {
            m.setUnit(Units.toOtlp(f.unit()));
        }
        m.addMetadata(kv("prometheus.type", mg.kind.metadataName()));
        switch (mg.kind) {
            case COUNTER, INFO -> {
                Sum.Builder sum = Sum.newBuilder().setIsMonotonic(mg.kind == MetricKind.COUNTER)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                for (PointGroup pg : mg.points.values()) {
                    if (!pg.hasValue) {
                        continue; // only a _created line
                    }
                    long t = pointNanos(pg, scrapeNanos);
                    SeriesState st = track(rg, scope, mg, pg, t);
                    NumberDataPoint.Builder dp = NumberDataPoint.newBuilder().addAllAttributes(kvs(pg))
                            .setTimeUnixNano(t).setStartTimeUnixNano(start(st, pg, t, pg.value, 0))
                            .setAsDouble(pg.value);
                    if (pg.exemplar != null) {
                        dp.addExemplars(exemplar(pg.exemplar, t));
                    }
                    sum.addDataPoints(dp);
                }
                for (SeriesState st : mg.stale) {
                    sum.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(kvs(st.attrNames, st.attrValues))
                            .setTimeUnixNano(scrapeNanos).setStartTimeUnixNano(st.startNanos).setAsDouble(STALE_NAN)
                            .setFlags(NO_RECORDED_VALUE));
                }
                if (sum.getDataPointsCount() == 0) {
                    return null;
                }
                m.setSum(sum);
            }
            case GAUGE, UNKNOWN, STATESET -> {
                Gauge.Builder gauge = Gauge.newBuilder();
                for (PointGroup pg : mg.points.values()) {
                    if (!pg.hasValue) {
                        continue;
                    }
                    long t = pointNanos(pg, scrapeNanos);
                    if (!mg.scrapeSeries) {
                        track(rg, scope, mg, pg, t);
                    }
                    gauge.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(kvs(pg)).setTimeUnixNano(t)
                            .setAsDouble(pg.value));
                }
                for (SeriesState st : mg.stale) {
                    gauge.addDataPoints(NumberDataPoint.newBuilder()
                            .addAllAttributes(kvs(st.attrNames, st.attrValues)).setTimeUnixNano(scrapeNanos)
                            .setAsDouble(STALE_NAN).setFlags(NO_RECORDED_VALUE));
                }
                if (gauge.getDataPointsCount() == 0) {
                    return null;
                }
                m.setGauge(gauge);
            }
            case HISTOGRAM -> {
                Histogram.Builder h = Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                for (PointGroup pg : mg.points.values()) {
                    if (!pg.hasCount) {
                        if (pg.buckets != null || pg.hasSum) {
                            warnOnce(mg.family.name(), "histogram without _count is dropped, as the OpenTelemetry"
                                    + " specification asks");
                        }
                        continue;
                    }
                    long t = pointNanos(pg, scrapeNanos);
                    SeriesState st = track(rg, scope, mg, pg, t);
                    HistogramDataPoint.Builder dp = HistogramDataPoint.newBuilder().addAllAttributes(kvs(pg))
                            .setTimeUnixNano(t).setStartTimeUnixNano(start(st, pg, t, pg.count, pg.sum))
                            .setCount((long) pg.count);
                    if (pg.hasSum) {
                        dp.setSum(pg.sum);
                    }
                    buckets(pg, dp, t);
                    h.addDataPoints(dp);
                }
                for (SeriesState st : mg.stale) {
                    h.addDataPoints(HistogramDataPoint.newBuilder().addAllAttributes(kvs(st.attrNames, st.attrValues))
                            .setTimeUnixNano(scrapeNanos).setStartTimeUnixNano(st.startNanos)
                            .setFlags(NO_RECORDED_VALUE));
                }
                if (h.getDataPointsCount() == 0) {
                    return null;
                }
                m.setHistogram(h);
            }
            case SUMMARY -> {
                Summary.Builder s = Summary.newBuilder();
                for (PointGroup pg : mg.points.values()) {
                    if (!pg.hasCount) {
                        if (pg.quantiles != null || pg.hasSum) {
                            warnOnce(mg.family.name(), "summary without _count is dropped, as the OpenTelemetry"
                                    + " specification asks");
                        }
                        continue;
                    }
                    long t = pointNanos(pg, scrapeNanos);
                    SeriesState st = track(rg, scope, mg, pg, t);
                    SummaryDataPoint.Builder dp = SummaryDataPoint.newBuilder().addAllAttributes(kvs(pg))
                            .setTimeUnixNano(t).setStartTimeUnixNano(start(st, pg, t, pg.count, pg.sum))
                            .setCount((long) pg.count).setSum(pg.hasSum ? pg.sum : 0);
                    if (pg.quantiles != null) {
                        pg.quantiles.sort((a, b) -> Double.compare(a[0], b[0]));
                        for (double[] q : pg.quantiles) {
                            dp.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q[0])
                                    .setValue(q[1]));
                        }
                    }
                    s.addDataPoints(dp);
                }
                for (SeriesState st : mg.stale) {
                    s.addDataPoints(SummaryDataPoint.newBuilder().addAllAttributes(kvs(st.attrNames, st.attrValues))
                            .setTimeUnixNano(scrapeNanos).setStartTimeUnixNano(st.startNanos)
                            .setFlags(NO_RECORDED_VALUE));
                }
                if (s.getDataPointsCount() == 0) {
                    return null;
                }
                m.setSummary(s);
            }
            case GAUGE_HISTOGRAM -> {
                return null;
            }
        }
        return m.build();
    }

    /** Cumulative → per-bucket counts; bounds from {@code le} without {@code +Inf}. */
    private static void buckets(PointGroup pg, HistogramDataPoint.Builder dp, long timeNanos) {
        if (pg.buckets == null) {
            dp.addBucketCounts((long) pg.count);
            return;
        }
        Integer[] order = new Integer[pg.buckets.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(pg.buckets.get(a)[0], pg.buckets.get(b)[0]));
        double previous = 0;
        boolean sawInf = false;
        for (Integer i : order) {
            double[] b = pg.buckets.get(i);
            long n = (long) Math.max(0, b[1] - previous);
            if (b[0] == Double.POSITIVE_INFINITY) {
                sawInf = true;
            } else {
                dp.addExplicitBounds(b[0]);
            }
            dp.addBucketCounts(n);
            previous = Math.max(previous, b[1]);
            Exemplar e = pg.bucketExemplars.get(i);
            if (e != null) {
                dp.addExemplars(exemplar(e, timeNanos));
            }
            if (sawInf) {
                break;
            }
        }
        if (!sawInf) {
            dp.addBucketCounts((long) Math.max(0, pg.count - previous));
        }
    }

    private long pointNanos(PointGroup pg, long scrapeNanos) {
        return pg.timestampMillis == Exposition.NO_TIMESTAMP ? scrapeNanos : pg.timestampMillis * MILLI;
    }

    /** Records that the series is in this scrape; returns its state (created on first sight). */
    private SeriesState track(ResourceGroup rg, ScopeKey scope, MetricGroup mg, PointGroup pg, long timeNanos) {
        String key = seriesKey(rg, scope, mg, pg.key);
        SeriesState st = states.get(key);
        if (st == null) {
            st = new SeriesState(rg.job, rg.instance, scope, mg.name, mg.kind, mg.family, pg.attrNames, pg.attrValues);
            st.startNanos = -1;
            states.put(key, st);
        }
        st.active = true;
        return st;
    }

    /**
     * The start time of a cumulative point: {@code _created} if given; else when the series was
     * first seen, or just before this point when its count or sum went down (a reset).
     */
    private static long start(SeriesState st, PointGroup pg, long timeNanos, double count, double sum) {
        long start;
        if (!Double.isNaN(pg.created)) {
            // Milliseconds, as Prometheus keeps created timestamps: a double of nanoseconds since
            // 1970 cannot hold the digits.
            start = Math.round(pg.created * 1000) * MILLI;
        } else if (st.startNanos < 0) {
            start = timeNanos;
        } else if (count < st.lastCount || sum < st.lastSum) {
            start = timeNanos - MILLI;
        } else {
            start = st.startNanos;
        }
        st.startNanos = start;
        st.lastCount = count;
        st.lastSum = sum;
        return start;
    }

    private Resource resource(ResourceGroup rg) {
        Resource.Builder r = Resource.newBuilder();
        r.addAttributes(kv("service.name", rg.job));
        r.addAttributes(kv("service.instance.id", rg.instance));
        String host = rg.instance;
        String port = "";
        int colon = rg.instance.lastIndexOf(':');
        if (colon >= 0 && rg.instance.indexOf(']') < colon) {
            host = rg.instance.substring(0, colon);
            port = rg.instance.substring(colon + 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (isDiscernibleHost(host)) {
            r.addAttributes(kv("server.address", host));
        }
        if (!port.isEmpty()) {
            r.addAttributes(kv("server.port", port));
        }
        r.addAttributes(kv("url.scheme", target.scheme()));
        for (Map.Entry<String, String> e : rg.extra.entrySet()) {
            r.addAttributes(kv(e.getKey(), e.getValue()));
        }
        return r.build();
    }

    /** Loopback and unspecified addresses say nothing about where the metrics come from. */
    static boolean isDiscernibleHost(String host) {
        if (host.isEmpty() || host.equalsIgnoreCase("localhost")) {
            return false;
        }
        if (looksLikeIp(host)) {
            try {
                InetAddress a = InetAddress.getByName(host); // a literal: no lookup
                return !a.isLoopbackAddress() && !a.isAnyLocalAddress();
            } catch (java.net.UnknownHostException e) {
                return true;
            }
        }
        return true;
    }

    private static boolean looksLikeIp(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static InstrumentationScope scope(ScopeKey key, ScopeGroup group) {
        InstrumentationScope.Builder s = InstrumentationScope.newBuilder().setName(key.name()).setVersion(key.version());
        for (Map.Entry<String, String> e : group.attributes.entrySet()) {
            s.addAttributes(kv(e.getKey(), e.getValue()));
        }
        return s.build();
    }

    private ScopeKey scopeOf(LabelSet l) {
        String name = l.get(SCOPE_NAME_LABEL);
        String version = l.get(SCOPE_VERSION_LABEL);
        if (name == null && version == null) {
            return defaultScope;
        }
        return new ScopeKey(orEmpty(name), orEmpty(version));
    }

    /** An OpenMetrics exemplar; {@code trace_id}/{@code span_id} labels become the ids when they are hex. */
    private static io.opentelemetry.proto.metrics.v1.Exemplar exemplar(Exemplar e, long pointNanos) {
        io.opentelemetry.proto.metrics.v1.Exemplar.Builder b = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                .setAsDouble(e.value())
                .setTimeUnixNano(e.timestampMillis() == Exposition.NO_TIMESTAMP ? pointNanos
                        : e.timestampMillis() * MILLI);
        for (int i = 0; i < e.labelNames().length; i++) {
            String n = e.labelNames()[i];
            String v = e.labelValues()[i];
            byte[] id = null;
            if (n.equals("trace_id") && v.length() == 32) {
                id = hex(v);
            } else if (n.equals("span_id") && v.length() == 16) {
                id = hex(v);
            }
            if (id != null) {
                if (n.equals("trace_id")) {
                    b.setTraceId(ByteString.copyFrom(id));
                } else {
                    b.setSpanId(ByteString.copyFrom(id));
                }
            } else {
                b.addFilteredAttributes(kv(n, v));
            }
        }
        return b.build();
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    // ---------------------------------------------------------------- labels and keys

    /** The point's attributes: the merged labels without job, instance, scope labels and {@code extra}. */
    private String[][] attributes(String extra) {
        int n = 0;
        String[] names = new String[labels.size];
        String[] values = new String[labels.size];
        for (int i = 0; i < labels.size; i++) {
            String name = labels.names[i];
            if (isResourceOrScopeLabel(name) || name.equals(extra)) {
                continue;
            }
            names[n] = name;
            values[n] = labels.values[i];
            n++;
        }
        return new String[][] {Arrays.copyOf(names, n), Arrays.copyOf(values, n)};
    }

    private String pointKey(String extra) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < labels.size; i++) {
            String name = labels.names[i];
            if (isResourceOrScopeLabel(name) || name.equals(extra)) {
                continue;
            }
            sb.append(name).append('=').append(labels.values[i].length()).append(':').append(labels.values[i]);
        }
        return sb.toString();
    }

    private static boolean isResourceOrScopeLabel(String name) {
        return name.equals("job") || name.equals("instance") || name.equals(SCOPE_NAME_LABEL)
                || name.equals(SCOPE_VERSION_LABEL);
    }

    private static String seriesKey(ResourceGroup rg, ScopeKey scope, MetricGroup mg, String pointKey) {
        return rg.job + '\0' + rg.instance + '\0' + scope.name() + '\0' + scope.version() + '\0' + mg.name + '\0'
                + mg.kind.ordinal() + '\0' + pointKey;
    }

    private static void copyAttributes(LabelSet l, Map<String, String> into, boolean skipScope) {
        for (int i = 0; i < l.size; i++) {
            String name = l.names[i];
            if (name.equals("job") || name.equals("instance")
                    || (skipScope && (name.equals(SCOPE_NAME_LABEL) || name.equals(SCOPE_VERSION_LABEL)))) {
                continue;
            }
            into.put(name, l.values[i]);
        }
    }

    private static long hash(String name, LabelSet l) {
        long h = name.hashCode();
        for (int i = 0; i < l.size; i++) {
            h = h * 1_000_003L + l.names[i].hashCode();
            h = h * 1_000_003L + l.values[i].hashCode();
        }
        return h;
    }

    private static double parseLabelFloat(String s) {
        if (s == null) {
            return Double.NaN;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return ExpositionParser.parseFloat(b, 0, b.length);
    }

    private static List<KeyValue> kvs(PointGroup pg) {
        return kvs(pg.attrNames, pg.attrValues);
    }

    private static List<KeyValue> kvs(String[] names, String[] values) {
        List<KeyValue> out = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            out.add(kv(names[i], values[i]));
        }
        return out;
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private void warnOnce(String family, String message) {
        if (warnedFamilies.size() < 1000 && warnedFamilies.add(family + '\0' + message)) {
            log.warn("Scrape of {}: {}: {}", target, family, message);
        }
    }
}
