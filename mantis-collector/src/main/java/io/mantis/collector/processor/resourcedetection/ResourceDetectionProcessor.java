package io.mantis.collector.processor.resourcedetection;

import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.processor.shared.Resources;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects resource attributes once, at start, and merges them into the resource of every batch:
 * replacing attributes the data has when {@code override} is true, only adding missing ones
 * otherwise. A detector that fails or runs past the timeout is skipped with a warning, as in the
 * collector; the others still apply.
 */
final class ResourceDetectionProcessor<T extends Telemetry> implements Processor<T> {
    private static final Logger log = LoggerFactory.getLogger(ResourceDetectionProcessor.class);

    private final String id;
    private final List<Detector> detectors;
    private final boolean override;
    private final Duration timeout;
    private final TelemetryConsumer<T> next;
    private volatile List<KeyValue> detected = List.of();

    ResourceDetectionProcessor(String id, List<Detector> detectors, boolean override, Duration timeout,
                               TelemetryConsumer<T> next) {
        this.id = id;
        this.detectors = detectors;
        this.override = override;
        this.timeout = timeout;
        this.next = next;
    }

    @Override
    public void start() throws InterruptedException {
        detected = detect(detectors, timeout);
        log.info("{}: detected resource attributes {}", id, detected.stream()
                .map(kv -> kv.getKey() + "=" + io.mantis.collector.model.AnyValues.asString(kv.getValue())).toList());
    }

    /** Runs the detectors side by side within {@code timeout}; the first detector listed wins a key. */
    static List<KeyValue> detect(List<Detector> detectors, Duration timeout) throws InterruptedException {
        List<CompletableFuture<List<KeyValue>>> futures = new ArrayList<>();
        for (Detector d : detectors) {
            CompletableFuture<List<KeyValue>> f = new CompletableFuture<>();
            Thread.ofVirtual().name("resourcedetection-" + d.name()).start(() -> {
                try {
                    f.complete(d.detect());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            futures.add(f);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, KeyValue> merged = new LinkedHashMap<>();
        for (int i = 0; i < detectors.size(); i++) {
            Detector d = detectors.get(i);
            try {
                List<KeyValue> attrs = futures.get(i).get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                for (KeyValue kv : attrs) {
                    merged.putIfAbsent(kv.getKey(), kv);
                }
            } catch (TimeoutException e) {
                log.warn("resource detector {} did not finish within {}; its attributes are left out", d.name(),
                        timeout);
            } catch (ExecutionException e) {
                log.warn("resource detector {} failed; its attributes are left out: {}", d.name(),
                        e.getCause().getMessage());
            }
        }
        return List.copyOf(merged.values());
    }

    /** The batch with the detected attributes merged into every resource. */
    T process(T data) {
        List<KeyValue> attrs = detected;
        if (attrs.isEmpty()) {
            return data;
        }
        return Resources.rewrite(data, existing -> merge(existing, attrs, override));
    }

    static List<KeyValue> merge(List<KeyValue> existing, List<KeyValue> detected, boolean override) {
        List<KeyValue> out = null;
        for (KeyValue kv : detected) {
            List<KeyValue> current = out != null ? out : existing;
            int at = -1;
            for (int i = 0; i < current.size(); i++) {
                if (current.get(i).getKey().equals(kv.getKey())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                out = Resources.copyOnWrite(out, existing);
                out.add(kv);
            } else if (override && !current.get(at).getValue().equals(kv.getValue())) {
                out = Resources.copyOnWrite(out, existing);
                out.set(at, kv);
            }
        }
        return out != null ? out : existing;
    }

    /** Transforms in place and hands on: it waits only as long as the next stage does. */
    @Override
    public boolean mayBlock() {
        return next.mayBlock();
    }

    @Override
    public void consume(T data) throws ConsumeException {
        next.consume(process(data));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void stop() {
    }
}
