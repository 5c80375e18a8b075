package io.mantis.collector.processor.memorylimiter;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory check shared by every pipeline that lists one {@code memory_limiter}: measures the
 * heap every {@code check_interval} and decides whether data must be refused, with the
 * collector's rules:
 *
 * <ul>
 *   <li>at or above the hard limit, a GC is forced (at most every
 *       {@code min_gc_interval_when_hard_limited}) and the heap measured again;</li>
 *   <li>at or above the soft limit (hard limit - spike), data is refused; on crossing it, a GC is
 *       forced first (at most every {@code min_gc_interval_when_soft_limited}) and the limiter
 *       refuses only if the heap is still above it;</li>
 *   <li>below the soft limit, data is accepted again.</li>
 * </ul>
 */
final class MemoryLimiter {
    private static final Logger log = LoggerFactory.getLogger(MemoryLimiter.class);

    private final String name;
    private final long hardLimit;
    private final long softLimit;
    private final Duration checkInterval;
    private final long minGcSoftNanos;
    private final long minGcHardNanos;
    private final LongSupplier usedHeap;
    private final Runnable gc;
    private final LongSupplier nanoTime;

    private volatile boolean refusing;
    private boolean gcDone;
    private long lastGcNanos;
    private int users;
    private ScheduledExecutorService ticker;

    MemoryLimiter(String name, long hardLimit, long spike, MemoryLimiterConfig config, LongSupplier usedHeap,
                  Runnable gc, LongSupplier nanoTime) {
        this.name = name;
        this.hardLimit = hardLimit;
        this.softLimit = hardLimit - spike;
        this.checkInterval = config.checkInterval();
        this.minGcSoftNanos = config.minGcIntervalWhenSoftLimited().toNanos();
        this.minGcHardNanos = config.minGcIntervalWhenHardLimited().toNanos();
        this.usedHeap = usedHeap;
        this.gc = gc;
        this.nanoTime = nanoTime;
    }

    long hardLimit() {
        return hardLimit;
    }

    long softLimit() {
        return softLimit;
    }

    Duration checkInterval() {
        return checkInterval;
    }

    /** Whether data must be refused now; read on every batch, so a volatile read and nothing else. */
    boolean mustRefuse() {
        return refusing;
    }

    /** One measurement and decision; the ticker calls it every check interval. */
    synchronized void check() {
        long used = usedHeap.getAsLong();
        if (used >= hardLimit && gcAllowed(minGcHardNanos)) {
            log.info("{}: heap in use {} MiB is at or above the hard limit {} MiB; forcing a GC", name, mib(used),
                    mib(hardLimit));
            used = gcAndMeasure();
        }
        boolean was = refusing;
        boolean refuse = used >= softLimit;
        if (was && !refuse) {
            log.info("{}: heap in use {} MiB is back below the soft limit {} MiB; accepting data again", name,
                    mib(used), mib(softLimit));
        }
        if (!was && refuse) {
            if (gcAllowed(minGcSoftNanos)) {
                log.info("{}: heap in use {} MiB is above the soft limit {} MiB; forcing a GC", name, mib(used),
                        mib(softLimit));
                used = gcAndMeasure();
                refuse = used >= softLimit;
            }
            if (refuse) {
                log.warn("{}: heap in use {} MiB is above the soft limit {} MiB; refusing data", name, mib(used),
                        mib(softLimit));
            }
        }
        refusing = refuse;
    }

    private boolean gcAllowed(long minIntervalNanos) {
        return !gcDone || nanoTime.getAsLong() - lastGcNanos >= minIntervalNanos;
    }

    private long gcAndMeasure() {
        gc.run();
        gcDone = true;
        lastGcNanos = nanoTime.getAsLong();
        return usedHeap.getAsLong();
    }

    /** A processor using this limiter started; the first one starts the checks. */
    synchronized void acquire() {
        if (users++ == 0) {
            check();
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "memory-limiter-" + name);
                t.setDaemon(true);
                return t;
            });
            long every = checkInterval.toNanos();
            ticker.scheduleAtFixedRate(this::checkSafely, every, every, TimeUnit.NANOSECONDS);
        }
    }

    /** A processor using this limiter stopped; the last one stops the checks. */
    synchronized void release() {
        if (users > 0 && --users == 0) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            // A failed reading must not end the schedule: the next tick may succeed.
            log.error("{}: memory check failed", name, e);
        }
    }

    private static long mib(long bytes) {
        return bytes / MemoryLimiterConfig.MIB;
    }
}
