package io.mantis.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hard rule: recording a metric on a bound child never allocates. Measured with the per-thread
 * allocation counter of the HotSpot ThreadMXBean, which counts the heap bytes this thread allocates
 * (including those bump-allocated inside its TLAB), so one boxed value per call shows up as megabytes.
 */
class AllocationFreeTest {

    private static final int CALLS = 1_000_000;
    private static final long BUDGET_BYTES = 1024;

    /** Defeats escape analysis in the control loop: the boxes must really reach the heap. */
    private static volatile Object blackhole;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void incrementsAndObservationsDoNotAllocate() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation accounting unavailable");
        threads.setThreadAllocatedMemoryEnabled(true);

        MetricRegistry registry = new MetricRegistry();
        Counter counter = registry.counter("mantis_alloc_counter", "", "k").labels("v");
        Gauge gauge = registry.gauge("mantis_alloc_gauge", "", "k").labels("v");
        Histogram wide = registry.histogram("mantis_alloc_wide", "", Histogram.DEFAULT_BUCKETS, "k").labels("v");
        Histogram narrow = registry.histogram("mantis_alloc_narrow", "", new double[] {1, 10}).unlabelled();

        // Warm up: first fractional increment creates the counter's DoubleAdder, and the loop gets JIT-compiled.
        for (int i = 0; i < 20; i++) {
            hotLoop(counter, gauge, wide, narrow, 100_000);
        }

        long overhead = measurementOverhead();
        long before = allocatedBytes();
        hotLoop(counter, gauge, wide, narrow, CALLS);
        long allocated = allocatedBytes() - before - overhead;

        assertThat(allocated).as("bytes allocated by %d rounds of metric calls", CALLS).isLessThan(BUDGET_BYTES);
        assertThat(counter.get()).isGreaterThan(CALLS); // the calls really happened
        assertThat(wide.count()).isGreaterThan(CALLS);
    }

    /** Shows the measurement can fail: the same loop with one boxing per call is caught. */
    @Test
    void theMeasurementDetectsBoxing() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation accounting unavailable");
        threads.setThreadAllocatedMemoryEnabled(true);
        MetricRegistry registry = new MetricRegistry();
        Gauge gauge = registry.gauge("mantis_alloc_gauge", "").unlabelled();
        boxingLoop(gauge, 10_000);

        long overhead = measurementOverhead();
        long before = allocatedBytes();
        boxingLoop(gauge, CALLS);
        long allocated = allocatedBytes() - before - overhead;

        assertThat(allocated).isGreaterThan(BUDGET_BYTES);
    }

    private static void hotLoop(Counter counter, Gauge gauge, Histogram wide, Histogram narrow, int n) {
        for (int i = 0; i < n; i++) {
            counter.inc();
            counter.inc(3L);
            counter.inc(0.5);
            gauge.set(i);
            gauge.add(0.25);
            gauge.inc();
            gauge.dec();
            wide.observe(i * 1e-5);
            narrow.observe(i & 15);
        }
    }

    private static void boxingLoop(Gauge gauge, int n) {
        for (int i = 0; i < n; i++) {
            Double boxed = (double) i; // what a careless inc(Object) or varargs signature would do
            blackhole = boxed;
            gauge.set(boxed);
        }
    }

    private long allocatedBytes() {
        return threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    /** What two back-to-back readings cost, so the budget is not spent on the meter itself. */
    private long measurementOverhead() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long a = allocatedBytes();
            long b = allocatedBytes();
            min = Math.min(min, b - a);
        }
        return min;
    }
}
