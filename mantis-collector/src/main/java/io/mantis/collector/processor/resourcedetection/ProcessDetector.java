package io.mantis.collector.processor.resourcedetection;

import io.mantis.collector.model.AnyValues;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code process} detector, which the OpenTelemetry Collector does not have: it describes the
 * process it runs in, here the Mantis JVM, with {@code process.pid},
 * {@code process.executable.name}, {@code process.runtime.name}, {@code process.runtime.version}
 * and {@code process.runtime.description}. Those are facts about the collector, not about the
 * applications that sent the data; it is meant for Mantis' own telemetry pipelines.
 */
final class ProcessDetector implements Detector {
    @Override
    public String name() {
        return "process";
    }

    @Override
    public List<KeyValue> detect() {
        List<KeyValue> out = new ArrayList<>();
        ProcessHandle self = ProcessHandle.current();
        out.add(AnyValues.kv("process.pid", AnyValues.of(self.pid())));
        self.info().command().ifPresent(cmd -> {
            Path file = Path.of(cmd).getFileName();
            out.add(AnyValues.kv("process.executable.name", file != null ? file.toString() : cmd));
        });
        out.add(AnyValues.kv("process.runtime.name", System.getProperty("java.runtime.name", "")));
        out.add(AnyValues.kv("process.runtime.version", System.getProperty("java.runtime.version", "")));
        out.add(AnyValues.kv("process.runtime.description", System.getProperty("java.vm.vendor", "") + " "
                + System.getProperty("java.vm.name", "") + " " + System.getProperty("java.vm.version", "")));
        return out;
    }
}
