package io.mantis.metrics.tsdb;

import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.otlp.prometheus.Labels;

/** One series of a {@link SeriesSet}: labels and its samples in the querier's time range. */
public interface Series {

    Labels labels();

    /**
     * Iterates the samples in the querier's range in timestamp order, reusing {@code reuse} when it
     * is an iterator this series can recycle (pass the previous series' iterator, or null).
     */
    ChunkIterator iterator(ChunkIterator reuse);

    /**
     * The newest sample in the querier's range, when it is a float that the series knows without
     * decoding anything (the head keeps its open chunk's last sample): writes its time and value
     * to {@code ft[0]} and {@code fv[0]} and returns true. False when the series cannot tell this
     * way; the iterator always can. An instant query's plain selector only needs this sample.
     */
    default boolean latestFloat(long[] ft, double[] fv) {
        return false;
    }
}
