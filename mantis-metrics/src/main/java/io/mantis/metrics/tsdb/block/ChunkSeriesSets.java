package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.otlp.prometheus.Labels;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;

/** Adapters to {@link ChunkSeriesSet}. */
public final class ChunkSeriesSets {

    private ChunkSeriesSets() {
    }

    /**
     * The series of {@code sorted} (which must be in label order, e.g. from {@code select(true,
     * ...)}) with their samples re-encoded into new chunks by a {@link SampleChunker}. Useful to
     * write any querier's view (a merged one, the head with its out-of-order samples) as a block.
     */
    public static ChunkSeriesSet encode(SeriesSet sorted, int maxSamplesPerChunk) {
        return encode(sorted, maxSamplesPerChunk, Encoding.XOR);
    }

    /** As {@link #encode(SeriesSet, int)}, with float samples in {@code floatEncoding} (XOR or DECIMAL). */
    public static ChunkSeriesSet encode(SeriesSet sorted, int maxSamplesPerChunk, Encoding floatEncoding) {
        SampleChunker chunker = new SampleChunker(maxSamplesPerChunk, floatEncoding);
        return new ChunkSeriesSet() {
            private final ChunkList chunks = new ChunkList();
            private Labels labels;
            private ChunkIterator it;

            @Override
            public boolean next() {
                if (!sorted.next()) {
                    labels = null;
                    chunks.clear();
                    return false;
                }
                labels = sorted.at().labels();
                it = sorted.at().iterator(it);
                chunks.clear();
                chunker.encode(it, chunks);
                return true;
            }

            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public ChunkList chunks() {
                return chunks;
            }
        };
    }

    /** The entries of {@code series} in order (for tests and small inputs). */
    public static ChunkSeriesSet of(SortedMap<Labels, ChunkList> series) {
        Iterator<Map.Entry<Labels, ChunkList>> it = series.entrySet().iterator();
        return new ChunkSeriesSet() {
            private Map.Entry<Labels, ChunkList> cur;

            @Override
            public boolean next() {
                cur = it.hasNext() ? it.next() : null;
                return cur != null;
            }

            @Override
            public Labels labels() {
                return cur.getKey();
            }

            @Override
            public ChunkList chunks() {
                return cur.getValue();
            }
        };
    }
}
