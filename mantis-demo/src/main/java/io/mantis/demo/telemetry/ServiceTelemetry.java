package io.mantis.demo.telemetry;

import io.mantis.demo.DemoConfig.Compression;
import io.mantis.demo.DemoConfig.Protocol;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One service's OpenTelemetry SDK: its own resource (so its own {@code service.name}), tracer,
 * meter and logger providers, each exporting over OTLP. The three demo services live in one JVM
 * but look to a backend like three processes.
 *
 * <p>Nothing here touches {@code GlobalOpenTelemetry}: Mantis itself must not be instrumented by
 * the demo's SDKs.
 */
public final class ServiceTelemetry {
    /** Metrics that the views give an exponential histogram rather than explicit buckets. */
    public static final List<String> EXPONENTIAL_HISTOGRAMS = List.of("demo.order.value");
    /** The instrumentation scope of the demo's hand-written instrumentation. */
    public static final String SCOPE = "io.mantis.demo";
    /** Spans and logs leave in small batches soon after they end, so a person sees them quickly. */
    private static final Duration BATCH_DELAY = Duration.ofSeconds(1);

    private final String serviceName;
    private final Resource resource;
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final Meter meter;

    private ServiceTelemetry(String serviceName, Resource resource, OpenTelemetrySdk sdk, String version) {
        this.serviceName = serviceName;
        this.resource = resource;
        this.sdk = sdk;
        this.tracer = sdk.getTracer(SCOPE, version);
        this.meter = sdk.getMeterProvider().meterBuilder(SCOPE).setInstrumentationVersion(version).build();
    }

    /**
     * Builds and starts the SDK of one service.
     *
     * @param version {@code service.version}
     * @param environment {@code deployment.environment.name}
     */
    public static ServiceTelemetry create(String serviceName, String version, String environment,
                                          ExportSettings export) {
        AttributesBuilder extra = Attributes.builder();
        export.resourceAttributes().forEach((k, v) -> extra.put(AttributeKey.stringKey(k), v));
        Resource resource = Resource.getDefault()
                .merge(Resource.create(extra.build()))
                .merge(Resource.create(Attributes.builder()
                        .put("service.name", serviceName)
                        .put("service.namespace", "mantis-demo")
                        .put("service.version", version)
                        .put("service.instance.id", UUID.randomUUID().toString())
                        .put("deployment.environment.name", environment)
                        .build()));

        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                .addSpanProcessor(BatchSpanProcessor.builder(spanExporter(export.traces()))
                        .setScheduleDelay(BATCH_DELAY).build())
                .build();
        SdkMeterProvider metering = SdkMeterProvider.builder()
                .setResource(resource)
                // Exemplars only for measurements taken inside a sampled span: every one of them links
                // a metric point to a trace that exists.
                .setExemplarFilter(ExemplarFilter.traceBased())
                .registerView(InstrumentSelector.builder().setName(EXPONENTIAL_HISTOGRAMS.get(0)).build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram(160, 20)).build())
                .registerMetricReader(PeriodicMetricReader.builder(metricExporter(export.metrics()))
                        .setInterval(export.metricInterval())
                        // Left unset, the export may take no longer than the interval, which a short
                        // interval and a busy collector make a stream of "timed out" warnings.
                        .setExporterTimeout(export.metrics().timeout())
                        .build())
                .build();
        SdkLoggerProvider logging = SdkLoggerProvider.builder()
                .setResource(resource)
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(logExporter(export.logs()))
                        .setScheduleDelay(BATCH_DELAY).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracing)
                .setMeterProvider(metering)
                .setLoggerProvider(logging)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        return new ServiceTelemetry(serviceName, resource, sdk, version);
    }

    private static String compression(ExportSettings.Signal s) {
        return s.compression() == Compression.GZIP ? "gzip" : "none";
    }

    private static SpanExporter spanExporter(ExportSettings.Signal s) {
        Map<String, String> headers = s.headers();
        if (s.protocol() == Protocol.GRPC) {
            return OtlpGrpcSpanExporter.builder().setEndpoint(s.endpoint()).setTimeout(s.timeout())
                    .setCompression(compression(s)).setHeaders(() -> headers)
                    .setComponentLoader(SenderComponentLoader.INSTANCE).build();
        }
        return OtlpHttpSpanExporter.builder().setEndpoint(s.endpoint()).setTimeout(s.timeout())
                .setCompression(compression(s)).setHeaders(() -> headers)
                .setComponentLoader(SenderComponentLoader.INSTANCE).build();
    }

    private static MetricExporter metricExporter(ExportSettings.Signal s) {
        Map<String, String> headers = s.headers();
        if (s.protocol() == Protocol.GRPC) {
            return OtlpGrpcMetricExporter.builder().setEndpoint(s.endpoint()).setTimeout(s.timeout())
                    .setCompression(compression(s)).setHeaders(() -> headers)
                    .setComponentLoader(SenderComponentLoader.INSTANCE).build();
        }
        return OtlpHttpMetricExporter.builder().setEndpoint(s.endpoint()).setTimeout(s.timeout())
                .setCompression(compression(s)).setHeaders(() -> headers)
                .setComponentLoader(SenderComponentLoader.INSTANCE).build();
    }

    private static LogRecordExporter logExporter(ExportSettings.Signal s) {
        Map<String, String> headers = s.headers();
        if (s.protocol() == Protocol.GRPC) {
            return OtlpGrpcLogRecordExporter.builder().setEndpoint(s.endpoint()).setTimeout(s.timeout())
                    .setCompression(compression(s)).setHeaders(() -> headers)
                    .setComponentLoader(SenderComponentLoader.INSTANCE).build();
        }
        return OtlpHttpLogRecordExporter.builder().setEndpoint(s.endpoint()).setTimeout(s.timeout())
                .setCompression(compression(s)).setHeaders(() -> headers)
                .setComponentLoader(SenderComponentLoader.INSTANCE).build();
    }

    public String serviceName() {
        return serviceName;
    }

    public Resource resource() {
        return resource;
    }

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    public Tracer tracer() {
        return tracer;
    }

    public Meter meter() {
        return meter;
    }

    public ContextPropagators propagators() {
        return sdk.getPropagators();
    }

    /** Exports what is buffered now; the result completes when the exporters have answered. */
    public CompletableResultCode flush() {
        return CompletableResultCode.ofAll(List.of(sdk.getSdkTracerProvider().forceFlush(),
                sdk.getSdkMeterProvider().forceFlush(), sdk.getSdkLoggerProvider().forceFlush()));
    }

    /** Flushes and closes the providers; waits at most {@code timeout}. True when all finished. */
    public boolean shutdown(Duration timeout) {
        return sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }
}
