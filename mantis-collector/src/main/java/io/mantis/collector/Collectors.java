package io.mantis.collector;

import io.mantis.collector.component.Factories;
import io.mantis.collector.exporter.debug.DebugExporterFactory;
import io.mantis.collector.exporter.loki.LokiExporterFactory;
import io.mantis.collector.exporter.otlp.OtlpExporterFactory;
import io.mantis.collector.exporter.otlphttp.OtlpHttpExporterFactory;
import io.mantis.collector.exporter.prometheus.PrometheusExporterFactory;
import io.mantis.collector.exporter.prometheusremotewrite.PrometheusRemoteWriteExporterFactory;
import io.mantis.collector.processor.attributes.AttributesProcessorFactory;
import io.mantis.collector.processor.batch.BatchProcessorFactory;
import io.mantis.collector.processor.filter.FilterProcessorFactory;
import io.mantis.collector.processor.memorylimiter.MemoryLimiterProcessorFactory;
import io.mantis.collector.processor.resource.ResourceProcessorFactory;
import io.mantis.collector.processor.resourcedetection.ResourceDetectionProcessorFactory;
import io.mantis.collector.receiver.otlp.OtlpReceiverFactory;
import io.mantis.collector.receiver.prometheus.PrometheusReceiverFactory;
import java.util.List;

/** The component types built into this version of the collector. */
public final class Collectors {
    private Collectors() {
    }

    public static Factories builtIn() {
        return new Factories(List.of(
                new OtlpReceiverFactory(),
                new PrometheusReceiverFactory(),
                new BatchProcessorFactory(),
                new MemoryLimiterProcessorFactory(),
                new AttributesProcessorFactory(),
                new ResourceProcessorFactory(),
                new FilterProcessorFactory(),
                new ResourceDetectionProcessorFactory(),
                new DebugExporterFactory(),
                new io.mantis.collector.exporter.mantis.MantisExporterFactory(),
                new OtlpExporterFactory(),
                new OtlpHttpExporterFactory(),
                new LokiExporterFactory(),
                new PrometheusRemoteWriteExporterFactory(),
                new PrometheusExporterFactory()));
    }
}
