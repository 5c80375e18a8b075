/**
 * Chunk encodings: compressed runs of samples of one series (XOR floats, integer and float native
 * histograms, bit-compatible with the Prometheus TSDB; and DECIMAL floats, Mantis' own, for
 * blocks only); bytes specified in docs/format/chunks.md.
 */
package io.mantis.metrics.tsdb.chunkenc;
