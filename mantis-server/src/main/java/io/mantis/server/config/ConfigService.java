package io.mantis.server.config;

import io.mantis.collector.Collectors;
import io.mantis.collector.service.CollectorConfig;
import io.mantis.collector.service.CollectorPlan;
import io.mantis.collector.service.TelemetryConfig;
import io.mantis.collector.service.CollectorService;
import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigException;
import io.mantis.common.config.ConfigLoader;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import io.mantis.common.config.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the built-in configuration, lays the user's file over it, binds and checks everything,
 * and reports all problems at once, so the process never starts half-configured.
 */
public final class ConfigService {
    public static final String BUILT_IN = "<built-in>";
    private static final String DEFAULT_RESOURCE = "/io/mantis/server/default-config.yaml";

    /** The standard ports, from the architecture's port table. */
    public static final int OTLP_GRPC_PORT = 4317;
    public static final int OTLP_HTTP_PORT = 4318;
    public static final int SELF_METRICS_PORT = 8888;
    public static final int HEALTH_PORT = 8889;
    public static final int METRICS_PORT = 9090;
    public static final int LOGS_PORT = 3100;
    public static final int TRACES_PORT = 3200;
    public static final int UI_PORT = 3000;
    public static final int DEMO_PORT = 5000;

    private static final Pattern COMPONENT_ID = Pattern.compile("[a-zA-Z][0-9a-zA-Z_]*(/[^/\\s]+)?");
    /** Extension types this version builds. */
    private static final List<String> EXTENSION_TYPES = List.of("health_check");

    private ConfigService() {
    }

    /** The built-in configuration as YAML text (what {@code mantis default-config} prints). */
    public static String defaultConfigText() {
        try (InputStream in = ConfigService.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads and validates.
     *
     * @param file the user's file, or null for the built-in configuration alone
     * @param dataDirOverride {@code --data-dir}, or null
     * @throws ConfigException listing every problem found
     */
    public static LoadedConfig load(Path file, Map<String, String> env, Path dataDirOverride) {
        return load(file, env, dataDirOverride, null);
    }

    /**
     * Loads and validates, with settings that command-line flags imply (e.g. {@code --demo})
     * merged last, key by key, and checked like the rest.
     *
     * @param flags a YAML mapping (its source names the flags in messages), or null
     */
    public static LoadedConfig load(Path file, Map<String, String> env, Path dataDirOverride, ConfigNode flags) {
        ConfigNode root = ConfigLoader.parse(defaultConfigText(), BUILT_IN, env);
        String source = BUILT_IN;
        if (file != null) {
            ConfigNode user = ConfigLoader.load(file, env);
            root = overlay(root, user);
            source = file.toString();
        }
        if (flags != null) {
            root = ConfigLoader.merge(root, flags);
        }
        return validate(source, root, dataDirOverride);
    }

    /**
     * The user's sections merge key by key into the built-in ones, except {@code collector:},
     * which replaces the built-in one whole: a pasted collector config means exactly what it says.
     */
    static ConfigNode overlay(ConfigNode base, ConfigNode user) {
        if (user.isMapping() && user.get("collector") != null) {
            base = base.withoutKey("collector");
        }
        return ConfigLoader.merge(base, user);
    }

    static LoadedConfig validate(String source, ConfigNode root, Path dataDirOverride) {
        ConfigProblems problems = new ConfigProblems();
        MantisConfig cfg = ConfigBinder.bind(root, MantisConfig.class, MantisConfig.DEFAULTS, problems);
        if (cfg == null) {
            problems.throwIfAny();
        }
        String host = cfg.server().host();
        ConfigNode collectorNode = child(root, "collector");

        HealthCheckConfig health = null;
        Endpoint healthEndpoint = null;
        CollectorConfig col = cfg.collector();
        for (Map.Entry<String, ConfigNode> e : col.extensions().entrySet()) {
            ConfigNode at = keyNode(collectorNode, "extensions", e.getKey());
            String type = checkId(e.getKey(), "extension", at, problems);
            if (type == null) {
                continue;
            }
            if (!EXTENSION_TYPES.contains(type)) {
                problems.add(at, "unknown extension type '" + type + "' (available in this version: "
                        + String.join(", ", EXTENSION_TYPES) + ")");
                continue;
            }
            boolean enabled = col.service().extensions().contains(e.getKey());
            ConfigNode body = child(collectorNode, "extensions").getOrEmpty(e.getKey());
            HealthCheckConfig hc = ConfigBinder.bind(body, HealthCheckConfig.class, HealthCheckConfig.DEFAULTS,
                    problems);
            if (hc != null && enabled) {
                if (health != null) {
                    problems.add(at, "only one health_check extension can be enabled in service.extensions");
                }
                health = hc;
                healthEndpoint = resolve(hc.endpoint(), host, ConfigService.HEALTH_PORT);
            }
        }
        checkServiceExtensions(collectorNode, col, problems);
        CollectorPlan plan = CollectorService.plan(col, root.getOrEmpty("collector"), Collectors.builtIn(), problems);

        TelemetryConfig.Metrics tm = col.service().telemetry().metrics();
        Endpoint selfMetrics = tm.level() == TelemetryConfig.Level.NONE ? null
                : resolve(tm.endpoint(), host, SELF_METRICS_PORT);
        problems.throwIfAny();

        Path dataDir = dataDirOverride != null ? dataDirOverride : Path.of(cfg.server().dataDir());
        return new LoadedConfig(source, root, cfg, dataDir, plan, health, healthEndpoint, selfMetrics,
                resolve(cfg.metrics().endpoint(), host, METRICS_PORT),
                resolve(cfg.logs().endpoint(), host, LOGS_PORT),
                resolve(cfg.traces().endpoint(), host, TRACES_PORT),
                resolve(cfg.ui().endpoint(), host, UI_PORT),
                resolve(cfg.demo().endpoint(), host, DEMO_PORT));
    }

    /** An endpoint as configured, else server.host with the standard port. */
    static Endpoint resolve(Endpoint configured, String host, int standardPort) {
        return configured == null ? new Endpoint(host, standardPort) : configured;
    }

    private static void checkServiceExtensions(ConfigNode collector, CollectorConfig col, ConfigProblems problems) {
        ConfigNode extList = child(child(collector, "service"), "extensions");
        List<String> exts = col.service().extensions();
        for (int i = 0; i < exts.size(); i++) {
            if (!col.extensions().containsKey(exts.get(i))) {
                problems.add(element(extList, i), "service.extensions references '" + exts.get(i)
                        + "', which is not defined under extensions");
            }
        }
    }

    /** Returns the component type of a valid id, or null after reporting a bad one. */
    private static String checkId(String id, String kind, ConfigNode at, ConfigProblems problems) {
        if (!COMPONENT_ID.matcher(id).matches()) {
            problems.add(at, "'" + id + "' is not a valid " + kind + " id: expected 'type' or 'type/name'");
            return null;
        }
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    private static ConfigNode child(ConfigNode node, String key) {
        return node == null || !node.isMapping() ? null : node.get(key);
    }

    /** Where a component's id is written, for messages about the component as a whole. */
    private static ConfigNode keyNode(ConfigNode collector, String section, String key) {
        ConfigNode s = child(collector, section);
        ConfigNode k = s != null && s.isMapping() ? s.keyNode(key) : null;
        return k != null ? k : s != null ? s : collector;
    }

    private static ConfigNode element(ConfigNode list, int i) {
        return list != null && list.isSequence() && i < list.elements().size() ? list.elements().get(i) : list;
    }
}
