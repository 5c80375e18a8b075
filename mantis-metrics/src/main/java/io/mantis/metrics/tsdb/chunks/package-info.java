/**
 * Chunk segment files: numbered files of framed, checksummed chunks for blocks and for the head's
 * memory-mapped full chunks (docs/format/chunks.md).
 */
package io.mantis.metrics.tsdb.chunks;
