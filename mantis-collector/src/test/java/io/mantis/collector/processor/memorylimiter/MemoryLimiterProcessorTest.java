package io.mantis.collector.processor.memorylimiter;

import static io.mantis.collector.Otlp.span;
import static io.mantis.collector.Otlp.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.collector.CapturingExporterFactory;
import io.mantis.collector.ProcessorTests;
import io.mantis.collector.Signal;
import io.mantis.collector.TestCollector;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.model.Traces;
import io.mantis.common.metrics.MetricRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryLimiterProcessorTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path dir;

    /** The heap reading, GC and clock the limiter sees; a GC frees what {@link #afterGc} says. */
    private final AtomicLong heap = new AtomicLong();
    private final AtomicLong afterGc = new AtomicLong(-1);
    private final AtomicInteger gcs = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong();
    private final MemoryLimiterProcessorFactory factory = new MemoryLimiterProcessorFactory(heap::get,
            () -> 1000 * MIB, () -> {
                gcs.incrementAndGet();
                if (afterGc.get() >= 0) {
                    heap.set(afterGc.get());
                }
            }, clock::get);

    private MemoryLimiter limiter(String yaml) {
        MemoryLimiterConfig config = ProcessorTests.bind(factory, yaml);
        return factory.limiter(ProcessorTests.settings("memory_limiter", new MetricRegistry()), config);
    }

    @Test
    void limitsAreAbsoluteOrAShareOfTheMaxHeapWithA20PercentSpikeByDefault() {
        MemoryLimiter fixed = limiter("{check_interval: 1s, limit_mib: 100}");
        assertThat(fixed.hardLimit()).isEqualTo(100 * MIB);
        assertThat(fixed.softLimit()).isEqualTo(80 * MIB);
        MemoryLimiter spiky = limiter("{check_interval: 1s, limit_mib: 100, spike_limit_mib: 30}");
        assertThat(spiky.softLimit()).isEqualTo(70 * MIB);
        MemoryLimiter share = limiter("{check_interval: 1s, limit_percentage: 50}");
        assertThat(share.hardLimit()).isEqualTo(500 * MIB);
        assertThat(share.softLimit()).isEqualTo(400 * MIB);
        MemoryLimiter shareSpike = limiter("{check_interval: 1s, limit_percentage: 50, spike_limit_percentage: 10}");
        assertThat(shareSpike.softLimit()).isEqualTo(400 * MIB);
    }

    @Test
    void crossingTheSoftLimitForcesAGcAndRefusesOnlyIfItDidNotHelp() {
        MemoryLimiter l = limiter("{check_interval: 1s, limit_mib: 100}");
        heap.set(50 * MIB);
        l.check();
        assertThat(l.mustRefuse()).isFalse();
        assertThat(gcs).hasValue(0);

        heap.set(85 * MIB);
        afterGc.set(60 * MIB);
        l.check();
        assertThat(gcs).hasValue(1);
        assertThat(l.mustRefuse()).isFalse();

        // Crossing again within min_gc_interval_when_soft_limited (10s): no GC, refuse at once.
        heap.set(85 * MIB);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        l.check();
        assertThat(gcs).hasValue(1);
        assertThat(l.mustRefuse()).isTrue();

        heap.set(79 * MIB);
        l.check();
        assertThat(l.mustRefuse()).isFalse();
    }

    @Test
    void aboveTheHardLimitAGcIsForcedAtEveryCheckUnlessAnIntervalIsSet() {
        MemoryLimiter l = limiter("{check_interval: 1s, limit_mib: 100}");
        heap.set(120 * MIB);
        l.check();
        l.check();
        l.check();
        assertThat(gcs).hasValue(3);
        assertThat(l.mustRefuse()).isTrue();

        gcs.set(0);
        MemoryLimiter spaced = limiter("{check_interval: 1s, limit_mib: 100,"
                + " min_gc_interval_when_hard_limited: 30s, min_gc_interval_when_soft_limited: 30s}");
        spaced.check();
        spaced.check();
        assertThat(gcs).hasValue(1);
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        spaced.check();
        assertThat(gcs).hasValue(2);
        assertThat(spaced.mustRefuse()).isTrue();
    }

    @Test
    void refusalIsRetryableWithTheCheckIntervalAsHintAndCounted() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        ComponentSettings settings = ProcessorTests.settings("memory_limiter", registry);
        MemoryLimiterConfig config = ProcessorTests.bind(factory, "{check_interval: 5s, limit_mib: 100}");
        List<Traces> out = new ArrayList<>();
        Processor<Traces> p = factory.create(settings, config, Signal.TRACES, out::add);
        heap.set(10 * MIB);
        p.start();
        try {
            p.consume(traces(span("a"), span("b")));
            assertThat(out).hasSize(1);

            heap.set(95 * MIB);
            factory.limiter(settings, config).check();
            assertThatThrownBy(() -> p.consume(traces(span("c"))))
                    .isInstanceOfSatisfying(ConsumeException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
                        assertThat(e.getMessage()).isEqualTo("data refused due to high memory usage");
                    });
            assertThat(out).hasSize(1);
            StringBuilder scrape = new StringBuilder();
            io.mantis.common.metrics.TextFormat.write004(registry, scrape);
            assertThat(scrape.toString())
                    .contains("otelcol_processor_accepted_spans_total{processor=\"memory_limiter\"} 2")
                    .contains("otelcol_processor_refused_spans_total{processor=\"memory_limiter\"} 1");
        } finally {
            p.stop();
        }
    }

    @Test
    void pipelinesListingOneIdShareOneLimiter() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        MemoryLimiterConfig config = ProcessorTests.bind(factory, "{check_interval: 1s, limit_mib: 100}");
        ComponentSettings traces = ProcessorTests.settings("memory_limiter", registry);
        assertThat(factory.limiter(traces, config)).isSameAs(factory.limiter(traces, config));
        assertThat(factory.limiter(ProcessorTests.settings("memory_limiter/other", registry), config))
                .isNotSameAs(factory.limiter(traces, config));
        assertThat(factory.limiter(ProcessorTests.settings("memory_limiter", new MetricRegistry()), config))
                .isNotSameAs(factory.limiter(traces, config));
    }

    @Test
    void invalidConfigsNameTheKey() {
        assertThat(error("memory_limiter: {limit_mib: 100}"))
                .contains("processors.memory_limiter.check_interval: must be greater than zero");
        assertThat(error("memory_limiter: {check_interval: 0s, limit_mib: 100}"))
                .contains("collector.yaml:7:36: processors.memory_limiter.check_interval: must be greater than zero");
        assertThat(error("memory_limiter: {check_interval: 1s}"))
                .contains("processors.memory_limiter.limit_mib: 'limit_mib' or 'limit_percentage' must be greater");
        assertThat(error("memory_limiter: {check_interval: 1s, limit_mib: 100, spike_limit_mib: 100}"))
                .contains("processors.memory_limiter.spike_limit_mib: must be smaller than limit_mib (100), got 100");
        assertThat(error("memory_limiter: {check_interval: 1s, limit_percentage: 120}"))
                .contains("processors.memory_limiter.limit_percentage: must be at most 100, got 120");
        assertThat(error("memory_limiter: {check_interval: 1s, limit_percentage: 50, spike_limit_percentage: 60}"))
                .contains("processors.memory_limiter.spike_limit_percentage: must be smaller than limit_percentage");
        assertThat(error("memory_limiter: {check_interval: 1s, limit_mib: -1}"))
                .contains("processors.memory_limiter.limit_mib: must not be negative");
    }

    private String error(String processors) {
        return ProcessorTests.configError(ProcessorTests.collectorYaml(processors, "traces", "memory_limiter"), dir);
    }

    @Test
    void overTheLimitReceiversAnswer429WithRetryAfterAndAcceptAgainBelowIt() throws Exception {
        CapturingExporterFactory sink = new CapturingExporterFactory();
        heap.set(10 * MIB);
        try (TestCollector c = new TestCollector(ProcessorTests.collectorYaml("""
                memory_limiter:
                  check_interval: 20ms
                  limit_mib: 100
                  spike_limit_mib: 20
                """, "traces", "memory_limiter"), dir, sink, factory)) {
            byte[] body = traces(span("a")).request().toByteArray();
            assertThat(ProcessorTests.post(c, "/v1/traces", body).statusCode()).isEqualTo(200);

            heap.set(90 * MIB);
            HttpResponse<byte[]> refused = awaitStatus(c, body, 429);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(c.metric("otelcol_processor_refused_spans_total{processor=\"memory_limiter\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(c.metric("otelcol_receiver_refused_spans_total{receiver=\"otlp\",transport=\"http\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(gcs.get()).isGreaterThanOrEqualTo(1);

            // Refused requests never reached the exporter; the next accepted one does.
            int before = sink.items(Signal.TRACES);
            heap.set(50 * MIB);
            awaitStatus(c, body, 200);
            sink.awaitItems(Signal.TRACES, before + 1);
            assertThat(sink.items(Signal.TRACES)).isEqualTo(before + 1);
        }
    }

    private static HttpResponse<byte[]> awaitStatus(TestCollector c, byte[] body, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<byte[]> r = ProcessorTests.post(c, "/v1/traces", body);
            if (r.statusCode() == status || System.nanoTime() > deadline) {
                assertThat(r.statusCode()).isEqualTo(status);
                return r;
            }
            Thread.sleep(20);
        }
    }
}
