package io.mantis.metrics.tsdb.head;

import java.io.IOException;

/**
 * Where the head makes a commit durable before applying it: the WAL in a real store. Returning
 * normally means the write survives a crash (per the fsync policy); throwing means nothing of it
 * is applied.
 */
@FunctionalInterface
public interface HeadLog {

    /** For a head that keeps nothing across restarts (tests of in-memory behaviour, replay itself). */
    HeadLog NONE = write -> {
    };

    void write(PendingWrite write) throws IOException;

    /** Logs a deletion of [mint, maxt] in the series with these references. */
    default void writeTombstones(long[] refs, int count, long mint, long maxt) throws IOException {
    }
}
