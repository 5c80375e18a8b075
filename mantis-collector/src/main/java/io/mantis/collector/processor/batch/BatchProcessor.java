package io.mantis.collector.processor.batch;

import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Batches;
import io.mantis.collector.model.Telemetry;
import io.mantis.common.metrics.Counter;
import io.mantis.common.metrics.Histogram;
import io.mantis.common.metrics.MetricRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers incoming batches until {@code send_batch_size} items or {@code timeout}, then sends one
 * batch downstream from its own thread, so receivers answer without waiting for exporters.
 *
 * <p>Unlike a fire-and-forget buffer, it keeps back-pressure: when the next stage refuses with a
 * retryable error the batch is kept and retried, and once the items waiting here pass a bound,
 * new data is refused with a retryable error that reaches the sender as 429 / RESOURCE_EXHAUSTED.
 */
final class BatchProcessor<T extends Telemetry> implements Processor<T> {
    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);
    static final double[] SEND_SIZE_BUCKETS = {10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000,
        6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000};

    private final String id;
    private final String name;
    private final TelemetryConsumer<T> next;
    private final int sendBatchSize;
    private final int maxSize;
    private final long timeoutNanos;
    private final long capacity;
    private final Duration stopBudget;
    private final Histogram sendSize;
    private final Counter sizeTrigger;
    private final Counter timeoutTrigger;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<T> pending = new ArrayDeque<>();
    private long pendingItems;
    private long oldestNanos;
    private boolean stopping;
    private Thread flusher;

    BatchProcessor(ComponentSettings s, BatchProcessorConfig c, TelemetryConsumer<T> next) {
        this.id = s.lifecycleId();
        this.name = s.id().toString();
        this.next = next;
        this.sendBatchSize = Math.max(1, c.sendBatchSize());
        this.maxSize = c.sendBatchMaxSize();
        this.timeoutNanos = c.timeout().toNanos();
        // Enough for bursts while an exporter is briefly slow; beyond it, senders must back off.
        this.capacity = Math.max(10L * sendBatchSize, 100_000L);
        this.stopBudget = s.shutdownTimeout().dividedBy(2);
        MetricRegistry r = s.registry();
        this.sendSize = r.histogram("otelcol_processor_batch_batch_send_size", "Number of units in the batch",
                SEND_SIZE_BUCKETS, "processor").labels(name);
        this.sizeTrigger = r.counter("otelcol_processor_batch_batch_size_trigger_send",
                "Number of times the batch was sent due to a size trigger", "processor").labels(name);
        this.timeoutTrigger = r.counter("otelcol_processor_batch_timeout_trigger_send",
                "Number of times the batch was sent due to a timeout trigger", "processor").labels(name);
    }

    @Override
    public String id() {
        return id;
    }

    /** Only appends under a short lock; sending happens on its own thread. */
    @Override
    public boolean mayBlock() {
        return false;
    }

    @Override
    public void consume(T data) throws ConsumeException {
        if (data.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (stopping) {
                throw ConsumeException.retryable("batch processor " + name + " is shutting down",
                        Duration.ofSeconds(1));
            }
            if (pendingItems + data.itemCount() > capacity && pendingItems > 0) {
                throw ConsumeException.retryable("batch processor " + name + " holds " + pendingItems
                        + " items waiting for the exporters; try again later", Duration.ofSeconds(1));
            }
            boolean wasEmpty = pending.isEmpty();
            if (wasEmpty) {
                oldestNanos = System.nanoTime();
            }
            pending.add(data);
            pendingItems += data.itemCount();
            // Wake the flusher when its deadline starts (first item) or the size is reached.
            if (wasEmpty || pendingItems >= sendBatchSize) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        flusher = new Thread(this::run, "batch-" + id);
        flusher.setDaemon(true);
        flusher.start();
    }

    private void run() {
        while (true) {
            List<T> parts;
            boolean bySize;
            lock.lock();
            try {
                while (true) {
                    if (pendingItems >= sendBatchSize) {
                        bySize = true;
                        break;
                    }
                    if (!pending.isEmpty()) {
                        long wait = oldestNanos + timeoutNanos - System.nanoTime();
                        if (wait <= 0 || stopping) {
                            bySize = false;
                            break;
                        }
                        changed.awaitNanos(wait);
                    } else if (stopping) {
                        return;
                    } else {
                        changed.await();
                    }
                }
                parts = new ArrayList<>(pending);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            T merged = Batches.merge(parts);
            List<T> out = maxSize > 0 ? Batches.split(merged, maxSize) : List.of(merged);
            for (T batch : out) {
                if (!deliver(batch)) {
                    return;
                }
                (bySize ? sizeTrigger : timeoutTrigger).inc();
                sendSize.observe(batch.itemCount());
            }
            lock.lock();
            try {
                for (int i = 0; i < parts.size(); i++) {
                    T p = pending.poll();
                    pendingItems -= p.itemCount();
                }
                if (!pending.isEmpty()) {
                    oldestNanos = System.nanoTime();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Hands one batch on, retrying while the next stage asks for it. Returns false only when
     * interrupted during a stop.
     */
    private boolean deliver(T batch) {
        long backoff = 50_000_000L;
        while (true) {
            try {
                next.consume(batch);
                return true;
            } catch (ConsumeException e) {
                if (e.permanent()) {
                    log.error("{}: the next stage refused {} items for good: {}", name, batch.itemCount(),
                            e.getMessage());
                    return true;
                }
                boolean stoppingNow;
                lock.lock();
                try {
                    stoppingNow = stopping;
                } finally {
                    lock.unlock();
                }
                log.debug("{}: next stage busy, retrying: {}", name, e.getMessage());
                long wait = e.retryAfter() != null ? Math.min(e.retryAfter().toNanos(), 5_000_000_000L) : backoff;
                if (stoppingNow) {
                    wait = Math.min(wait, 100_000_000L);
                }
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException ie) {
                    log.error("{}: stopped with {} items not delivered: {}", name, batch.itemCount(), e.getMessage());
                    return false;
                }
                backoff = Math.min(backoff * 2, 5_000_000_000L);
            }
        }
    }

    /** Sends what is pending, then stops; bounded by half the process' stop budget. */
    @Override
    public void stop() throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        flusher.join(stopBudget.toMillis());
        if (flusher.isAlive()) {
            flusher.interrupt();
            flusher.join(1000);
            lock.lock();
            try {
                if (pendingItems > 0) {
                    log.error("{}: stopped with {} items not delivered", name, pendingItems);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
