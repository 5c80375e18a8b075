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
}
