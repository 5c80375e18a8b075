package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.CounterResetHeader;
import io.mantis.metrics.tsdb.chunkenc.DecimalChunk;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.ValueType;

/**
 * Re-encodes a stream of samples into new chunks: floats into XOR or DECIMAL (the float encoding
 * given), integer-count histograms into HISTOGRAM and float-count histograms into FLOAT_HISTOGRAM
 * chunks. XOR and histogram chunks hold at most {@code maxSamplesPerChunk} samples each, a
 * histogram chunk also cut where its appender refuses a sample (with the counter-reset header the
 * appender says). A stale histogram continues the open histogram chunk, as in the head. A run of
 * float samples for DECIMAL is collected whole and split evenly into chunks of at most {@link
 * #DECIMAL_MAX_SAMPLES} (docs/format/chunks.md). Used to write blocks from the head and where
 * stored chunks cannot be copied: merging overlapping data, applying tombstones, clipping to a
 * block's range, changing the float encoding. Not thread-safe; reusable.
 */
public final class SampleChunker {

    /** Samples per chunk, as the head cuts them. */
    public static final int DEFAULT_MAX_SAMPLES = 120;

    /**
     * Most samples of a DECIMAL chunk. A query decodes a whole DECIMAL chunk even for one sample:
     * at 240 that costs about what reaching the middle of a 120-sample XOR chunk costs, while
     * larger chunks would pack only a little better (docs/format/chunks.md).
     */
    public static final int DECIMAL_MAX_SAMPLES = 240;

    private final int maxSamples;
    private final Encoding floatEncoding;
    private final FloatHistogram h = new FloatHistogram();
    private final DecimalChunk.Encoder decimal;
    private long[] runT = new long[0];
    private double[] runV = new double[0];
    private int run;

    /**
     * @param floatEncoding {@link Encoding#XOR} or {@link Encoding#DECIMAL}
     */
    public SampleChunker(int maxSamplesPerChunk, Encoding floatEncoding) {
        if (maxSamplesPerChunk < 1 || maxSamplesPerChunk > Chunk.MAX_SAMPLES) {
            throw new IllegalArgumentException("samples per chunk " + maxSamplesPerChunk + " outside [1, " + Chunk.MAX_SAMPLES + "]");
        }
        if (!floatEncoding.isFloat()) {
            throw new IllegalArgumentException(floatEncoding + " is not an encoding of float samples");
        }
        this.maxSamples = maxSamplesPerChunk;
        this.floatEncoding = floatEncoding;
        this.decimal = floatEncoding == Encoding.DECIMAL ? new DecimalChunk.Encoder() : null;
    }

    /** Floats into XOR chunks. */
    public SampleChunker(int maxSamplesPerChunk) {
        this(maxSamplesPerChunk, Encoding.XOR);
    }

    public SampleChunker() {
        this(DEFAULT_MAX_SAMPLES);
    }

    /** The encoding float samples get. */
    public Encoding floatEncoding() {
        return floatEncoding;
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
        run = 0;
        while ((vt = samples.next()) != ValueType.NONE) {
            long t = samples.timestamp();
            if (total > 0 && t <= prevT) {
                throw new IllegalArgumentException("samples out of order: " + t + " after " + prevT);
            }
            prevT = t;
            if (vt == ValueType.FLOAT && decimal != null) {
                if (chunk != null) {
                    out.add(cMin, cMax, chunk);
                    chunk = null;
                    app = null;
                }
                collect(t, samples.value());
            } else if (vt == ValueType.FLOAT) {
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
                if (run > 0) {
                    flushRun(out);
                }
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
        if (run > 0) {
            flushRun(out);
        }
        return total;
    }

    private void collect(long t, double v) {
        if (run == runT.length) {
            int cap = Math.max(256, run * 2);
            runT = java.util.Arrays.copyOf(runT, cap);
            runV = java.util.Arrays.copyOf(runV, cap);
        }
        runT[run] = t;
        runV[run] = v;
        run++;
    }

    /** The collected float run as DECIMAL chunks of equal size (give or take one). */
    private void flushRun(ChunkList out) {
        int parts = (run + DECIMAL_MAX_SAMPLES - 1) / DECIMAL_MAX_SAMPLES;
        int from = 0;
        for (int p = 0; p < parts; p++) {
            int to = (int) ((long) run * (p + 1) / parts);
            int n = to - from;
            Chunk c = decimal.encode(runT, runV, from, n);
            out.add(runT[from], runT[to - 1], c);
            from = to;
        }
        run = 0;
    }
}
