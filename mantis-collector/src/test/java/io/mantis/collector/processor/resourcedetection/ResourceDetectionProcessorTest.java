package io.mantis.collector.processor.resourcedetection;

import static io.mantis.collector.Otlp.log;
import static io.mantis.collector.Otlp.logs;
import static io.mantis.collector.Otlp.map;
import static io.mantis.collector.Otlp.resource;
import static io.mantis.collector.Otlp.scope;
import static io.mantis.collector.Otlp.span;
import static io.mantis.collector.Otlp.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.mantis.collector.CapturingExporterFactory;
import io.mantis.collector.ProcessorTests;
import io.mantis.collector.Signal;
import io.mantis.collector.TestCollector;
import io.mantis.collector.component.Processor;
import io.mantis.collector.model.AnyValues;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceDetectionProcessorTest {
    @TempDir
    Path dir;

    /** A host whose answers the test chooses; a null name means that source fails. */
    private record FakeHost(String name, String fullName, String os, String arch) implements HostInfo {
        @Override
        public String osHostname() throws Exception {
            if (name == null) {
                throw new UnknownHostException("no hostname");
            }
            return name;
        }

        @Override
        public String fqdn() throws Exception {
            if (fullName == null) {
                throw new UnknownHostException("no fqdn");
            }
            return fullName;
        }

        @Override
        public String osName() {
            return os;
        }

        @Override
        public String osArch() {
            return arch;
        }
    }

    private static final FakeHost HOST = new FakeHost("web-1", "web-1.example.com", "Linux", "x86_64");

    private Map<String, Object> detected(Map<String, String> env, HostInfo host, String yaml, Object... existing)
            throws Exception {
        ResourceDetectionProcessorFactory factory = new ResourceDetectionProcessorFactory(env, host);
        List<Traces> out = new ArrayList<>();
        Processor<Traces> p = ProcessorTests.create(factory, yaml, Signal.TRACES, out);
        p.start();
        p.consume(traces(resource(existing), scope("l", ""), span("s")));
        p.stop();
        return map(out.getFirst().request().getResourceSpans(0).getResource().getAttributesList());
    }

    @Test
    void envReadsOtelResourceAttributesPercentDecoded() throws Exception {
        Map<String, String> env = Map.of("OTEL_RESOURCE_ATTRIBUTES",
                " service.namespace = shop , deployment.environment=prod%2Ceu,team=a%20b+c,note=caf%C3%A9");
        assertThat(detected(env, HOST, "detectors: [env]")).containsExactly(entry("service.namespace", "shop"),
                entry("deployment.environment", "prod,eu"), entry("team", "a b+c"), entry("note", "café"));
    }

    @Test
    void aMalformedVariableSkipsTheEnvDetectorOnly() throws Exception {
        assertThat(detected(Map.of("OTEL_RESOURCE_ATTRIBUTES", "a=1,oops"), HOST,
                "detectors: [env, system]")).containsExactly(entry("host.name", "web-1.example.com"),
                entry("os.type", "linux"));
        assertThatThrownBy(() -> EnvDetector.parse("a=%zz")).hasMessageContaining("invalid percent-encoding");
        assertThatThrownBy(() -> EnvDetector.parse("=x")).hasMessageContaining("empty key");
        assertThat(EnvDetector.parse("")).isEmpty();
    }

    @Test
    void systemSetsHostNameFromTheFirstSourceThatAnswersAndOsType() throws Exception {
        assertThat(detected(Map.of(), HOST, "detectors: [system]")).containsExactly(
                entry("host.name", "web-1.example.com"), entry("os.type", "linux"));
        assertThat(detected(Map.of(), new FakeHost("web-1", null, "Mac OS X", "aarch64"), "detectors: [system]"))
                .containsExactly(entry("host.name", "web-1"), entry("os.type", "darwin"));
        assertThat(detected(Map.of(), HOST, """
                detectors: [system]
                system:
                  hostname_sources: [os]
                """)).containsEntry("host.name", "web-1");
    }

    @Test
    void hostArchIsOffByDefaultAsInTheCollectorAndUsesSemanticConventionValues() throws Exception {
        String yaml = """
                detectors: [system]
                system:
                  resource_attributes:
                    host.arch: {enabled: true}
                    os.type: {enabled: false}
                """;
        assertThat(detected(Map.of(), HOST, yaml)).containsExactly(entry("host.name", "web-1.example.com"),
                entry("host.arch", "amd64"));
        assertThat(detected(Map.of(), new FakeHost("h", "h", "Windows 11", "aarch64"), yaml))
                .containsEntry("host.arch", "arm64");
        assertThat(SystemDetector.hostArch("i686")).isEqualTo("x86");
        assertThat(SystemDetector.hostArch("ppc64le")).isEqualTo("ppc64");
        assertThat(SystemDetector.hostArch("s390x")).isEqualTo("s390x");
        assertThat(SystemDetector.osType("Windows Server 2022")).isEqualTo("windows");
        assertThat(SystemDetector.osType("FreeBSD")).isEqualTo("freebsd");
        assertThat(SystemDetector.osType("SunOS")).isEqualTo("solaris");
    }

    @Test
    void processDescribesTheMantisJvm() throws Exception {
        Map<String, Object> a = detected(Map.of(), HOST, "detectors: [process]");
        assertThat(a).containsEntry("process.pid", ProcessHandle.current().pid())
                .containsEntry("process.runtime.name", System.getProperty("java.runtime.name"))
                .containsEntry("process.runtime.version", System.getProperty("java.runtime.version"))
                .containsKey("process.runtime.description");
        assertThat((String) a.get("process.executable.name")).startsWith("java");
    }

    @Test
    void theFirstDetectorListedWinsAndOverrideDecidesAboutExistingAttributes() throws Exception {
        Map<String, String> env = Map.of("OTEL_RESOURCE_ATTRIBUTES", "host.name=from-env,service.name=env-svc");
        assertThat(detected(env, HOST, "detectors: [env, system]", "service.name", "app", "host.name", "old"))
                .containsExactly(entry("service.name", "env-svc"), entry("host.name", "from-env"),
                        entry("os.type", "linux"));
        assertThat(detected(env, HOST, "detectors: [system, env]")).containsEntry("host.name", "web-1.example.com");
        assertThat(detected(env, HOST, """
                detectors: [env, system]
                override: false
                """, "service.name", "app", "host.name", "old")).containsExactly(entry("service.name", "app"),
                entry("host.name", "old"), entry("os.type", "linux"));
    }

    @Test
    void aDetectorPastTheTimeoutIsSkipped() throws Exception {
        Detector slow = new Detector() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public List<KeyValue> detect() throws Exception {
                Thread.sleep(5_000);
                return List.of(AnyValues.kv("slow", "yes"));
            }
        };
        Detector fast = new EnvDetector(Map.of("OTEL_RESOURCE_ATTRIBUTES", "fast=yes"));
        long start = System.nanoTime();
        List<KeyValue> got = ResourceDetectionProcessor.detect(List.of(slow, fast), Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(got).containsExactly(AnyValues.kv("fast", "yes"));
    }

    @Test
    void anUnchangedResourceIsKeptAsItIs() throws Exception {
        List<KeyValue> existing = io.mantis.collector.Otlp.attrs("a", "1");
        assertThat(ResourceDetectionProcessor.merge(existing, io.mantis.collector.Otlp.attrs("a", "2"), false))
                .isSameAs(existing);
        assertThat(ResourceDetectionProcessor.merge(existing, io.mantis.collector.Otlp.attrs("a", "1"), true))
                .isSameAs(existing);
    }

    @Test
    void unavailableDetectorsAndSettingsAreRejectedAtTheirKey() {
        String e = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resourcedetection:
                  detectors: [env, ec2]
                  timeout: 0s
                """, "traces", "resourcedetection"), dir);
        assertThat(e).contains("collector.yaml:8:16: processors.resourcedetection.detectors: detector 'ec2' is not"
                + " available in this version of Mantis (available: env, system, process)");
        String s = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resourcedetection:
                  detectors: [system]
                  system:
                    hostname_sources: [cname]
                """, "traces", "resourcedetection"), dir);
        assertThat(s).contains("processors.resourcedetection.system.hostname_sources: source 'cname' is not"
                + " supported in this version of Mantis (available: dns, os)");
        String a = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resourcedetection:
                  detectors: [system]
                  system:
                    resource_attributes:
                      host.cpu.family: {enabled: true}
                """, "traces", "resourcedetection"), dir);
        assertThat(a).contains("processors.resourcedetection.system.resource_attributes: 'host.cpu.family' is not"
                + " detected by the system detector");
        String t = ProcessorTests.configError(ProcessorTests.collectorYaml("""
                resourcedetection:
                  timeout: 0s
                """, "traces", "resourcedetection"), dir);
        assertThat(t).contains("processors.resourcedetection.timeout: must be greater than zero");
    }

    @Test
    void otlpHttpLogsGetTheDetectedResource() throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        ResourceDetectionProcessorFactory factory = new ResourceDetectionProcessorFactory(
                Map.of("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod"), HOST);
        try (TestCollector c = new TestCollector(ProcessorTests.collectorYaml("""
                resourcedetection:
                  detectors: [env, system]
                  override: false
                """, "logs", "resourcedetection"), dir, sink, factory)) {
            Logs in = logs(resource("service.name", "api", "host.name", "pod-7"), scope("l", ""), log("hi"));
            assertThat(ProcessorTests.post(c, "/v1/logs", in.request().toByteArray()).statusCode()).isEqualTo(200);
            sink.awaitItems(Signal.LOGS, 1);
            Logs got = (Logs) sink.received.getFirst();
            assertThat(map(got.request().getResourceLogs(0).getResource().getAttributesList())).containsExactly(
                    entry("service.name", "api"), entry("host.name", "pod-7"), entry("deployment.environment", "prod"),
                    entry("os.type", "linux"));
        }
    }
}
