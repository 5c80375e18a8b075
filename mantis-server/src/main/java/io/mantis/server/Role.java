package io.mantis.server;

import java.util.Arrays;
import java.util.List;

/** The boxes of the architecture, each runnable alone or all together in one JVM. */
public enum Role {
    COLLECTOR("collector", "OpenTelemetry Collector: OTLP receivers, processors, exporters", true),
    METRICS("metrics", "metrics store with PromQL and the Prometheus HTTP API", true),
    LOGS("logs", "log store with LogQL and the Loki HTTP API", false),
    TRACES("traces", "trace store with TraceQL and the Tempo HTTP API", false),
    UI("ui", "web UI: Explore, dashboards, alerting", false),
    DEMO("demo", "demo app emitting metrics, logs and traces", true);

    private final String cliName;
    private final String description;
    private final boolean built;

    Role(String cliName, String description, boolean built) {
        this.cliName = cliName;
        this.description = description;
        this.built = built;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** False while the role's engine is not part of this version; `mantis ROLE` then says so. */
    public boolean built() {
        return built;
    }

    public static List<Role> builtRoles() {
        return Arrays.stream(values()).filter(Role::built).toList();
    }
}
