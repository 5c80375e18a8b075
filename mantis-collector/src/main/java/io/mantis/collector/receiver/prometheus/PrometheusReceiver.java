package io.mantis.collector.receiver.prometheus;

import io.mantis.collector.Signal;
import io.mantis.collector.component.CollectorComponent;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.obs.ReceiverObs;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code prometheus} receiver: scrapes static targets on their intervals and feeds the
 * metrics pipelines. One platform thread keeps the schedule; each scrape runs on a virtual
 * thread, so a slow target delays nobody else.
 */
final class PrometheusReceiver implements CollectorComponent {
    private final String id;
    private final String receiver;
    private final List<ScrapeTarget> targets;
    private final TelemetryConsumer<Metrics> next;
    private final ReceiverObs obs;
    private final List<ScrapeLoop> loops = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private HttpClient following;
    private HttpClient notFollowing;
    private volatile boolean started;

    PrometheusReceiver(ComponentSettings s, List<ScrapeTarget> targets, TelemetryConsumer<Metrics> next) {
        this.id = s.lifecycleId();
        this.receiver = s.id().toString();
        this.targets = List.copyOf(targets);
        this.next = next;
        this.obs = new ReceiverObs(s.registry(), Signal.METRICS, receiver, "http");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
        String version = PrometheusReceiver.class.getPackage().getImplementationVersion();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prometheus-scrape-scheduler " + receiver);
            t.setDaemon(true);
            return t;
        });
        long now = System.currentTimeMillis();
        for (ScrapeTarget t : targets) {
            ScrapeLoop loop = new ScrapeLoop(t, client(t.followRedirects()), next, obs, receiver, version);
            loops.add(loop);
            scheduler.scheduleAtFixedRate(loop::tick, loop.initialDelayMillis(now), t.interval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        started = true;
    }

    private HttpClient client(boolean followRedirects) {
        if (followRedirects) {
            if (following == null) {
                following = newClient(HttpClient.Redirect.NORMAL);
            }
            return following;
        }
        if (notFollowing == null) {
            notFollowing = newClient(HttpClient.Redirect.NEVER);
        }
        return notFollowing;
    }

    private HttpClient newClient(HttpClient.Redirect redirect) {
        Duration connect = targets.stream().map(ScrapeTarget::timeout).max(Duration::compareTo)
                .orElse(ScrapeConfigs.DEFAULT_TIMEOUT);
        // HTTP/1.1 as Prometheus scrapes; an h2c upgrade attempt confuses some exporters.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(redirect)
                .connectTimeout(connect).build();
    }

    @Override
    public void stop() throws InterruptedException {
        started = false;
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        loops.forEach(ScrapeLoop::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loops.stream().anyMatch(ScrapeLoop::isRunning) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        for (HttpClient c : new HttpClient[] {following, notFollowing}) {
            if (c != null) {
                c.shutdownNow();
            }
        }
    }

    @Override
    public boolean isReady() {
        return started;
    }
}
