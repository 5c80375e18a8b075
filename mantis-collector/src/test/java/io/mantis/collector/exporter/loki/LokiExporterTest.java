package io.mantis.collector.exporter.loki;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import io.mantis.collector.ComponentId;
import io.mantis.collector.ComponentKind;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.exporter.helper.QueueSettings;
import io.mantis.collector.exporter.helper.RetrySettings;
import io.mantis.collector.model.Logs;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.TextFormat;
import io.mantis.otlp.loki.LokiPushDecoder;
import io.mantis.otlp.loki.LokiStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loki exporter against a push endpoint on loopback that decodes what it gets (no Loki
 * package exists for these machines; the decoder's field numbers are pinned by its own tests).
 */
class LokiExporterTest {
    private static final byte[] TRACE = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");

    @TempDir
    Path dir;

    private final List<LokiStream> pushed = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile HttpStatus refuseWith = HttpStatus.TOO_MANY_REQUESTS;
    private final List<String> tenants = new CopyOnWriteArrayList<>();
    private Server loki;
    private final MetricRegistry registry = new MetricRegistry();

    @BeforeEach
    void startLoki() {
        loki = Server.builder().http(0).service("/loki/api/v1/push", (ctx, req) -> HttpResponse.of(
                req.aggregate().thenApply(agg -> {
                    if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return HttpResponse.of(ResponseHeaders.builder(refuseWith)
                                .add(HttpHeaderNames.RETRY_AFTER, "0").contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
                                com.linecorp.armeria.common.HttpData.ofUtf8("slow down"));
                    }
                    String tenant = agg.headers().get("X-Scope-OrgID");
                    tenants.add(tenant == null ? "" : tenant);
                    pushed.addAll(new LokiPushDecoder().decode(agg.content().array(),
                            agg.contentType() == null ? null : agg.contentType().toString(),
                            agg.headers().get(HttpHeaderNames.CONTENT_ENCODING)));
                    return HttpResponse.of(HttpStatus.NO_CONTENT);
                }))).build();
        loki.start().join();
    }

    @AfterEach
    void stop() {
        loki.stop().join();
    }

    private Exporter exporter(String encoding) throws Exception {
        LokiExporterConfig c = new LokiExporterConfig("http://127.0.0.1:" + loki.activeLocalPort()
                + "/loki/api/v1/push", encoding, null, "team-a", Map.of(), Duration.ofSeconds(5),
                LokiExporterConfig.Tls.DEFAULTS, new QueueSettings(false, 1, 10, null, false),
                new RetrySettings(true, Duration.ofMillis(10), 0, 1.5, Duration.ofMillis(50), Duration.ofSeconds(5)));
        Exporter e = new LokiExporterFactory().create(new ComponentSettings(ComponentId.parse("loki"),
                ComponentKind.EXPORTER, "exporter/loki", registry, "127.0.0.1", dir, Duration.ofSeconds(5)), c,
                Set.of(Signal.LOGS));
        e.start();
        return e;
    }

    private static Logs logs() {
        Resource res = Resource.newBuilder()
                .addAttributes(kv("service.name", "checkout"))
                .addAttributes(kv("deployment.environment.name", "prod"))
                .addAttributes(kv("host.name", "web-1")).build();
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < 3; i++) {
            scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L + i)
                    .setSeverityText("ERROR").setSeverityNumberValue(17)
                    .setBody(AnyValue.newBuilder().setStringValue("payment failed " + i))
                    .setTraceId(ByteString.copyFrom(TRACE))
                    .addAttributes(kv("order.id", "o-" + i)));
        }
        return Logs.of(ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().setResource(res).addScopeLogs(scope)).build());
    }

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private String scrape() throws Exception {
        StringBuilder sb = new StringBuilder();
        TextFormat.write004(registry, sb);
        return sb.toString();
    }

    @Test
    void pushesSnappyProtobufWithLokiOtlpLabelsAndStructuredMetadata() throws Exception {
        Exporter e = exporter("protobuf");
        TelemetryConsumer<Logs> c = e.consumer(Signal.LOGS);
        c.consume(logs());
        e.stop();

        assertThat(pushed).hasSize(1);
        LokiStream s = pushed.getFirst();
        assertThat(s.labels().toLabelString())
                .isEqualTo("{deployment_environment_name=\"prod\", service_name=\"checkout\"}");
        assertThat(s.entries()).hasSize(3);
        assertThat(s.entries().getFirst().line()).isEqualTo("payment failed 0");
        assertThat(s.entries().getFirst().structuredMetadata().toString())
                .contains("trace_id").contains("5b8efff798038103d269b633813fc60c")
                .contains("host_name").contains("order_id").contains("severity_text");
        assertThat(tenants).containsExactly("team-a");
        assertThat(scrape()).contains("otelcol_exporter_sent_log_records_total{exporter=\"loki\"} 3");
    }

    @Test
    void jsonEncodingCarriesTheSameStreams() throws Exception {
        Exporter e = exporter("json");
        e.consumer(Signal.LOGS).consume(logs());
        e.stop();
        assertThat(pushed).hasSize(1);
        assertThat(pushed.getFirst().labels().toLabelString()).contains("service_name=\"checkout\"");
        assertThat(pushed.getFirst().entries()).hasSize(3);
    }

    @Test
    void retriesOn429AndGivesUpOn400() throws Exception {
        refusals.set(2);
        Exporter e = exporter("protobuf");
        e.consumer(Signal.LOGS).consume(logs());
        assertThat(pushed).hasSize(1);

        refuseWith = HttpStatus.BAD_REQUEST;
        refusals.set(1);
        try {
            e.consumer(Signal.LOGS).consume(logs());
        } catch (io.mantis.collector.consumer.ConsumeException ex) {
            assertThat(ex.permanent()).isTrue();
            assertThat(ex.getMessage()).contains("400").contains("slow down");
        }
        e.stop();
        assertThat(pushed).hasSize(1);
        assertThat(scrape()).contains("otelcol_exporter_send_failed_log_records_total{exporter=\"loki\"} 3");
    }
}
