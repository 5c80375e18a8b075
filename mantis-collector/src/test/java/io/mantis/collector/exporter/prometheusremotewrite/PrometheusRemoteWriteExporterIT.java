package io.mantis.collector.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mantis.collector.TestCollector;
import io.mantis.testkit.PeerProcess;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK → Mantis collector (otlp receiver, batch, prometheusremotewrite)
 * → a real Prometheus 2.42 and a real VictoriaMetrics on loopback (Debian packages
 * {@code prometheus}, {@code victoria-metrics}): the translated series are queryable there with
 * the names and labels the OpenTelemetry specification gives them.
 */
class PrometheusRemoteWriteExporterIT {
    @TempDir
    Path dir;

    private static void sendMetrics(int httpPort) {
        Resource resource = Resource.create(Attributes.builder()
                .put("service.name", "checkout").put("service.namespace", "shop")
                .put("service.instance.id", "i-1").put("service.version", "1.2.3").build());
        PeriodicMetricReader reader = PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/metrics").build())
                .setInterval(Duration.ofHours(1)).build();
        SdkMeterProvider mp = SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader).build();
        Meter meter = mp.get("io.mantis.it");
        meter.counterBuilder("shop.orders").setUnit("{order}").build()
                .add(8, Attributes.of(AttributeKey.stringKey("payment.method"), "card"));
        var latency = meter.histogramBuilder("http.server.request.duration").setUnit("s").build();
        latency.record(0.2);
        latency.record(0.7);
        latency.record(3);
        meter.gaugeBuilder("queue.depth").build().set(7);
        assertThat(mp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        mp.shutdown().join(10, TimeUnit.SECONDS);
    }

    private void runAgainst(PeerProcess peer) throws Exception {
        try (TestCollector c = new TestCollector("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                processors:
                  batch:
                    timeout: 20ms
                exporters:
                  prometheusremotewrite:
                    endpoint: %s/api/v1/write
                service:
                  pipelines:
                    metrics: {receivers: [otlp], processors: [batch], exporters: [prometheusremotewrite]}
                """.formatted(peer.baseUrl()), dir.resolve("collector-" + peer.name()))) {
            sendMetrics(c.port("otlp/http"));

            String orders = awaitResult(peer, "shop_orders_total");
            assertThat(orders).contains("\"job\":\"shop/checkout\"").contains("\"instance\":\"i-1\"")
                    .contains("\"payment_method\":\"card\"").contains("\"8\"");
            assertThat(awaitResult(peer, "http_server_request_duration_seconds_count"))
                    .contains("\"3\"");
            assertThat(awaitResult(peer, "http_server_request_duration_seconds_bucket{le=\"+Inf\"}"))
                    .contains("\"3\"");
            assertThat(awaitResult(peer, "queue_depth")).contains("\"7\"");
            assertThat(awaitResult(peer, "target_info")).contains("\"service_version\":\"1.2.3\"")
                    .contains("\"job\":\"shop/checkout\"");
            assertThat(c.metric("otelcol_exporter_sent_metric_points_total{exporter=\"prometheusremotewrite\"}"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(c.metric("otelcol_exporter_send_failed_metric_points_total{exporter=\"prometheusremotewrite\"}"))
                    .isZero();
        }
    }

    /** Polls an instant query until it has a result; returns the JSON body. */
    private static String awaitResult(PeerProcess peer, String query) throws Exception {
        String url = "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body;
        do {
            if (peer.name().startsWith("victoria")) {
                peer.get("/internal/force_flush");
            }
            body = peer.get(url);
            if (!body.contains("\"result\":[]")) {
                return body;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(query + " has no result on " + peer.name() + ": " + body + "\n" + peer.logTail());
    }

    @Test
    void seriesAreQueryableInPrometheus() throws Exception {
        Path bin = PeerProcess.binary("prometheus");
        assumeTrue(Files.isExecutable(bin), "Prometheus is not installed (Debian package 'prometheus')");
        try (PeerProcess prometheus = PeerProcess.prometheus(bin, dir.resolve("prometheus"))) {
            runAgainst(prometheus);
        }
    }

    @Test
    void seriesAreQueryableInVictoriaMetrics() throws Exception {
        Path bin = PeerProcess.binary("victoria-metrics");
        assumeTrue(Files.isExecutable(bin), "VictoriaMetrics is not installed (Debian package 'victoria-metrics')");
        try (PeerProcess vm = PeerProcess.victoriaMetrics(bin, dir.resolve("victoria-metrics"))) {
            runAgainst(vm);
        }
    }
}
