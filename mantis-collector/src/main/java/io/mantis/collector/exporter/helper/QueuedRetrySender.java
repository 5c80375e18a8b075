package io.mantis.collector.exporter.helper;

import io.mantis.collector.Signal;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.obs.ExporterObs;
import io.mantis.common.metrics.Gauge;
import io.mantis.common.metrics.MetricRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter helper for one signal: an optional bounded in-memory queue drained by sender
 * threads, with retries and back-off around each send.
 *
 * <p>Accepting a batch means it is queued (or, without a queue, sent). A full queue is a
 * retryable refusal that travels back to the receiver, so overload turns into back-pressure on
 * the senders instead of lost data. Permanent failures are counted and logged once per cause.
 */
public final class QueuedRetrySender<T extends Telemetry> implements TelemetryConsumer<T> {
    /** Sends one batch; throws {@link ConsumeException} saying whether a retry can help. */
    @FunctionalInterface
    public interface Sender<T> {
        void send(T batch) throws ConsumeException;
    }

    private static final Logger log = LoggerFactory.getLogger(QueuedRetrySender.class);
    private static final Object POISON = new Object();

    private final String exporter;
    private final Signal signal;
    private final Sender<T> sender;
    private final QueueSettings queue;
    private final RetrySettings retry;
    private final ExporterObs obs;
    private final BlockingQueue<Object> pending;
    private final Gauge queueSize;
    private final List<Thread> workers = new ArrayList<>();
    private final Set<String> loggedCauses = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile long stopDeadline = Long.MAX_VALUE;

    public QueuedRetrySender(String exporter, Signal signal, Sender<T> sender, QueueSettings queue, RetrySettings retry,
                             MetricRegistry registry) {
        this.exporter = exporter;
        this.signal = signal;
        this.sender = sender;
        this.queue = queue;
        this.retry = retry;
        this.obs = new ExporterObs(registry, signal, exporter);
        this.pending = queue.enabled() ? new ArrayBlockingQueue<>(queue.queueSize() + queue.numConsumers()) : null;
        this.queueSize = registry.gauge("otelcol_exporter_queue_size", "Current size of the retry queue (in batches).",
                "exporter", "data_type").labels(exporter, signal.id());
        if (queue.enabled()) {
            registry.gauge("otelcol_exporter_queue_capacity", "Fixed capacity of the retry queue (in batches).",
                    "exporter", "data_type").labels(exporter, signal.id()).set(queue.queueSize());
        }
    }

    public void start() {
        if (pending == null) {
            return;
        }
        for (int i = 0; i < queue.numConsumers(); i++) {
            Thread t = new Thread(this::drain, "exporter-" + exporter + "-" + signal.id() + "-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    @Override
    public void consume(T batch) throws ConsumeException {
        if (stopping) {
            throw ConsumeException.retryable("exporter " + exporter + " is shutting down", Duration.ofSeconds(1));
        }
        if (pending == null) {
            sendWithRetry(batch);
            return;
        }
        // The queue holds a few extra slots for the poison pills of a stop; count only batches.
        if (queueSize.get() >= queue.queueSize() || !pending.offer(batch)) {
            obs.enqueueFailed(batch.itemCount());
            throw ConsumeException.retryable("sending queue of exporter " + exporter + " is full ("
                    + queue.queueSize() + " batches)", Duration.ofSeconds(1));
        }
        queueSize.inc();
    }

    private void drain() {
        while (true) {
            Object item;
            try {
                item = pending.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == POISON) {
                return;
            }
            queueSize.dec();
            @SuppressWarnings("unchecked")
            T batch = (T) item;
            try {
                sendWithRetry(batch);
            } catch (ConsumeException e) {
                // Already counted and logged by sendWithRetry: the batch is gone.
            }
        }
    }

    /** Sends with retries; on giving up counts the items as failed and rethrows. */
    private void sendWithRetry(T batch) throws ConsumeException {
        long start = System.nanoTime();
        Duration interval = retry.initialInterval();
        while (true) {
            try {
                sender.send(batch);
                obs.sent(batch.itemCount());
                return;
            } catch (ConsumeException e) {
                if (e.isPartial()) {
                    // The destination took the rest: count both parts, and do not resend the batch.
                    long rejected = Math.min(e.rejected(), batch.itemCount());
                    obs.sent(batch.itemCount() - rejected);
                    obs.failed(rejected);
                    String cause = e.getMessage() == null ? e.toString() : e.getMessage();
                    if (loggedCauses.add("partial" + cause)) {
                        log.warn("exporter {} could not send {} of {} {}: {}", exporter, rejected, batch.itemCount(),
                                signal.itemName(), cause);
                    }
                    throw e;
                }
                if (e.permanent() || !retry.enabled()) {
                    fail(batch, e, e.permanent() ? "permanent error" : "retries disabled");
                    throw e;
                }
                Duration wait = e.retryAfter() != null ? e.retryAfter() : jitter(interval);
                long elapsed = System.nanoTime() - start;
                boolean timeUp = !retry.maxElapsedTime().isZero()
                        && elapsed + wait.toNanos() > retry.maxElapsedTime().toNanos();
                if (timeUp || System.nanoTime() + wait.toNanos() > stopDeadline) {
                    fail(batch, e, timeUp ? "no more retries left (max_elapsed_time " + retry.maxElapsedTime() + ")"
                            : "shutting down");
                    throw e;
                }
                log.debug("exporter {} failed to send {} {}, retrying in {}: {}", exporter, batch.itemCount(),
                        signal.itemName(), wait, e.getMessage());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    fail(batch, e, "interrupted");
                    throw e;
                }
                interval = next(interval);
            }
        }
    }

    private void fail(T batch, ConsumeException e, String why) {
        obs.failed(batch.itemCount());
        String cause = e.getMessage() == null ? e.toString() : e.getMessage();
        // Once per distinct cause at error level, so a dead endpoint does not flood the log.
        if (loggedCauses.add(why + cause)) {
            log.error("exporter {} dropped {} {} ({}): {}", exporter, batch.itemCount(), signal.itemName(), why, cause);
        } else {
            log.debug("exporter {} dropped {} {} ({}): {}", exporter, batch.itemCount(), signal.itemName(), why, cause);
        }
    }

    private Duration jitter(Duration d) {
        double f = retry.randomizationFactor();
        double r = 1 - f + 2 * f * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (d.toNanos() * r));
    }

    private Duration next(Duration d) {
        Duration n = Duration.ofNanos((long) (d.toNanos() * retry.multiplier()));
        return n.compareTo(retry.maxInterval()) > 0 ? retry.maxInterval() : n;
    }

    /**
     * Stops taking new batches and lets the senders empty the queue until {@code budget} is
     * spent; whatever is still queued then is counted as failed and logged.
     */
    public void stop(Duration budget) throws InterruptedException {
        stopping = true;
        stopDeadline = System.nanoTime() + budget.toNanos();
        if (pending == null) {
            return;
        }
        for (int i = 0; i < workers.size(); i++) {
            pending.put(POISON);
        }
        for (Thread t : workers) {
            long left = stopDeadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        long lost = 0;
        for (Object o : pending) {
            if (o != POISON) {
                lost += ((Telemetry) o).itemCount();
            }
        }
        pending.clear();
        for (Thread t : workers) {
            t.interrupt();
        }
        if (lost > 0) {
            obs.failed(lost);
            log.error("exporter {} stopped with {} {} still queued; they were not sent", exporter, lost,
                    signal.itemName());
        }
    }
}
