package io.mantis.demo;

import io.mantis.common.config.ConfigKey;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Endpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code demo:} section: the shop-like test application and its load generator.
 *
 * <p>The OTLP keys mirror the OpenTelemetry SDK's environment variables, which override them when
 * set ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code _PROTOCOL}, {@code _HEADERS}, {@code _TIMEOUT},
 * {@code _COMPRESSION}, their per-signal forms, and {@code OTEL_METRIC_EXPORT_INTERVAL}).
 *
 * @param enabled whether {@code mantis all} starts the demo ({@code mantis demo} and
 *     {@code mantis all --demo} turn it on)
 * @param endpoint where the shop listens; when absent, {@code server.host}:5000
 * @param inventoryPort the inventory service's port on 127.0.0.1 (0: any free port)
 * @param paymentsPort the payments service's port on 127.0.0.1 (0: any free port)
 * @param environment the {@code deployment.environment.name} resource attribute
 * @param otlp where and how the three services export their telemetry
 * @param metricExportInterval how often metrics are exported
 * @param load the built-in load generator
 */
public record DemoConfig(boolean enabled, Endpoint endpoint, int inventoryPort, int paymentsPort, String environment,
                         Otlp otlp, Duration metricExportInterval, Load load) {
    public static final DemoConfig DEFAULTS = new DemoConfig(false, null, 5001, 5002, "demo", Otlp.DEFAULTS,
            Duration.ofSeconds(10), Load.DEFAULTS);

    public DemoConfig {
        checkPort("inventory_port", inventoryPort);
        checkPort("payments_port", paymentsPort);
        if (inventoryPort != 0 && inventoryPort == paymentsPort) {
            throw new ConfigValueException("payments_port", "must differ from inventory_port (" + inventoryPort + ")");
        }
        if (environment == null || environment.isBlank()) {
            throw new ConfigValueException("environment", "must name the deployment environment, e.g. demo");
        }
        if (metricExportInterval == null || metricExportInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new ConfigValueException("metric_export_interval", "must be at least 100ms");
        }
    }

    private static void checkPort(String key, int port) {
        if (port < 0 || port > 65535) {
            throw new ConfigValueException(key, "must be a port between 1 and 65535, or 0 for any free port");
        }
    }

    /** This configuration with the demo turned on and, when {@code rate} is given, that load. */
    public DemoConfig enabledWith(Load newLoad) {
        return new DemoConfig(true, endpoint, inventoryPort, paymentsPort, environment, otlp, metricExportInterval,
                newLoad == null ? load : newLoad);
    }

    /** OTLP export, one setting for all three signals. */
    public enum Protocol {
        @ConfigKey("grpc") GRPC("grpc"),
        @ConfigKey("http/protobuf") HTTP_PROTOBUF("http/protobuf");

        private final String key;

        Protocol(String key) {
            this.key = key;
        }

        /** The spelling in configuration and in {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
        public String key() {
            return key;
        }

        /** Parses the spelling the OpenTelemetry environment variables use. */
        public static Protocol fromKey(String text) {
            for (Protocol p : values()) {
                if (p.key.equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a supported OTLP protocol (expected grpc or"
                    + " http/protobuf" + (text.trim().equals("http/json") ? "; http/json is not supported by the"
                    + " OpenTelemetry Java SDK" : "") + ")");
        }
    }

    public enum Compression { NONE, GZIP }

    /**
     * @param endpoint the collector's URL, e.g. {@code http://127.0.0.1:4317}; for http/protobuf the
     *     base URL to which {@code /v1/traces} etc. are appended. When absent: the local collector's
     *     receiver for the protocol (in {@code mantis all} the one this process runs, else
     *     {@code server.host}:4317 or :4318)
     * @param protocol grpc or http/protobuf
     * @param headers sent with every export request (e.g. an authorization header)
     * @param timeout the most one export request may take
     * @param compression none or gzip
     */
    public record Otlp(String endpoint, Protocol protocol, Map<String, String> headers, Duration timeout,
                       Compression compression) {
        public static final Otlp DEFAULTS = new Otlp(null, Protocol.GRPC, Map.of(), Duration.ofSeconds(10),
                Compression.NONE);

        public Otlp {
            if (endpoint != null) {
                String problem = urlProblem(endpoint);
                if (problem != null) {
                    throw new ConfigValueException("endpoint", problem);
                }
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ConfigValueException("timeout", "must be a positive duration such as 10s");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        /** Null when {@code url} is an http or https URL with a host, else what is wrong with it. */
        public static String urlProblem(String url) {
            try {
                URI u = new URI(url.trim());
                if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http")
                        || u.getScheme().equalsIgnoreCase("https"))) {
                    return "expected a URL like http://127.0.0.1:4317, got '" + url + "' (the scheme must be"
                            + " http or https)";
                }
                if (u.getHost() == null) {
                    return "expected a URL like http://127.0.0.1:4317, got '" + url + "' (no host)";
                }
                return null;
            } catch (URISyntaxException e) {
                return "expected a URL like http://127.0.0.1:4317, got '" + url + "' (" + e.getReason() + ")";
            }
        }
    }

    /**
     * @param rate requests per second the load generator sends to the shop; 0 turns it off
     * @param duration how long it runs; 0 means until Mantis stops
     */
    public record Load(double rate, Duration duration) {
        public static final Load DEFAULTS = new Load(0, Duration.ZERO);
        /** What {@code mantis all --demo} sends when no rate is configured: enough to see, little to pay. */
        public static final double GENTLE_RATE = 5;
        public static final double MAX_RATE = 10_000;

        public Load {
            if (!(rate >= 0 && rate <= MAX_RATE)) {
                throw new ConfigValueException("rate", "must be between 0 (off) and " + (int) MAX_RATE
                        + " requests per second");
            }
            if (duration == null || duration.isNegative()) {
                throw new ConfigValueException("duration", "must be 0 (until stopped) or a positive duration like 5m");
            }
        }

        public boolean enabled() {
            return rate > 0;
        }
    }
}
