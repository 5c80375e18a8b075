package io.mantis.collector.processor.resource;

import static io.mantis.collector.Otlp.log;
import static io.mantis.collector.Otlp.logs;
import static io.mantis.collector.Otlp.map;
import static io.mantis.collector.Otlp.metrics;
import static io.mantis.collector.Otlp.resource;
import static io.mantis.collector.Otlp.scope;
import static io.mantis.collector.Otlp.span;
import static io.mantis.collector.Otlp.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.mantis.collector.CapturingExporterFactory;
import io.mantis.collector.ProcessorTests;
import io.mantis.collector.Signal;
import io.mantis.collector.TestCollector;
import io.mantis.collector.component.Processor;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceProcessorTest {
    @TempDir
    Path dir;

    private final ResourceProcessorFactory factory = new ResourceProcessorFactory();

    private static final String ACTIONS = """
            attributes:
              - {key: deployment.environment, value: prod, action: upsert}
              - {key: cloud.zone, from_attribute: zone, action: insert}
              - {key: zone, action: delete}
              - {key: host.id, action: hash}
            """;

    private <T extends Telemetry> T run(String yaml, T batch) throws Exception {
        List<T> out = new ArrayList<>();
        Processor<T> p = ProcessorTests.create(factory, yaml, batch.signal(), out);
        p.consume(batch);
        return out.getFirst();
    }

    @Test
    void actionsApplyToTheResourceOfEverySignal() throws Exception {
        Traces t = run(ACTIONS, traces(resource("service.name", "a", "zone", "eu-1", "host.id", "h"), scope("l", ""),
                span("s", "zone", "span-level")));
        ResourceSpans rs = t.request().getResourceSpans(0);
        assertThat(map(rs.getResource().getAttributesList())).containsExactly(entry("service.name", "a"),
                entry("host.id", "aaa9402664f1a41f40ebbc52c9993eb66aeb366602958fdfaa283b71e64db123"),
                entry("deployment.environment", "prod"), entry("cloud.zone", "eu-1"));
        // Item attributes are not resource attributes.
        assertThat(map(rs.getScopeSpans(0).getSpans(0).getAttributesList())).containsExactly(
                entry("zone", "span-level"));

        Logs l = run(ACTIONS, logs(resource("deployment.environment", "dev"), scope("l", ""), log("x")));
        assertThat(map(l.request().getResourceLogs(0).getResource().getAttributesList()))
                .containsExactly(entry("deployment.environment", "prod"));

        Metric gauge = Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1))).build();
        Metrics m = run(ACTIONS, metrics(resource(), scope("l", ""), gauge));
        assertThat(map(m.request().getResourceMetrics(0).getResource().getAttributesList()))
                .containsExactly(entry("deployment.environment", "prod"));
        assertThat(m.request().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0)).isSameAs(gauge);
        assertThat(m.itemCount()).isEqualTo(1);
    }

    @Test
    void onlyChangedResourcesAreRebuilt() throws Exception {
        ResourceSpans done = traces(resource("deployment.environment", "prod"), scope("l", ""), span("a"))
                .request().getResourceSpans(0);
        ResourceSpans todo = traces(resource("deployment.environment", "dev"), scope("l", ""), span("b"))
                .request().getResourceSpans(0);
        Traces in = Traces.of(ExportTraceServiceRequest.newBuilder().addResourceSpans(done).addResourceSpans(todo)
                .build());
        Traces out = run("""
                attributes:
                  - {key: deployment.environment, value: prod, action: update}
                """, in);
        assertThat(out.request().getResourceSpans(0)).isSameAs(done);
        assertThat(out.request().getResourceSpans(1).getScopeSpans(0)).isSameAs(todo.getScopeSpans(0));
        assertThat(map(out.request().getResourceSpans(1).getResource().getAttributesList()))
                .containsExactly(entry("deployment.environment", "prod"));

        Traces unchanged = Traces.of(ExportTraceServiceRequest.newBuilder().addResourceSpans(done).build());
        assertThat(run("""
                attributes:
                  - {key: deployment.environment, value: prod, action: update}
                """, unchanged)).isSameAs(unchanged);
    }

    @Test
    void theActionListIsRequiredAndNamedAttributes() {
        String missing = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resource:
                """, "logs", "resource"), dir);
        assertThat(missing).contains("processors.resource.attributes: is required: at least one action");
        String wrongKey = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resource:
                  actions:
                    - {key: a, value: b, action: insert}
                """, "logs", "resource"), dir);
        assertThat(wrongKey).contains("collector.yaml:8:5: processors.resource.actions: unknown key 'actions'"
                + " in 'processors.resource' (expected one of: attributes)");
        String fromContext = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resource:
                  attributes:
                    - {key: a, from_context: auth.tenant, action: insert}
                """, "logs", "resource"), dir);
        assertThat(fromContext).contains("collector.yaml:9:32: processors.resource.attributes[0].from_context:"
                + " is not supported");
    }

    @Test
    void otlpHttpLogsGetTheirResourceRewritten() throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        try (TestCollector c = new TestCollector(ProcessorTests.collectorYaml("""
                resource/env:
                  attributes:
                    - {key: deployment.environment, value: staging, action: insert}
                    - {key: k8s.pod.uid, action: delete}
                """, "logs", "resource/env"), dir, sink)) {
            Logs in = logs(resource("service.name", "api", "k8s.pod.uid", "123"), scope("l", ""), log("hello"));
            assertThat(ProcessorTests.post(c, "/v1/logs", in.request().toByteArray()).statusCode()).isEqualTo(200);
            sink.awaitItems(Signal.LOGS, 1);
            Logs got = (Logs) sink.received.getFirst();
            assertThat(map(got.request().getResourceLogs(0).getResource().getAttributesList()))
                    .containsExactly(entry("service.name", "api"), entry("deployment.environment", "staging"));
            assertThat(got.request().getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue())
                    .isEqualTo("hello");
        }
    }
}
