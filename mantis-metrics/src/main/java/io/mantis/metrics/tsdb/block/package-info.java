/**
 * Persistent blocks of the metrics store (docs/format/tsdb.md): {@link
 * io.mantis.metrics.tsdb.block.BlockWriter} turns sorted series with chunks into a block
 * directory, {@link io.mantis.metrics.tsdb.block.Block} opens and queries one (with tombstones
 * for deletions, reference-counted against queries in flight), {@link
 * io.mantis.metrics.tsdb.block.MergeQuerier} reads across the head and blocks, {@link
 * io.mantis.metrics.tsdb.block.LeveledCompactor} plans and runs compactions, {@link
 * io.mantis.metrics.tsdb.block.Retention} picks blocks to drop and {@link
 * io.mantis.metrics.tsdb.block.Blocks} cleans up after crashes.
 */
package io.mantis.metrics.tsdb.block;
