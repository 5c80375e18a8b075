/**
 * Chunk encodings: compressed runs of samples of one series (XOR floats, integer and float native
 * histograms), bit-compatible with the Prometheus TSDB; bytes specified in docs/format/chunks.md.
 */
package io.mantis.metrics.tsdb.chunkenc;
