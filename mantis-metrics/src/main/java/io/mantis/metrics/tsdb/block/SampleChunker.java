package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.CounterResetHeader;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.ValueType;

/**
 * Re-encodes a stream of samples into new chunks: floats into XOR, integer-count histograms into
 * HISTOGRAM and float-count histograms into FLOAT_HISTOGRAM chunks, at most {@code
 * maxSamplesPerChunk} samples each, a histogram chunk also cut where its appender refuses a sample
 * (with the counter-reset header the appender says). A stale histogram continues the open
 * histogram chunk, as in the head. Used where stored chunks cannot be copied: merging overlapping
 * data, applying tombstones, clipping to a block's range. Not thread-safe; reusable.
 */
public final class SampleChunker {

    /** Samples per chunk, as the head cuts them. */
    public static final int DEFAULT_MAX_SAMPLES = 120;

    private final int maxSamples;
    private final FloatHistogram h = new FloatHistogram();

    public SampleChunker(int maxSamplesPerChunk) {
        if (maxSamplesPerChunk < 1 || maxSamplesPerChunk > Chunk.MAX_SAMPLES) {
            throw new IllegalArgumentException("samples per chunk " + maxSamplesPerChunk + " outside [1, " + Chunk.MAX_SAMPLES + "]");
        }
        this.maxSamples = maxSamplesPerChunk;
    }

    public SampleChunker() {
        this(DEFAULT_MAX_SAMPLES);
    }

    /**
     * Encodes every remaining sample of {@code samples} (a fresh or partly read iterator; its
     * timestamps must strictly increase) and appends the chunks to {@code out}.
     *
     * @return the number of samples encoded
     */
    public long encode(ChunkIterator samples, ChunkList out) {
        Chunk chunk = null;
        ChunkAppender app = null;
        long cMin = 0;
        long cMax = 0;
        long total = 0;
        long prevT = Long.MIN_VALUE;
        ValueType vt;
        while ((vt = samples.next()) != ValueType.NONE) {
            long t = samples.timestamp();
            if (total > 0 && t <= prevT) {
                throw new IllegalArgumentException("samples out of order: " + t + " after " + prevT);
            }
            prevT = t;
            if (vt == ValueType.FLOAT) {
                double v = samples.value();
                if (chunk == null || chunk.encoding() != Encoding.XOR || chunk.numSamples() >= maxSamples) {
                    if (chunk != null) {
                        out.add(cMin, cMax, chunk);
                    }
                    chunk = Chunk.create(Encoding.XOR);
                    app = chunk.appender();
                    cMin = t;
                }
                app.append(t, v);
            } else {
                samples.histogram(h);
                Encoding want = h.isStale() && chunk != null && chunk.encoding() != Encoding.XOR ? chunk.encoding()
                        : vt == ValueType.HISTOGRAM && h.hasIntegerCounts() ? Encoding.HISTOGRAM : Encoding.FLOAT_HISTOGRAM;
                boolean fitted = chunk != null && chunk.encoding() == want && chunk.numSamples() < maxSamples
                        && app.appendHistogram(t, h);
                if (!fitted) {
                    CounterResetHeader header = chunk != null && chunk.encoding() == want ? app.nextChunkHeader(h) : null;
                    if (chunk != null) {
                        out.add(cMin, cMax, chunk);
                    }
                    chunk = Chunk.create(want);
                    if (header != null) {
                        chunk.setCounterResetHeader(header);
                    }
                    app = chunk.appender();
                    cMin = t;
                    if (!app.appendHistogram(t, h)) {
                        throw new IllegalStateException("a new histogram chunk refused its first sample at " + t);
                    }
                }
            }
            cMax = t;
            total++;
        }
        if (chunk != null) {
            out.add(cMin, cMax, chunk);
        }
        return total;
    }
}
