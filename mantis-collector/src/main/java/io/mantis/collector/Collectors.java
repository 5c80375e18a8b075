package io.mantis.collector;

import io.mantis.collector.component.Factories;
import io.mantis.collector.exporter.debug.DebugExporterFactory;
import io.mantis.collector.exporter.otlp.OtlpExporterFactory;
import io.mantis.collector.exporter.otlphttp.OtlpHttpExporterFactory;
import io.mantis.collector.processor.batch.BatchProcessorFactory;
import io.mantis.collector.receiver.otlp.OtlpReceiverFactory;
import java.util.List;

/** The component types built into this version of the collector. */
public final class Collectors {
    private Collectors() {
    }

    public static Factories builtIn() {
        return new Factories(List.of(
                new OtlpReceiverFactory(),
                new BatchProcessorFactory(),
                new DebugExporterFactory(),
                new OtlpExporterFactory(),
                new OtlpHttpExporterFactory()));
    }
}
