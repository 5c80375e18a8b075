package io.mantis.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * POSTs pre-encoded remote-write bodies to one server over HTTP/1.1 (what Prometheus and
 * VictoriaMetrics speak without TLS), either each at its due time (fixed rate) or as fast as the
 * server answers.
 *
 * <p>Like a Prometheus sender's shards, {@code shards} lanes each send one request at a time:
 * a body goes to lane {@code shard % shards}, so the requests of one series range are sent in
 * order (a server refuses a sample older than the newest of its series), while the lanes keep up to
 * {@code shards} requests in flight. Like Prometheus it retries 429, 5xx and connection failures
 * with back-off on the same lane, so every sample ends stored or counted as failed.
 */
final class RemoteWriteSender implements AutoCloseable {

    /**
     * One request body, the samples it carries and the series range it belongs to: bodies of one
     * {@code shard} are delivered in the order given.
     */
    record Body(byte[] bytes, int samples, int shard) {
    }

    /** What a {@link #send} call achieved. */
    record Result(long samples, long requests, long retries, long failed, String firstError, double seconds) {
        double samplesPerSecond() {
            return seconds == 0 ? 0 : samples / seconds;
        }
    }

    private static final int MAX_ATTEMPTS = 10;

    private final ClientFactory factory;
    private final WebClient client;
    private final String path;
    private final Semaphore[] lanes;
    private final long backoffMillis;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-write-retry");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    RemoteWriteSender(String url, int shards) {
        this(url, shards, 50);
    }

    /** @param backoffMillis first retry delay; it doubles per attempt up to 2 s */
    RemoteWriteSender(String url, int shards, long backoffMillis) {
        URI u = URI.create(url);
        this.factory = ClientFactory.builder().build();
        // h1c: plain HTTP/1.1 from the first byte, no HTTP/2 upgrade attempt.
        this.client = WebClient.builder("h1c://" + u.getRawAuthority()).factory(factory)
                .responseTimeout(Duration.ofMinutes(5)).maxResponseLength(1 << 20).build();
        this.path = u.getRawPath();
        this.backoffMillis = backoffMillis;
        this.lanes = new Semaphore[shards];
        for (int i = 0; i < shards; i++) {
            lanes[i] = new Semaphore(1);
        }
    }

    /**
     * Sends every body; when {@code spacingNanos > 0} body i is not sent before
     * {@code startNanos + i * spacingNanos}. Returns once every request is answered.
     */
    Result send(Iterator<Body> bodies, long startNanos, long spacingNanos) throws InterruptedException {
        long samples0 = acked.get();
        long requests0 = requests.get();
        long retried0 = retried.get();
        long failed0 = failed.get();
        long t0 = System.nanoTime();
        long i = 0;
        while (bodies.hasNext()) {
            Body b = bodies.next();
            if (spacingNanos > 0) {
                long due = startNanos + i * spacingNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            Semaphore lane = lanes[b.shard() % lanes.length];
            lane.acquire();
            post(b, 1, lane);
            i++;
        }
        for (Semaphore lane : lanes) {
            lane.acquire();
            lane.release();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(acked.get() - samples0, requests.get() - requests0, retried.get() - retried0,
                failed.get() - failed0, firstError.get(), seconds);
    }

    private void post(Body b, int attempt, Semaphore lane) {
        RequestHeaders h = RequestHeaders.builder(HttpMethod.POST, path)
                .set("content-type", RemoteWriteEncoder.CONTENT_TYPE)
                .set("content-encoding", RemoteWriteEncoder.CONTENT_ENCODING)
                .set(RemoteWriteEncoder.VERSION_HEADER, RemoteWriteEncoder.VERSION)
                .set("user-agent", "mantis-bench/remote-write-load")
                .build();
        requests.incrementAndGet();
        client.execute(HttpRequest.of(h, HttpData.wrap(b.bytes()))).aggregate()
                .handle((AggregatedHttpResponse res, Throwable err) -> {
                    int status = err == null ? res.status().code() : -1;
                    if (status >= 200 && status < 300) {
                        acked.addAndGet(b.samples());
                        lane.release();
                        return null;
                    }
                    String why = err != null ? err.toString() : status + " " + res.contentUtf8().strip();
                    boolean retryable = err != null || status == 429 || status >= 500;
                    if (retryable && attempt < MAX_ATTEMPTS) {
                        retried.incrementAndGet();
                        long backoff = Math.min(2000, backoffMillis << Math.min(attempt, 6));
                        retries.schedule(() -> post(b, attempt + 1, lane), backoff, TimeUnit.MILLISECONDS);
                        return null;
                    }
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, why.length() > 300 ? why.substring(0, 300) : why);
                    lane.release();
                    return null;
                });
    }

    @Override
    public void close() {
        retries.shutdownNow();
        factory.close();
    }
}
