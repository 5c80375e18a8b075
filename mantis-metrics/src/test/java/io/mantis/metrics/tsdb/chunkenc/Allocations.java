package io.mantis.metrics.tsdb.chunkenc;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, for checks that a loop allocates nothing per item. */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    static boolean supported() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    static long current() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
