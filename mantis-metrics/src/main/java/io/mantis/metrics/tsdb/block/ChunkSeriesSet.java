package io.mantis.metrics.tsdb.block;

import io.mantis.otlp.prometheus.Labels;

/**
 * A source of series with their encoded chunks, the input of {@link BlockWriter}: the head when it
 * is cut into a block, the parents of a compaction, or any {@link io.mantis.metrics.tsdb.SeriesSet}
 * through {@link ChunkSeriesSets#encode}.
 *
 * <p>Series come in strictly ascending label order ({@link Labels#compareTo}). A series' chunks
 * should be in time order and not overlap, which lets the writer copy them as they are; chunks
 * that overlap, come out of order or reach outside the block's range make the writer merge the
 * series' samples (at equal timestamps the chunk listed first wins) and re-encode them. Chunk
 * times are trusted: a chunk's samples must lie within its {@code [minTime, maxTime]}.
 */
public interface ChunkSeriesSet {

    /** Advances to the next series; false at the end. */
    boolean next();

    /** Labels of the current series. */
    Labels labels();

    /** Chunks of the current series; valid until {@link #next()}; may be empty. */
    ChunkList chunks();
}
