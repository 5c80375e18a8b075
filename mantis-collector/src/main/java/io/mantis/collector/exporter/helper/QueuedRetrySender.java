package io.mantis.collector.exporter.helper;

import com.google.protobuf.InvalidProtocolBufferException;
import io.mantis.collector.Signal;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.collector.obs.ExporterObs;
import io.mantis.common.metrics.Gauge;
import io.mantis.common.metrics.MetricRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 *
 * <p>With {@code storage} set the queue is a {@link PersistentQueue}: accepting a batch means it
 * is on disk, a batch leaves the queue only when it was sent or given up on, and a stop leaves
 * what is not sent in the files for the next start instead of dropping it.
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
    private final Path storageDir;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile PersistentQueue persistent;
    private volatile boolean stopping;
    private volatile long stopDeadline = Long.MAX_VALUE;

    public QueuedRetrySender(String exporter, Signal signal, Sender<T> sender, QueueSettings queue, RetrySettings retry,
                             MetricRegistry registry) {
        this(exporter, signal, sender, queue, retry, registry, null);
    }

    /**
     * @param storageDir the persistent queue's directory when {@code queue.storage} is set
     *     ({@link PersistentQueue#directoryFor}); null for an in-memory queue
     */
    public QueuedRetrySender(String exporter, Signal signal, Sender<T> sender, QueueSettings queue, RetrySettings retry,
                             MetricRegistry registry, Path storageDir) {
        if (queue.persistent() && storageDir == null) {
            throw new IllegalArgumentException("exporter " + exporter + " has a persistent sending queue but no"
                    + " data directory to keep it in");
        }
        this.exporter = exporter;
        this.signal = signal;
        this.sender = sender;
        this.queue = queue;
        this.retry = retry;
        this.obs = new ExporterObs(registry, signal, exporter);
        this.storageDir = queue.persistent() ? storageDir : null;
        this.pending = queue.enabled() && this.storageDir == null
                ? new ArrayBlockingQueue<>(queue.queueSize() + queue.numConsumers()) : null;
        this.queueSize = registry.gauge("otelcol_exporter_queue_size", "Current size of the retry queue (in batches).",
                "exporter", "data_type").labels(exporter, signal.id());
        if (queue.enabled()) {
            registry.gauge("otelcol_exporter_queue_capacity", "Fixed capacity of the retry queue (in batches).",
                    "exporter", "data_type").labels(exporter, signal.id()).set(queue.queueSize());
        }
    }

    /** Starts the sender threads; a persistent queue is opened (and recovered) first. */
    public void start() throws IOException {
        Runnable loop = this::drain;
        if (storageDir != null) {
            PersistentQueue q = PersistentQueue.open(storageDir, payloadKind(signal), queue.queueSize(),
                    PersistentQueue.Options.DEFAULTS);
            persistent = q;
            updateQueueSize(q);
            if (q.queued() > 0) {
                log.info("exporter {}: {} batches of {} recovered from the persistent queue in {}; sending them"
                        + " first", exporter, q.queued(), signal.id(), storageDir);
            }
            loop = this::drainPersistent;
        } else if (pending == null) {
            return;
        }
        for (int i = 0; i < queue.numConsumers(); i++) {
            Thread t = new Thread(loop, "exporter-" + exporter + "-" + signal.id() + "-" + i);
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
        if (storageDir != null) {
            PersistentQueue q = persistent;
            if (q == null) {
                throw ConsumeException.retryable("exporter " + exporter + " is not started", Duration.ofSeconds(1));
            }
            enqueuePersistent(q, batch);
            return;
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

    private void enqueuePersistent(PersistentQueue q, T batch) throws ConsumeException {
        long seq;
        try {
            seq = q.enqueue(encode(batch));
        } catch (IOException | RuntimeException e) {
            obs.enqueueFailed(batch.itemCount());
            String cause = "persistent sending queue of exporter " + exporter + " cannot store the batch: " + e;
            if (loggedCauses.add(cause)) {
                log.error("{}", cause);
            }
            throw ConsumeException.retryable(cause, Duration.ofSeconds(1), e);
        }
        if (seq < 0) {
            obs.enqueueFailed(batch.itemCount());
            throw ConsumeException.retryable("sending queue of exporter " + exporter + " is full ("
                    + queue.queueSize() + " batches)", Duration.ofSeconds(1));
        }
        updateQueueSize(q);
    }

    /** Reading and setting under one lock, so the last update always shows the latest size. */
    private synchronized void updateQueueSize(PersistentQueue q) {
        queueSize.set(q.queued());
    }

    private void drainPersistent() {
        PersistentQueue q = persistent;
        while (!stopping) {
            PersistentQueue.Entry entry;
            try {
                entry = q.take();
            } catch (InterruptedException e) {
                return;
            }
            if (entry == null) {
                return;
            }
            updateQueueSize(q);
            T batch;
            try {
                batch = decode(entry.payload());
            } catch (InvalidProtocolBufferException e) {
                log.error("exporter {} dropped batch {} of its persistent queue: it is not a valid {} request ({})",
                        exporter, entry.seq(), signal.id(), e.getMessage());
                q.ack(entry.seq());
                continue;
            }
            boolean done;
            try {
                done = sendWithRetry(batch);
            } catch (ConsumeException e) {
                done = true; // given up on: counted and logged, and gone from the queue
            }
            if (done) {
                q.ack(entry.seq());
            }
        }
    }

    static int payloadKind(Signal signal) {
        return switch (signal) {
            case TRACES -> PersistentQueue.KIND_TRACES;
            case METRICS -> PersistentQueue.KIND_METRICS;
            case LOGS -> PersistentQueue.KIND_LOGS;
        };
    }

    private static byte[] encode(Telemetry batch) {
        return switch (batch) {
            case Traces t -> t.request().toByteArray();
            case Metrics m -> m.request().toByteArray();
            case Logs l -> l.request().toByteArray();
        };
    }

    @SuppressWarnings("unchecked")
    private T decode(byte[] payload) throws InvalidProtocolBufferException {
        return (T) switch (signal) {
            case TRACES -> Traces.of(ExportTraceServiceRequest.parseFrom(payload));
            case METRICS -> Metrics.of(ExportMetricsServiceRequest.parseFrom(payload));
            case LOGS -> Logs.of(ExportLogsServiceRequest.parseFrom(payload));
        };
    }

    /**
     * Sends with retries; on giving up counts the items as failed and rethrows. Returns false,
     * without counting anything, when a stop cut the retries of a persistent queue's batch short:
     * the batch stays in the queue for the next start.
     */
    private boolean sendWithRetry(T batch) throws ConsumeException {
        long start = System.nanoTime();
        Duration interval = retry.initialInterval();
        while (true) {
            try {
                sender.send(batch);
                obs.sent(batch.itemCount());
                return true;
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
                if (storageDir != null && !timeUp) {
                    log.debug("exporter {} failed to send {} {}, retrying in {}: {}", exporter, batch.itemCount(),
                            signal.itemName(), wait, e.getMessage());
                    try {
                        if (stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                            return false;
                        }
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    interval = next(interval);
                    continue;
                }
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
        if (storageDir != null) {
            stopPersistent();
            return;
        }
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

    /**
     * A persistent queue keeps what is not sent: retry waits end at once, sends under way get
     * the budget to finish, and anything still queued or unfinished is sent after the next start
     * (a send cut short may then arrive twice, as at-least-once delivery allows).
     */
    private void stopPersistent() throws InterruptedException {
        stopSignal.countDown();
        PersistentQueue q = persistent;
        if (q == null) {
            return;
        }
        q.stopTaking();
        for (Thread t : workers) {
            long left = stopDeadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        int left = q.outstanding();
        try {
            q.close();
        } catch (IOException e) {
            log.warn("exporter {}: closing the persistent queue in {} failed: {}", exporter, storageDir, e.toString());
        }
        persistent = null;
        if (left > 0) {
            log.info("exporter {} stopped with {} batches of {} in its persistent queue; they are sent after the"
                    + " next start", exporter, left, signal.id());
        }
    }
}
