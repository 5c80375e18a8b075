package io.mantis.collector;

import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.model.Telemetry;
import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigException;
import io.mantis.common.config.ConfigLoader;
import io.mantis.common.metrics.MetricRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Helpers shared by the processor tests: configs from YAML, processors feeding a list, config errors, OTLP/HTTP posts. */
public final class ProcessorTests {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ProcessorTests() {
    }

    /** The factory's config bound from a processor's YAML body, as the collector binds it. */
    public static <C extends Record> C bind(ProcessorFactory<C> factory, String yaml) {
        return ConfigBinder.bind(ConfigLoader.parse(yaml, "processor.yaml", Map.of()), factory.configType(),
                factory.defaultConfig());
    }

    public static ComponentSettings settings(String id, MetricRegistry registry) {
        return new ComponentSettings(ComponentId.parse(id), ComponentKind.PROCESSOR, "processor/" + id, registry,
                "127.0.0.1", Path.of("."), Duration.ofSeconds(5));
    }

    /** A processor of {@code factory} for {@code signal} whose output lands in {@code sink}. */
    @SuppressWarnings("unchecked")
    public static <C extends Record, T extends Telemetry> Processor<T> create(ProcessorFactory<C> factory, String yaml,
                                                                             Signal signal, List<T> sink)
            throws Exception {
        return factory.create(settings(factory.type(), new MetricRegistry()), bind(factory, yaml), signal,
                sink::add);
    }

    /**
     * The problems of a collector config that must not start; each is one line
     * {@code collector.yaml:line:column: path: message}.
     */
    public static String configError(String collectorYaml, Path dir) {
        try (TestCollector c = new TestCollector(collectorYaml, dir, new CapturingExporterFactory())) {
            throw new AssertionError("expected the config to be rejected:\n" + collectorYaml);
        } catch (ConfigException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("expected a ConfigException, got " + e, e);
        }
    }

    /** A collector config with an OTLP/HTTP receiver, the given processors section, and one pipeline. */
    public static String collectorYaml(String processors, String signal, String processorIds) {
        return """
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                processors:
                %s
                exporters:
                  capture:
                service:
                  pipelines:
                    %s: {receivers: [otlp], processors: [%s], exporters: [capture]}
                """.formatted(processors.indent(2).stripTrailing(), signal, processorIds);
    }

    /** POSTs an OTLP/HTTP protobuf request to the collector's receiver. */
    public static HttpResponse<byte[]> post(TestCollector c, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.port("otlp/http") + path))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
