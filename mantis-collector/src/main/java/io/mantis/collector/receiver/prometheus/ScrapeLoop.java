package io.mantis.collector.receiver.prometheus;

import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.obs.ReceiverObs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target: fetches, parses, converts and pushes one scrape at a time. A failed scrape
 * still pushes {@code up = 0} and the staleness markers, and is logged only when the target's
 * state changes (up → down, or down → up), not on every failing scrape.
 */
final class ScrapeLoop {
    /** What Prometheus asks for, without the protobuf format. */
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static final Logger log = LoggerFactory.getLogger(ScrapeLoop.class);

    private final ScrapeTarget target;
    private final HttpClient client;
    private final ScrapeConverter converter;
    private final TelemetryConsumer<Metrics> next;
    private final ReceiverObs obs;
    private final String receiver;
    private final HttpRequest request;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread scrapeThread;
    private volatile boolean stopped;

    /** Null until the first scrape; then the last scrape's error, or "" when it succeeded. */
    private String lastError;
    private boolean refusing;

    ScrapeLoop(ScrapeTarget target, HttpClient client, TelemetryConsumer<Metrics> next, ReceiverObs obs,
               String receiver, String version) {
        this.target = target;
        this.client = client;
        this.next = next;
        this.obs = obs;
        this.receiver = receiver;
        this.converter = new ScrapeConverter(target, version);
        HttpRequest.Builder b = HttpRequest.newBuilder(target.url())
                .GET()
                .timeout(target.timeout())
                .header("Accept", ACCEPT)
                .header("User-Agent", "Mantis/" + (version == null || version.isEmpty() ? "dev" : version))
                .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(target.timeout().toMillis()));
        if (target.compression()) {
            b.header("Accept-Encoding", "gzip");
        }
        this.request = b.build();
    }

    ScrapeTarget target() {
        return target;
    }

    /**
     * Milliseconds until this target's first scrape: a fixed offset within the interval derived
     * from the target, so targets spread over the interval and a restart keeps the phase, as
     * Prometheus does.
     */
    long initialDelayMillis(long nowMillis) {
        long interval = target.interval().toMillis();
        long offset = Math.floorMod((target.job() + "\0" + target.url()).hashCode() * 0x9E3779B97F4A7C15L, interval);
        return Math.floorMod(offset - nowMillis, interval);
    }

    /** Called on every interval tick: starts a scrape unless the previous one is still running. */
    void tick() {
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("scrape " + target.job() + "/" + target.instance()).start(() -> {
            scrapeThread = Thread.currentThread();
            try {
                scrape();
            } catch (RuntimeException e) {
                log.warn("Scrape of {} failed unexpectedly", target, e);
            } finally {
                scrapeThread = null;
                running.set(false);
            }
        });
    }

    void stop() {
        stopped = true;
        Thread t = scrapeThread;
        if (t != null) {
            t.interrupt();
        }
    }

    boolean isRunning() {
        return running.get();
    }

    /** One scrape, synchronously; returns what was pushed (for tests). */
    List<ResourceMetrics> scrape() {
        long startMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String error = null;
        Exposition exposition = null;
        long bodyBytes = 0;
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = pending.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                error = "server returned HTTP status " + response.statusCode();
            } else {
                byte[] body = decode(response);
                bodyBytes = body.length;
                String contentType = response.headers().firstValue("Content-Type").orElse(null);
                ExpositionFormat format = ExpositionFormat.fromContentType(contentType);
                exposition = ExpositionParser.parse(body, format);
                if (target.sampleLimit() > 0 && exposition.samples().size() > target.sampleLimit()) {
                    error = "sample limit exceeded: " + exposition.samples().size() + " samples, sample_limit is "
                            + target.sampleLimit();
                    exposition = null;
                }
            }
        } catch (TimeoutException e) {
            pending.cancel(true);
            error = "scrape timed out after " + seconds(target.timeout().toMillis()) + "s";
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return List.of(); // the receiver is stopping
        } catch (ExecutionException e) {
            error = describe(e.getCause());
        } catch (ExpositionParseException e) {
            error = "cannot parse the response: " + e.getMessage();
        } catch (IOException e) {
            error = "cannot read the response: " + e.getMessage();
        }
        double duration = (System.nanoTime() - t0) / 1e9;
        if (stopped) {
            return List.of();
        }

        List<ResourceMetrics> out;
        if (error == null) {
            long bytes = bodyBytes;
            out = converter.convert(exposition, startMillis,
                    (samples, added) -> new ScrapeConverter.Report(true, duration, samples, added, bytes))
                    .resourceMetrics();
        } else {
            out = converter.failed(startMillis, new ScrapeConverter.Report(false, duration, 0, 0, bodyBytes));
        }
        logStateChange(error);
        push(out);
        return out;
    }

    private byte[] decode(HttpResponse<byte[]> response) throws IOException {
        String encoding = response.headers().firstValue("Content-Encoding").orElse("");
        if (encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
            return response.body();
        }
        if (!encoding.equalsIgnoreCase("gzip") && !encoding.equalsIgnoreCase("x-gzip")) {
            throw new IOException("unsupported Content-Encoding '" + encoding + "'");
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, response.body().length * 6));
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private void push(List<ResourceMetrics> out) {
        if (out.isEmpty()) {
            return;
        }
        Metrics batch = Metrics.of(out);
        try {
            next.consume(batch);
            obs.accepted(batch.itemCount());
            refusing = false;
        } catch (ConsumeException e) {
            obs.refused(batch.itemCount());
            if (!refusing) {
                log.warn("Receiver {}: the pipeline refused the scrape of {} ({} data points): {}", receiver, target,
                        batch.itemCount(), e.getMessage());
            }
            refusing = true;
        }
    }

    private void logStateChange(String error) {
        String now = error == null ? "" : error;
        boolean wasUp = lastError != null && lastError.isEmpty();
        boolean wasDown = lastError != null && !lastError.isEmpty();
        if (error != null && !wasDown) {
            log.warn("Receiver {}: scrape of {} failed: {} (up = 0; logged again only once the target recovers)",
                    receiver, target, error);
        } else if (error == null && wasDown) {
            log.info("Receiver {}: scrape of {} succeeds again", receiver, target);
        } else if (error == null && !wasUp) {
            log.debug("Receiver {}: first scrape of {} succeeded", receiver, target);
        }
        lastError = now;
    }

    private String describe(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return "scrape timed out after " + seconds(target.timeout().toMillis()) + "s";
        }
        if (cause instanceof ConnectException) {
            String m = cause.getMessage();
            return "cannot connect to " + target.address() + ": "
                    + (m == null || m.isEmpty() ? "connection refused" : m.toLowerCase(Locale.ROOT));
        }
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
