package io.mantis.metrics.tsdb.index;

import io.mantis.otlp.prometheus.Labels;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * Read access to a series index, the role that both the head's in-memory index and a block's
 * on-disk index play for queries. Series are identified by int: head series ids, or series
 * ordinals in a block.
 *
 * <p>Every returned bitmap is a new object owned by the caller, who may modify it; it is a
 * consistent snapshot of one postings list even while the index is being written to. Lists of
 * names and values are sorted by {@link CodePointOrder}. Label pairs with an empty value are not
 * indexed: an empty value is the same as the label being absent.
 */
public interface IndexReader {

    /** Names of labels that at least one series carries. */
    List<String> labelNames();

    /** Names of labels that at least one of {@code series} carries. */
    List<String> labelNames(RoaringBitmap series);

    /** Values that label {@code name} has on at least one series; empty for an unknown name. */
    List<String> labelValues(String name);

    /**
     * How many distinct values label {@code name} has (0 for an unknown name): what scanning the
     * label's values for a regex costs, against which {@link PostingsForMatchers} weighs reading
     * the labels of the few series it has already narrowed down to.
     */
    int labelValueCount(String name);

    /** Values that label {@code name} has on at least one of {@code series}. */
    List<String> labelValues(String name, RoaringBitmap series);

    /** Series with label {@code name} equal to {@code value} (none for an empty value). */
    RoaringBitmap postings(String name, String value);

    /** Series with label {@code name} equal to any of {@code values}. */
    RoaringBitmap postings(String name, Collection<String> values);

    /** Series that carry label {@code name} with any value. */
    RoaringBitmap postingsForLabel(String name);

    /**
     * Series whose value of label {@code name} starts with {@code prefix} and is accepted by
     * {@code accept}. The prefix only lets an index with sorted values skip others; pass ""
     * when there is none. {@code accept} is never called with the empty string.
     */
    RoaringBitmap postingsForLabelMatching(String name, String prefix, Predicate<String> accept);

    /** Every series in the index. */
    RoaringBitmap allPostings();

    /** The labels of one series, or null if there is no such series (e.g. deleted since). */
    Labels seriesLabels(int id);
}
