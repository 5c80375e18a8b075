package io.mantis.server;

import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.metrics.MetricsStoreService;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.server.config.LoadedConfig;
import java.io.IOException;
import java.time.Duration;

/** Builds the metrics role and the consumer through which the in-process collector writes to it. */
final class MetricsWiring {
    private MetricsWiring() {
    }

    static MetricsStoreService add(MantisServer server, LoadedConfig config) {
        MetricsStoreService store = new MetricsStoreService(config.config().metrics(), config.metricsEndpoint(),
                config.dataDir(), server.registry(), Version.get());
        server.addWithListeners(store, store);
        server.addComponent(store.listener());
        return store;
    }

    /**
     * The collector's {@code mantis} exporter writes metrics batches here: the OTLP request goes to
     * the store's ingest as it is. A busy store is a retryable failure with its retry hint, refused
     * points a partial one, so receivers answer their clients as OTLP says.
     */
    static TelemetryConsumer<Telemetry> consumer(MetricsStoreService store) {
        return batch -> {
            Metrics metrics = (Metrics) batch;
            Ingest ingest = store.ingest();
            if (ingest == null) {
                throw ConsumeException.retryable("the metrics store is not open yet", Duration.ofSeconds(1));
            }
            Ingest.OtlpResult result;
            try {
                result = ingest.otlp(metrics.request());
            } catch (Ingest.OverloadedException e) {
                throw ConsumeException.retryable(e.getMessage(), Duration.ofSeconds(e.retryAfterSeconds()));
            } catch (IOException e) {
                throw ConsumeException.retryable("metrics store: " + e.getMessage(), Duration.ofSeconds(1), e);
            }
            if (result.rejectedDataPoints() > 0) {
                throw ConsumeException.partial(result.rejectedDataPoints(), result.message());
            }
        };
    }
}
