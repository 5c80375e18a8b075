package io.mantis.server;

import io.mantis.demo.DemoConfig;
import io.mantis.demo.DemoService;
import io.mantis.server.config.LoadedConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the demo component. A class of its own so that the demo's classes, and through them the
 * OpenTelemetry SDK's, are loaded only when the demo runs.
 */
final class DemoWiring {
    private DemoWiring() {
    }

    /**
     * @param collector lifecycle ids of the collector's components in this process
     * @param finished completed when a load with a duration has run (the demo alone exits then), or
     *     null when the process runs until stopped
     */
    static void add(MantisServer server, LoadedConfig config, Set<String> collector, CompletableFuture<Void> finished) {
        DemoService demo = new DemoService(config.config().demo(), config.demoEndpoint(),
                DemoService.Options.defaults(Version.get())
                        .withLocalCollector(p -> server.localOtlpUrl(p == DemoConfig.Protocol.GRPC))
                        .withDependsOn(collector)
                        // The final flush must leave the rest of the stop budget to the collector.
                        .withFlushTimeout(min(Duration.ofSeconds(5),
                                Duration.ofMillis(config.config().server().shutdownTimeout().toMillis() / 3))));
        server.addWithListeners(demo, demo);
        if (finished != null) {
            demo.loadFinished().whenComplete((stats, error) -> finished.complete(null));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
