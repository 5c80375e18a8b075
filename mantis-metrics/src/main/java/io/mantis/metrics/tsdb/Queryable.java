package io.mantis.metrics.tsdb;

/** Something that can be queried over a time range: the head, a block, the whole store. */
public interface Queryable {

    /** A querier over samples with timestamps in {@code [mint, maxt]} (both inclusive). */
    Querier querier(long mint, long maxt);
}
