package io.mantis.demo.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.random.RandomGenerator;

/**
 * Drives the shop at a steady rate with a {@link RequestMix}, open-loop: requests leave on schedule
 * whether or not earlier ones have been answered, as independent users' requests do, up to a cap on
 * those in flight (beyond it a request is counted as skipped rather than queued without bound).
 */
public final class LoadGenerator implements AutoCloseable {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(5);

    private final URI target;
    private final double rate;
    private final Duration duration;
    private final RequestMix mix;
    private final RandomGenerator random;
    private final ProgressLine progress;
    private final int maxInFlight;

    private final ExecutorService callbacks;
    private final HttpClient http;
    private final ScheduledExecutorService clock;
    private final CompletableFuture<LoadStats> finished = new CompletableFuture<>();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLongArray byKind = new AtomicLongArray(RequestMix.Kind.values().length);
    private final AtomicInteger inFlight = new AtomicInteger();
    /** (nanoTime, sent) samples, one a second, for the current rate. */
    private final Deque<long[]> samples = new ArrayDeque<>();

    private volatile boolean stopping;
    private long startNanos;
    private long lastTick;
    private double credit;
    private ScheduledFuture<?> sender;
    private ScheduledFuture<?> reporter;
    private long lastPrinted;

    /**
     * @param target the shop's base URL, e.g. {@code http://127.0.0.1:5000}
     * @param rate requests per second
     * @param duration how long to run; zero or null means until {@link #close()}
     * @param progress where progress goes, or null for none
     */
    public LoadGenerator(URI target, double rate, Duration duration, RequestMix mix, RandomGenerator random,
                         ProgressLine progress) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        }
        this.target = target;
        this.rate = rate;
        this.duration = duration == null || duration.isZero() ? null : duration;
        this.mix = mix;
        this.random = random;
        this.progress = progress;
        // Enough for answers taking several seconds at this rate, bounded so a dead shop cannot
        // make the generator hold thousands of sockets.
        this.maxInFlight = (int) Math.max(16, Math.min(2000, rate * 5));
        this.callbacks = Executors.newFixedThreadPool(2, daemon("mantis-demo-load-http"));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(callbacks).build();
        this.clock = Executors.newSingleThreadScheduledExecutor(daemon("mantis-demo-load"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public synchronized void start() {
        if (sender != null) {
            throw new IllegalStateException("already started");
        }
        startNanos = System.nanoTime();
        lastTick = startNanos;
        samples.add(new long[] {startNanos, 0});
        sender = clock.scheduleAtFixedRate(this::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
        reporter = clock.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);
    }

    /** Completes with the final statistics once the duration is over (or after {@link #close()}). */
    public CompletableFuture<LoadStats> finished() {
        return finished;
    }

    private void tick() {
        // A periodic task that throws is silently never run again: keep the load alive and say why.
        try {
            tickOnce();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            org.slf4j.LoggerFactory.getLogger(LoadGenerator.class).warn("demo load: {}", e.toString());
        }
    }

    private void tickOnce() {
        long now = System.nanoTime();
        if (stopping) {
            return;
        }
        if (duration != null && now - startNanos >= duration.toNanos()) {
            stopping = true;
            // Off the clock thread: draining waits for answers.
            CompletableFuture.runAsync(this::drainAndFinish, callbacks);
            return;
        }
        // Credit accrues with time; a hiccup of the clock thread is made up, but never more than a
        // second's worth at once.
        credit = Math.min(credit + rate * (now - lastTick) / 1e9, Math.max(1, rate));
        lastTick = now;
        while (credit >= 1) {
            credit -= 1;
            fire(mix.next(random));
        }
    }

    private void fire(RequestMix.Planned p) {
        if (inFlight.get() >= maxInFlight) {
            skipped.incrementAndGet();
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(p.path()))
                .timeout(Duration.ofSeconds(10))
                .header("User-Agent", "mantis-demo-load");
        if (p.body() != null) {
            b.header("Content-Type", "application/json").method(p.method(), HttpRequest.BodyPublishers.ofString(p.body()));
        } else {
            b.method(p.method(), HttpRequest.BodyPublishers.noBody());
        }
        inFlight.incrementAndGet();
        sent.incrementAndGet();
        byKind.incrementAndGet(p.kind().ordinal());
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((res, error) -> {
            if (error != null) {
                failed.incrementAndGet();
            } else {
                answered.incrementAndGet();
                int s = res.statusCode();
                if (s >= 500) {
                    serverErrors.incrementAndGet();
                } else if (s >= 400) {
                    clientErrors.incrementAndGet();
                }
            }
            inFlight.decrementAndGet();
        });
    }

    private void report() {
        long now = System.nanoTime();
        synchronized (samples) {
            samples.addLast(new long[] {now, sent.get()});
            while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW.toNanos()) {
                samples.removeFirst();
            }
        }
        if (progress != null && !stopping && now - lastPrinted >= progress.interval().toNanos() - TICK_NANOS) {
            lastPrinted = now;
            progress.update(stats().line(false));
        }
    }

    /** A snapshot of the counters. */
    public LoadStats stats() {
        double current;
        synchronized (samples) {
            long[] first = samples.peekFirst();
            long[] last = samples.peekLast();
            current = first == null || last == null || last[0] == first[0] ? 0
                    : (last[1] - first[1]) * 1e9 / (last[0] - first[0]);
        }
        Map<RequestMix.Kind, Long> kinds = new EnumMap<>(RequestMix.Kind.class);
        for (RequestMix.Kind k : RequestMix.Kind.values()) {
            kinds.put(k, byKind.get(k.ordinal()));
        }
        long start = startNanos == 0 ? System.nanoTime() : startNanos;
        return new LoadStats(sent.get(), answered.get(), clientErrors.get(), serverErrors.get(), failed.get(),
                skipped.get(), Collections.unmodifiableMap(kinds), current,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Waits a little for requests still in flight, then reports the last state and finishes. */
    private void drainAndFinish() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        finish();
    }

    private synchronized void finish() {
        if (finished.isDone()) {
            return;
        }
        if (sender != null) {
            sender.cancel(false);
            reporter.cancel(false);
        }
        LoadStats last = stats();
        if (progress != null && sender != null) {
            progress.finish(last.line(true));
        }
        clock.shutdown();
        finished.complete(last);
    }

    /** Stops sending, waits briefly for answers in flight, and prints the final line. */
    @Override
    public void close() {
        stopping = true;
        if (!finished.isDone()) {
            drainAndFinish();
        }
        http.shutdownNow();
        callbacks.shutdown();
    }
}
