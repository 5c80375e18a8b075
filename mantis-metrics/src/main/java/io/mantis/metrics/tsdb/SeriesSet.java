package io.mantis.metrics.tsdb;

/** A cursor over series: {@code while (set.next()) use(set.at());}. */
public interface SeriesSet {

    /** Advances to the next series; false at the end. */
    boolean next();

    /** The current series; valid until the next {@link #next()}. */
    Series at();

    /** Annotations gathered while selecting (e.g. a block that could not be read), never null. */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }

    /** The empty set. */
    static SeriesSet empty() {
        return new SeriesSet() {
            @Override
            public boolean next() {
                return false;
            }

            @Override
            public Series at() {
                throw new java.util.NoSuchElementException();
            }
        };
    }
}
