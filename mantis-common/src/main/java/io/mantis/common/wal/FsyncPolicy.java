package io.mantis.common.wal;

/**
 * When appended records are forced to disk; see docs/format/wal.md, "Fsync policies". Every
 * policy writes a batch with a system call before {@code append} returns, so an acknowledged
 * batch survives the death of the process under each of them; they differ in what a power loss
 * or kernel crash may take.
 */
public enum FsyncPolicy {
    /** Every append returns only once its batch is fsynced; concurrent appends share fsyncs. */
    ALWAYS,
    /** Appends return after the write; a background task fsyncs every {@code fsync_interval}. */
    INTERVAL,
    /** Appends return after the write; the WAL fsyncs only when closed. */
    NEVER
}
