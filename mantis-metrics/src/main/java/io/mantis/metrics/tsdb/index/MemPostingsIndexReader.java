package io.mantis.metrics.tsdb.index;

import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's {@link IndexReader}: postings from a {@link MemPostings}, series labels from the
 * head's series table through {@code seriesLabels} (which returns null for an id it no longer
 * has). Stateless beyond the two; one instance can serve all queries.
 */
public final class MemPostingsIndexReader implements IndexReader {

    private final MemPostings postings;
    private final IntFunction<Labels> seriesLabels;

    public MemPostingsIndexReader(MemPostings postings, IntFunction<Labels> seriesLabels) {
        this.postings = Objects.requireNonNull(postings, "postings");
        this.seriesLabels = Objects.requireNonNull(seriesLabels, "seriesLabels");
    }

    @Override
    public List<String> labelNames() {
        return postings.labelNames();
    }

    @Override
    public List<String> labelNames(RoaringBitmap series) {
        // Few series: reading their labels beats testing every value list of every name.
        if (series.getCardinality() <= 1024) {
            Set<String> names = new HashSet<>();
            for (IntIterator it = series.getIntIterator(); it.hasNext(); ) {
                Labels l = seriesLabels.apply(it.next());
                if (l != null) {
                    for (int i = 0; i < l.size(); i++) {
                        if (!l.value(i).isEmpty()) {
                            names.add(l.name(i));
                        }
                    }
                }
            }
            List<String> out = new ArrayList<>(names);
            out.sort(CodePointOrder.INSTANCE);
            return out;
        }
        return postings.labelNames(series);
    }

    @Override
    public List<String> labelValues(String name) {
        return postings.labelValues(name);
    }

    @Override
    public int labelValueCount(String name) {
        return postings.valueCount(name);
    }

    @Override
    public List<String> labelValues(String name, RoaringBitmap series) {
        if (series.getCardinality() < postings.valueCount(name)) {
            Set<String> values = new HashSet<>();
            for (IntIterator it = series.getIntIterator(); it.hasNext(); ) {
                Labels l = seriesLabels.apply(it.next());
                String v = l == null ? null : l.get(name);
                if (v != null && !v.isEmpty()) {
                    values.add(v);
                }
            }
            List<String> out = new ArrayList<>(values);
            out.sort(CodePointOrder.INSTANCE);
            return out;
        }
        return postings.labelValues(name, series);
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
        return postings.get(name, value);
    }

    @Override
    public RoaringBitmap postings(String name, Collection<String> values) {
        RoaringBitmap acc = new RoaringBitmap();
        postings.unionInto(name, values, acc);
        return acc;
    }

    @Override
    public RoaringBitmap postingsForLabel(String name) {
        RoaringBitmap acc = new RoaringBitmap();
        postings.unionInto(name, v -> true, acc);
        return acc;
    }

    @Override
    public RoaringBitmap postingsForLabelMatching(String name, String prefix, Predicate<String> accept) {
        RoaringBitmap acc = new RoaringBitmap();
        postings.unionInto(name, v -> v.startsWith(prefix) && accept.test(v), acc);
        return acc;
    }

    @Override
    public RoaringBitmap allPostings() {
        return postings.all();
    }

    @Override
    public Labels seriesLabels(int id) {
        return seriesLabels.apply(id);
    }
}
