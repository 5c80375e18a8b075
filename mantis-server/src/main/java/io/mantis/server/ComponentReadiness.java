package io.mantis.server;

import io.mantis.common.lifecycle.Lifecycle;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.MetricType;
import java.util.Map;

/** Exports {@code mantis_component_ready{component}}: 1 when ready, 0 when not, read at scrape time. */
final class ComponentReadiness {
    private static final String[] LABELS = {"component"};

    private ComponentReadiness() {
    }

    static void register(MetricRegistry registry, Lifecycle lifecycle) {
        registry.register(sink -> {
            sink.family("mantis_component_ready", MetricType.GAUGE,
                    "1 when the component is ready (as reported on /ready), else 0.");
            for (Map.Entry<String, Boolean> e : lifecycle.readiness().entrySet()) {
                sink.sample(LABELS, new String[] {e.getKey()}, e.getValue() ? 1 : 0);
            }
        });
    }
}
