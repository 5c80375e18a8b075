/**
 * The series index of the metrics store: the head's in-memory inverted index
 * ({@link io.mantis.metrics.tsdb.index.MemPostings}), the immutable on-disk index of a block
 * ({@link io.mantis.metrics.tsdb.index.IndexWriter}, {@link io.mantis.metrics.tsdb.index.BlockIndexReader};
 * format in docs/format/index.md), the role both play for queries
 * ({@link io.mantis.metrics.tsdb.index.IndexReader}) and series selection by label matchers
 * ({@link io.mantis.metrics.tsdb.index.PostingsForMatchers}).
 *
 * <p>Series are numbered densely (head series ids, block series ordinals), so sets of series are
 * 32-bit RoaringBitmaps throughout. Label names and values are ordered by Unicode code point
 * (UTF-8 byte order, as Prometheus orders them) everywhere in this package: see
 * {@link io.mantis.metrics.tsdb.index.CodePointOrder}.
 */
package io.mantis.metrics.tsdb.index;
