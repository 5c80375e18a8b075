package io.mantis.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 1_000_000;

    @Test
    void concurrentUpdatesAreNotLost() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        Counter counter = registry.counter("mantis_c", "").unlabelled();
        Counter fractional = registry.counter("mantis_f", "").unlabelled();
        Gauge gauge = registry.gauge("mantis_g", "").unlabelled();
        Histogram histogram = registry.histogram("mantis_h", "", new double[] {0.5, 1, 2}).unlabelled();

        runConcurrently(() -> {
            for (int i = 0; i < PER_THREAD; i++) {
                counter.inc();
                fractional.inc(0.5); // exactly representable, so the sum is exact too
                gauge.inc();
                histogram.observe(1);
            }
        });

        long total = (long) THREADS * PER_THREAD;
        assertThat(counter.get()).isEqualTo(total);
        assertThat(fractional.get()).isEqualTo(total / 2.0);
        assertThat(gauge.get()).isEqualTo(total);
        assertThat(histogram.count()).isEqualTo(total);
        assertThat(histogram.sum()).isEqualTo(total);
    }

    @Test
    void concurrentBindingYieldsOneChildPerLabelSet() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        CounterFamily family = registry.counter("mantis_c", "", "k");
        Set<Counter> seen = ConcurrentHashMap.newKeySet();
        runConcurrently(() -> {
            for (int i = 0; i < 10_000; i++) {
                Counter c = family.labels("k" + (i % 10));
                c.inc();
                if (i % 10 == 0) {
                    seen.add(c);
                }
            }
        });
        assertThat(seen).hasSize(1);
        assertThat(family.labels("k0").get()).isEqualTo(THREADS * 1_000);
    }

    @Test
    void scrapingWhileRegisteringAndUpdatingStaysParsable() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        HistogramFamily histograms = registry.histogram("mantis_h", "", Histogram.DEFAULT_BUCKETS, "k");
        List<Throwable> failures = new ArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 200_000; i++) {
                histograms.labels("k" + (i % 50)).observe(i % 7);
                if (i % 1000 == 0) {
                    registry.gauge("mantis_g" + (i / 1000), "").unlabelled().set(i);
                }
            }
        });
        while (writer.isAlive()) {
            try {
                ExpositionParser.parseOpenMetrics(TextFormatTest.writeOpenMetrics(registry));
            } catch (Throwable t) {
                failures.add(t);
                break;
            }
        }
        writer.join();
        assertThat(failures).isEmpty();
    }

    private static void runConcurrently(Runnable task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    task.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }
}
