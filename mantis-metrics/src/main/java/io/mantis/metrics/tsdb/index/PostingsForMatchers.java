package io.mantis.metrics.tsdb.index;

import io.mantis.metrics.model.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Selects the series of an index that satisfy a list of label matchers, with Prometheus'
 * semantics: a series matches when every matcher accepts its value of the matcher's label, an
 * absent label having the empty value.
 *
 * <p>Each matcher contributes one of two sets. A matcher that rejects the empty value (say
 * {@code a="x"}, {@code a=~"x.+"}, {@code a!=""}) can only be satisfied by series that carry
 * the label with an accepted value: those series are intersected. A matcher that accepts the
 * empty value ({@code a!="x"}, {@code a=""}, {@code a=~"x|"}) is satisfied by every series
 * except those carrying the label with a rejected value: those are subtracted, from the
 * intersection or, with no intersecting matcher, from all series. {@code a=~".*"} contributes
 * nothing. Finite value sets ({@code =}, {@code !=}, literal alternations) are looked up
 * directly; other regexes scan the label's values, narrowed to a literal prefix when there is
 * one. Once the cheap matchers have narrowed the selection to few series, the remaining
 * matchers are tested on those series' labels instead (as Prometheus 3 and Mimir do for
 * expensive regexes): {@code up{instance=~"10\\..*"}} then costs a label lookup per
 * {@code up} series rather than the union of most of the index.
 *
 * <p>Refusing selectors that only have empty-matching matchers is the caller's job
 * ({@link Matchers#requiresNonEmpty}); given one, this returns what its semantics say.
 */
public final class PostingsForMatchers {

    private PostingsForMatchers() {}

    public static RoaringBitmap select(IndexReader index, Matcher... matchers) {
        return select(index, Arrays.asList(matchers));
    }

    public static RoaringBitmap select(IndexReader index, List<Matcher> matchers) {
        return select(index, matchers, true);
    }

    /** {@link #select}, with {@code readLabels} false never testing matchers on series labels (for tests). */
    static RoaringBitmap select(IndexReader index, List<Matcher> matchers, boolean readLabels) {
        // Cheap lookups first, so that an empty intersection ends the work before any value scan.
        List<Matcher> intersect = new ArrayList<>(matchers.size());
        List<Matcher> subtract = new ArrayList<>(matchers.size());
        for (Matcher m : matchers) {
            (m.matchesEmpty() ? subtract : intersect).add(m);
        }
        intersect.sort(Comparator.comparingInt(PostingsForMatchers::cost));
        RoaringBitmap result = null;
        if (!subtract.isEmpty()) {
            // Taken before any list is read: a growing index (the head) adds a series to its
            // lists first and to "all" last, so every series in this snapshot is completely in
            // the lists read afterwards, and a half-added one cannot slip past a subtraction.
            result = index.allPostings();
        }
        List<Matcher> byLabels = null;
        for (Matcher m : intersect) {
            if (byLabels != null || (readLabels && result != null && readLabelsInstead(index, result, m))) {
                (byLabels == null ? byLabels = new ArrayList<>() : byLabels).add(m);
                continue;
            }
            RoaringBitmap p = accepted(index, m);
            if (result == null) {
                result = p;
            } else {
                result.and(p);
            }
            if (result.isEmpty()) {
                return result;
            }
        }
        for (Matcher m : subtract) {
            if (byLabels != null || (readLabels && readLabelsInstead(index, result, m))) {
                (byLabels == null ? byLabels = new ArrayList<>() : byLabels).add(m);
                continue;
            }
            RoaringBitmap r = rejected(index, m);
            if (r != null) {
                result.andNot(r);
                if (result.isEmpty()) {
                    return result;
                }
            }
        }
        if (byLabels != null) {
            return filterByLabels(index, result, byLabels);
        }
        return result == null ? index.allPostings() : result;
    }

    /** Below this many candidates, reading their labels always beats reading postings lists. */
    static final int LABEL_FILTER_ALWAYS = 64;

    /**
     * Whether testing {@code m} on the labels of the {@code candidates} selected so far is
     * cheaper than building its postings. A regex costs a pass over all of the label's values
     * plus the union of every matching list, which for a label like {@code instance} is most of
     * the index, however few series the other matchers left; reading a candidate's labels costs
     * about what testing one value does. Set lookups only read the lists they name, so they keep
     * the postings unless the candidates are very few.
     */
    private static boolean readLabelsInstead(IndexReader index, RoaringBitmap candidates, Matcher m) {
        int n = candidates.getCardinality();
        if (n <= LABEL_FILTER_ALWAYS) {
            return true;
        }
        return m.setMatches() == null && n <= 2 * index.labelValueCount(m.name()) + 256;
    }

    /** The candidates whose labels every matcher accepts (an absent label being the empty value). */
    private static RoaringBitmap filterByLabels(IndexReader index, RoaringBitmap candidates, List<Matcher> matchers) {
        int k = matchers.size();
        Matcher[] ms = matchers.toArray(new Matcher[0]);
        String[] names = new String[k];
        // Regexes without a literal fast path are worth remembering per value: a label like
        // "instance" repeats its few values across the candidates.
        @SuppressWarnings("unchecked")
        java.util.HashMap<String, Boolean>[] memo = new java.util.HashMap[k];
        for (int j = 0; j < k; j++) {
            names[j] = ms[j].name();
            if (ms[j].setMatches() == null && ms[j].regexPrefix() == null) {
                memo[j] = new java.util.HashMap<>();
            }
        }
        int[] kept = new int[Math.min(candidates.getCardinality(), 1024)];
        int count = 0;
        RoaringBitmap out = new RoaringBitmap();
        series:
        for (org.roaringbitmap.IntIterator it = candidates.getIntIterator(); it.hasNext(); ) {
            int id = it.next();
            io.mantis.otlp.prometheus.Labels labels = index.seriesLabels(id);
            if (labels == null) {
                continue; // deleted since it was selected
            }
            for (int j = 0; j < k; j++) {
                String v = labels.get(names[j]);
                if (v == null) {
                    v = "";
                }
                boolean ok;
                if (memo[j] == null) {
                    ok = ms[j].matches(v);
                } else {
                    Boolean known = memo[j].get(v);
                    if (known == null) {
                        known = ms[j].matches(v);
                        memo[j].put(v, known);
                    }
                    ok = known;
                }
                if (!ok) {
                    continue series;
                }
            }
            if (count == kept.length) {
                out.addN(kept, 0, count);
                count = 0;
            }
            kept[count++] = id;
        }
        out.addN(kept, 0, count);
        return out;
    }

    /** Rough order of evaluation cost: set lookups, then prefix-narrowed scans, then full scans. */
    private static int cost(Matcher m) {
        if (m.setMatches() != null) {
            return 0;
        }
        String prefix = m.regexPrefix();
        if (prefix != null) {
            return prefix.isEmpty() ? 2 : 1;
        }
        return 3;
    }

    /** Series with a non-empty value of m's label that {@code m} accepts. */
    private static RoaringBitmap accepted(IndexReader index, Matcher m) {
        Set<String> set = m.setMatches();
        String name = m.name();
        if (!m.type().negative()) {
            if (set != null) {
                return set.size() == 1 ? index.postings(name, set.iterator().next()) : index.postings(name, set);
            }
            String prefix = m.regexPrefix();
            if ("".equals(prefix) && m.matches("x") && !m.matches("")) {
                // .+ : any non-empty value
                return index.postingsForLabel(name);
            }
            return index.postingsForLabelMatching(name, prefix == null ? "" : prefix, m::matches);
        }
        // A negative matcher that rejects "" : its positive form accepts "".
        if (set != null) {
            if (set.size() == 1) {
                // a!="" (the set is {""}) or a!~"" : every value
                return index.postingsForLabel(name);
            }
            return index.postingsForLabelMatching(name, "", v -> !set.contains(v));
        }
        return index.postingsForLabelMatching(name, "", m::matches);
    }

    /**
     * Series with a non-empty value of m's label that {@code m} rejects, for a matcher that
     * accepts ""; null when it rejects no value at all.
     */
    private static RoaringBitmap rejected(IndexReader index, Matcher m) {
        Set<String> set = m.setMatches();
        String name = m.name();
        if (m.type().negative()) {
            // a!="x", a!~"x|y": rejected values are exactly the (non-empty) set.
            if (set != null) {
                List<String> values = new ArrayList<>(set.size());
                for (String v : set) {
                    if (!v.isEmpty()) {
                        values.add(v);
                    }
                }
                if (values.isEmpty()) {
                    return null;
                }
                return values.size() == 1 ? index.postings(name, values.get(0)) : index.postings(name, values);
            }
            String prefix = m.regexPrefix();
            return index.postingsForLabelMatching(name, prefix == null ? "" : prefix, v -> !m.matches(v));
        }
        if (set != null) {
            // a="" (set {""}) rejects every value; a=~"x|" rejects all but x.
            if (set.size() == 1) {
                return index.postingsForLabel(name);
            }
            return index.postingsForLabelMatching(name, "", v -> !set.contains(v));
        }
        if ("".equals(m.regexPrefix())) {
            // .* accepts everything (the only prefix-"" regex accepting "")
            return null;
        }
        return index.postingsForLabelMatching(name, "", v -> !m.matches(v));
    }
}
