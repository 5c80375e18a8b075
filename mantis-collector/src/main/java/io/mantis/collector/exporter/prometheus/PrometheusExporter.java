package io.mantis.collector.exporter.prometheus;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.obs.ExporterObs;
import io.mantis.common.config.Endpoint;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.CounterFamily;
import io.mantis.common.metrics.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code prometheus} exporter: keeps the latest value of every series it receives and serves
 * them for scraping on its own port, at {@code /metrics}.
 */
final class PrometheusExporter implements Exporter, HasListeners {
    private static final Logger log = LoggerFactory.getLogger(PrometheusExporter.class);

    private final String id;
    private final String name;
    private final PrometheusExporterConfig config;
    private final Accumulator accumulator;
    private final ExpositionWriter writer;
    private final ExporterObs obs;
    private final CounterFamily dropped;
    private final HttpListener listener;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile long lastSweep = System.nanoTime();

    PrometheusExporter(ComponentSettings s, PrometheusExporterConfig config) {
        this.id = s.lifecycleId();
        this.name = s.id().toString();
        this.config = config;
        this.obs = new ExporterObs(s.registry(), Signal.METRICS, name);
        this.dropped = s.registry().counter("mantis_exporter_prometheus_dropped_metric_points",
                "Metric points the prometheus exporter cannot expose, by reason.", "exporter", "reason");
        this.accumulator = new Accumulator(config.metricExpiration(), System::nanoTime, (reason, metric, points) -> {
            dropped.labels(name, reason.label).inc(points);
            reportOnce("drop:" + reason + ":" + metric.getName(), "Exporter " + name + " drops " + metric.getName()
                    + ": " + switch (reason) {
                        case EXPONENTIAL_HISTOGRAM -> "exponential histograms have no text exposition";
                        case DELTA_NON_MONOTONIC_SUM -> "a delta sum that is not monotonic cannot be made cumulative";
                        case UNSPECIFIED_TEMPORALITY -> "the aggregation temporality is unspecified";
                    } + " (counted in mantis_exporter_prometheus_dropped_metric_points)");
        });
        this.writer = new ExpositionWriter(config, problem -> reportOnce(problem, "Exporter " + name + ": " + problem));
        Endpoint e = config.endpoint().withDefaultHost(s.defaultHost());
        this.listener = HttpListener.builder(id + "/http", e.host(), e.port())
                .purpose("Prometheus exporter (" + name + ")")
                .urlPath("/metrics")
                .routes(sb -> sb.service("/metrics", new ScrapeService()))
                .build();
    }

    /** Logs a problem once per distinct text, so a scrape every few seconds does not flood the log. */
    private void reportOnce(String key, String message) {
        if (reported.size() < 10_000 && reported.add(key)) {
            log.warn(message);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<HttpListener> listeners() {
        return List.of(listener);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Telemetry> TelemetryConsumer<T> consumer(Signal signal) {
        if (signal != Signal.METRICS) {
            throw new IllegalArgumentException(id + " exports metrics only, not " + signal.id());
        }
        return batch -> {
            Metrics m = (Metrics) batch;
            accumulator.accept(m.request());
            obs.sent(m.itemCount());
            long now = System.nanoTime();
            // Without scrapes nothing would expire; sweep now and then so churn cannot pile up.
            if (now - lastSweep > config.metricExpiration().toNanos() / 2) {
                lastSweep = now;
                accumulator.expire();
            }
        };
    }

    /** The exposition as a scrape would get it (for tests). */
    String render(boolean openMetrics) {
        return writer.write(accumulator.snapshot(), openMetrics);
    }

    @Override
    public void start() {
        listener.start();
    }

    @Override
    public void stop() throws InterruptedException {
        listener.stop();
    }

    @Override
    public boolean isReady() {
        return listener.isReady();
    }

    /** GET/HEAD {@code /metrics}, OpenMetrics when enabled and asked for, gzip when accepted. */
    private final class ScrapeService implements HttpService {
        @Override
        public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
            if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
                return HttpResponse.of(ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                        .set(HttpHeaderNames.ALLOW, "GET, HEAD").contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
                        HttpData.ofUtf8("405 Method Not Allowed\n"));
            }
            boolean om = config.enableOpenMetrics() && prefersOpenMetrics(req.headers().get(HttpHeaderNames.ACCEPT));
            boolean gzip = acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            boolean head = req.method() == HttpMethod.HEAD;
            return HttpResponse.of(() -> render(om, gzip, head), ctx.blockingTaskExecutor());
        }

        private HttpResponse render(boolean om, boolean gzip, boolean head) {
            byte[] body = PrometheusExporter.this.render(om).getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, body.length / 4));
                try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
                    z.write(body);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e); // in memory: cannot happen
                }
                body = out.toByteArray();
            }
            ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.OK)
                    .set(HttpHeaderNames.CONTENT_TYPE, om ? TextFormat.CONTENT_TYPE_OPENMETRICS
                            : TextFormat.CONTENT_TYPE_004)
                    .set(HttpHeaderNames.VARY, "Accept, Accept-Encoding")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (gzip) {
                h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            }
            return head ? HttpResponse.of(h.build()) : HttpResponse.of(h.build(), HttpData.wrap(body));
        }
    }

    /**
     * Whether {@code accept} ranks OpenMetrics at least as high as the 0.0.4 text format (by the
     * most specific of text/plain, text/*, *&#47;* that it lists); a missing header means 0.0.4.
     */
    static boolean prefersOpenMetrics(String accept) {
        if (accept == null || accept.isEmpty()) {
            return false;
        }
        double om = 0;
        double text = 0;
        int specificity = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = q(parts);
            if (type.equals("application/openmetrics-text")) {
                om = Math.max(om, q);
            } else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*")) {
                int s = type.equals("text/plain") ? 2 : type.equals("text/*") ? 1 : 0;
                if (s > specificity) {
                    specificity = s;
                    text = q;
                } else if (s == specificity) {
                    text = Math.max(text, q);
                }
            }
        }
        return om > 0 && om >= text;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if ((name.equals("gzip") || name.equals("x-gzip")) && q(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double q(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
