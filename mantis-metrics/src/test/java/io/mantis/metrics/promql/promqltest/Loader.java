package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.promql.promqltest.Script.Load;
import io.mantis.metrics.promql.promqltest.Script.LoadSeries;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@code load} command into a store through its {@link Appender}, as ingestion would:
 * value {@code i} of a series at {@code i * interval}, floats with {@code append} (staleness
 * markers included), histograms with {@code appendHistogram}; gaps write nothing. A
 * {@code load_with_nhcb} also writes every classic histogram of the block as a native histogram
 * with custom buckets (FORMAT.md §3.5).
 *
 * <p>Start timestamps ({@code @st} lines) are not written: the store keeps none.
 */
final class Loader {

    private Loader() {
    }

    /** Loads everything of {@code load}; a refused sample throws {@link ScriptException} with its line. */
    static void load(Tsdb tsdb, Load load) {
        Appender app = tsdb.appender();
        try {
            for (LoadSeries s : load.series()) {
                Slot.Kind previous = null;
                for (int i = 0; i < s.values().size(); i++) {
                    Slot v = s.values().get(i);
                    if (v.isGap()) {
                        continue;
                    }
                    // An appender commits floats and histograms separately; a series that switches
                    // kind must see the earlier kind committed first or the later samples would
                    // land before them.
                    if (previous != null && previous != v.kind()) {
                        app.commit();
                        app = tsdb.appender();
                    }
                    previous = v.kind();
                    long t = i * load.intervalMillis();
                    append(app, s.line(), s.labels(), t, v);
                }
            }
            if (load.withNhcb()) {
                for (Map.Entry<Labels, TreeMap<Long, FloatHistogram>> e : nativeFromClassic(load).entrySet()) {
                    for (Map.Entry<Long, FloatHistogram> p : e.getValue().entrySet()) {
                        append(app, load.line(), e.getKey(), p.getKey(), Slot.ofHistogram(p.getValue(), false));
                    }
                }
            }
            app.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            app.rollback();
            throw e;
        }
    }

    private static void append(Appender app, int line, Labels labels, long t, Slot v) {
        try {
            if (v.isHistogram()) {
                app.appendHistogram(0, labels, t, v.histogram());
            } else {
                app.append(0, labels, t, v.value());
            }
        } catch (AppendException e) {
            throw new ScriptException(line, "the store refused " + labels + " at " + t + "ms: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ classic to native (NHCB)

    /** One classic histogram at one timestamp, gathered from its {@code _bucket}, {@code _count}, {@code _sum} series. */
    private static final class Classic {
        final List<double[]> buckets = new ArrayList<>(); // {le, cumulative count}, ascending le
        double count;
        boolean hasCount;
        double sum;

        void bucket(double le, double c, int line) {
            if (c < 0) {
                throw new ScriptException(line, "bucket count must be non-negative: le=" + le + ", count=" + c);
            }
            int at = 0;
            while (at < buckets.size() && buckets.get(at)[0] < le) {
                at++;
            }
            if (at < buckets.size() && buckets.get(at)[0] == le) {
                return; // the same bound twice: the first one stands
            }
            if (at > 0 && c < buckets.get(at - 1)[1]) {
                throw new ScriptException(line, "count is not cumulative: " + c + " < " + buckets.get(at - 1)[1]);
            }
            if (at < buckets.size() && c > buckets.get(at)[1]) {
                throw new ScriptException(line, "count is not cumulative: " + c + " > " + buckets.get(at)[1]);
            }
            buckets.add(at, new double[] {le, c});
        }

        FloatHistogram convert(int line) {
            if (!hasCount) {
                if (buckets.isEmpty()) {
                    throw new ScriptException(line, "count must be provided when no buckets are present");
                }
                count = buckets.get(buckets.size() - 1)[1];
            }
            if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[0] != Double.POSITIVE_INFINITY) {
                buckets.add(new double[] {Double.POSITIVE_INFINITY, count});
            }
            boolean integral = isWhole(count);
            for (double[] b : buckets) {
                integral &= isWhole(b[1]);
            }
            double last = buckets.get(buckets.size() - 1)[1];
            if (count != last) {
                throw new ScriptException(line, "count mismatch: count=" + count + " != le=+Inf count=" + last);
            }
            FloatHistogram h = new FloatHistogram().schema(FloatHistogram.CUSTOM_BUCKETS_SCHEMA).count(count).sum(sum);
            double[] bounds = new double[buckets.size() - 1];
            h.positive().addSpan(0, buckets.size());
            double prev = 0;
            for (int i = 0; i < buckets.size(); i++) {
                double[] b = buckets.get(i);
                h.positive().addCount(b[1] - prev);
                prev = b[1];
                if (i < bounds.length) {
                    bounds[i] = b[0];
                }
            }
            h.setCustomBounds(bounds);
            // The reference keeps up to two empty buckets inside a span of an integer histogram.
            return Histograms.compact(h, integral ? 2 : 0);
        }

        private static boolean isWhole(double d) {
            return d == Math.rint(d);
        }
    }

    /** The native histograms of a {@code load_with_nhcb} block, by series and time. */
    static Map<Labels, TreeMap<Long, FloatHistogram>> nativeFromClassic(Load load) {
        Map<Labels, TreeMap<Long, Classic>> byBase = new LinkedHashMap<>();
        for (LoadSeries s : load.series()) {
            String name = s.labels().metricName();
            if (name == null) {
                continue;
            }
            String base;
            int kind;
            if (name.endsWith("_bucket")) {
                base = name.substring(0, name.length() - "_bucket".length());
                kind = 0;
            } else if (name.endsWith("_sum")) {
                base = name.substring(0, name.length() - "_sum".length());
                kind = 1;
            } else if (name.endsWith("_count")) {
                base = name.substring(0, name.length() - "_count".length());
                kind = 2;
            } else {
                continue;
            }
            double le = 0;
            if (kind == 0) {
                String text = s.labels().get("le");
                if (text == null) {
                    throw new ScriptException(s.line(), "expected an le label on " + s.labels());
                }
                Double parsed = ScriptParser.number(text);
                if (parsed == null || parsed.isNaN()) {
                    continue;
                }
                le = parsed;
            }
            Labels baseLabels = s.labels().with(Labels.METRIC_NAME, base).with("le", null);
            TreeMap<Long, Classic> byTime = byBase.computeIfAbsent(baseLabels, k -> new TreeMap<>());
            for (int i = 0; i < s.values().size(); i++) {
                Slot v = s.values().get(i);
                if (v.isGap() || v.isHistogram()) {
                    continue;
                }
                Classic c = byTime.computeIfAbsent(i * load.intervalMillis(), k -> new Classic());
                switch (kind) {
                    case 0 -> c.bucket(le, v.value(), s.line());
                    case 1 -> c.sum = v.value();
                    default -> {
                        if (v.value() < 0) {
                            throw new ScriptException(s.line(), "count must be non-negative: count=" + v.value());
                        }
                        c.count = v.value();
                        c.hasCount = true;
                    }
                }
            }
        }
        Map<Labels, TreeMap<Long, FloatHistogram>> out = new LinkedHashMap<>();
        for (Map.Entry<Labels, TreeMap<Long, Classic>> e : byBase.entrySet()) {
            TreeMap<Long, FloatHistogram> hs = new TreeMap<>();
            for (Map.Entry<Long, Classic> p : e.getValue().entrySet()) {
                hs.put(p.getKey(), p.getValue().convert(load.line()));
            }
            out.put(e.getKey(), hs);
        }
        return out;
    }
}
