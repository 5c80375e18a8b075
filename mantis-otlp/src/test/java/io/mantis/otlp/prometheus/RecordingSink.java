package io.mantis.otlp.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sink that keeps everything it is given, merged by label set, for assertions. */
final class RecordingSink implements SeriesSink {

    record Sample(long timestampMillis, double value) {
    }

    record ExemplarEntry(Labels labels, double value, long timestampMillis) {
    }

    record Metadata(String family, MetricType type, String unit, String help) {
    }

    record Drop(String metric, String reason) {
    }

    static final class Series {
        final Labels labels;
        final List<Sample> samples = new ArrayList<>();
        final List<NativeHistogram> histograms = new ArrayList<>();
        final List<ExemplarEntry> exemplars = new ArrayList<>();

        Series(Labels labels) {
            this.labels = labels;
        }

        double value() {
            if (samples.size() != 1) {
                throw new AssertionError(labels + " has " + samples.size() + " samples, expected one");
            }
            return samples.get(0).value();
        }
    }

    final Map<Labels, Series> series = new LinkedHashMap<>();
    final Map<String, Metadata> metadata = new LinkedHashMap<>();
    final List<Drop> drops = new ArrayList<>();
    private Series current;

    @Override
    public void metadata(String family, MetricType type, String unit, String help) {
        Metadata previous = metadata.put(family, new Metadata(family, type, unit, help));
        if (previous != null) {
            throw new AssertionError("metadata for " + family + " given twice");
        }
    }

    @Override
    public void series(Labels labels) {
        current = series.computeIfAbsent(labels, Series::new);
    }

    @Override
    public void sample(long timestampMillis, double value) {
        current.samples.add(new Sample(timestampMillis, value));
    }

    @Override
    public void histogram(NativeHistogram histogram) {
        current.histograms.add(histogram);
    }

    @Override
    public void exemplar(Labels labels, double value, long timestampMillis) {
        current.exemplars.add(new ExemplarEntry(labels, value, timestampMillis));
    }

    @Override
    public void dropped(String metric, String reason) {
        drops.add(new Drop(metric, reason));
    }

    /** The series named {@code name}, optionally narrowed by label pairs; exactly one must match. */
    Series one(String name, String... labelPairs) {
        List<Series> found = all(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one series " + name + " " + List.of(labelPairs) + ", found "
                    + found.stream().map(s -> s.labels.toString()).toList() + "; all: " + series.keySet());
        }
        return found.get(0);
    }

    List<Series> all(String name, String... labelPairs) {
        List<Series> out = new ArrayList<>();
        outer:
        for (Series s : series.values()) {
            if (!name.equals(s.labels.metricName())) {
                continue;
            }
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels.get(labelPairs[i]))) {
                    continue outer;
                }
            }
            out.add(s);
        }
        return out;
    }

    List<String> names() {
        return series.keySet().stream().map(Labels::metricName).distinct().sorted().toList();
    }
}
