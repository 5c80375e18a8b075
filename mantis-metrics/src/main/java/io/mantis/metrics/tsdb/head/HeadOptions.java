package io.mantis.metrics.tsdb.head;

/**
 * Tuning of the head.
 *
 * @param chunkRange        block range in ms: chunks never cross a multiple of it
 * @param outOfOrderWindow  how far (ms) behind a series' newest sample a sample (float or native
 *                          histogram) is still accepted; 0 refuses every out-of-order sample, as
 *                          Prometheus does by default
 * @param maxSamplesPerChunk samples after which a chunk is cut (120 in Prometheus: ~2 h at 1 min)
 * @param maxExemplars      size of the exemplar ring; 0 disables exemplar storage
 */
public record HeadOptions(long chunkRange, long outOfOrderWindow, int maxSamplesPerChunk, int maxExemplars) {

    public static final long DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000L;

    public HeadOptions {
        if (chunkRange <= 0) {
            throw new IllegalArgumentException("chunkRange must be positive");
        }
        if (outOfOrderWindow < 0) {
            throw new IllegalArgumentException("outOfOrderWindow must not be negative");
        }
        if (maxSamplesPerChunk < 1) {
            throw new IllegalArgumentException("maxSamplesPerChunk must be at least 1");
        }
        if (maxExemplars < 0) {
            throw new IllegalArgumentException("maxExemplars must not be negative");
        }
    }

    public static HeadOptions defaults() {
        return new HeadOptions(DEFAULT_CHUNK_RANGE, 0, 120, 100_000);
    }
}
