package io.mantis.metrics.tsdb;

import io.mantis.metrics.tsdb.chunkenc.Encoding;

/**
 * How float samples are stored in blocks written from now on ({@code metrics.tsdb.block_chunk_encoding}).
 * Blocks already written keep their chunks until a compaction rewrites them; readers take both.
 */
public enum BlockChunkEncoding {
    /** Mantis' own encoding (docs/format/chunks.md, DECIMAL): about half the size of XOR; Mantis-only blocks. */
    DECIMAL(Encoding.DECIMAL),
    /** Prometheus' Gorilla XOR chunks: blocks stay readable by Prometheus, Thanos and Mimir. */
    XOR(Encoding.XOR);

    private final Encoding encoding;

    BlockChunkEncoding(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The chunk encoding of float samples. */
    public Encoding encoding() {
        return encoding;
    }
}
