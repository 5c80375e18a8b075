package io.mantis.demo.telemetry;

import io.mantis.demo.DemoConfig;
import io.mantis.demo.DemoConfig.Compression;
import io.mantis.demo.DemoConfig.Protocol;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where and how each signal is exported: the {@code demo.otlp} configuration with the standard
 * OpenTelemetry environment variables laid over it, as the SDK specification defines them: a
 * per-signal variable ({@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) beats the general one
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}), which beats the configuration file.
 *
 * @param resourceAttributes from {@code OTEL_RESOURCE_ATTRIBUTES}, added to every service's resource
 */
public record ExportSettings(Signal traces, Signal metrics, Signal logs, Duration metricInterval,
                             Map<String, String> resourceAttributes) {

    /**
     * One signal's exporter.
     *
     * @param endpoint for grpc the collector's URL; for http/protobuf the full URL of the signal's
     *     path (e.g. {@code http://127.0.0.1:4318/v1/traces})
     */
    public record Signal(Protocol protocol, String endpoint, Map<String, String> headers, Duration timeout,
                         Compression compression) {
        @Override
        public String toString() {
            // Headers often carry credentials; they are never printed.
            return protocol.key() + " " + endpoint + (headers.isEmpty() ? "" : " (+" + headers.size() + " headers)");
        }
    }

    private static final String PREFIX = "OTEL_EXPORTER_OTLP_";

    /**
     * @param localCollector the URL of the local collector's receiver for a protocol, used when
     *     neither the configuration nor the environment names an endpoint
     * @throws IllegalArgumentException naming the variable or key whose value is unusable
     */
    public static ExportSettings resolve(DemoConfig config, Function<Protocol, String> localCollector,
                                         Map<String, String> env) {
        DemoConfig.Otlp otlp = config.otlp();
        Duration interval = config.metricExportInterval();
        String intervalEnv = value(env, "OTEL_METRIC_EXPORT_INTERVAL");
        if (intervalEnv != null) {
            interval = Duration.ofMillis(millis("OTEL_METRIC_EXPORT_INTERVAL", intervalEnv));
            if (interval.isZero()) {
                throw new IllegalArgumentException("OTEL_METRIC_EXPORT_INTERVAL must be a positive number of"
                        + " milliseconds, got '" + intervalEnv + "'");
            }
        }
        Map<String, String> resource = new LinkedHashMap<>();
        String resourceEnv = value(env, "OTEL_RESOURCE_ATTRIBUTES");
        if (resourceEnv != null) {
            resource.putAll(keyValues("OTEL_RESOURCE_ATTRIBUTES", resourceEnv));
        }
        return new ExportSettings(signal("TRACES", "v1/traces", otlp, localCollector, env),
                signal("METRICS", "v1/metrics", otlp, localCollector, env),
                signal("LOGS", "v1/logs", otlp, localCollector, env), interval, Map.copyOf(resource));
    }

    private static Signal signal(String signal, String httpPath, DemoConfig.Otlp otlp,
                                 Function<Protocol, String> localCollector, Map<String, String> env) {
        String perSignal = PREFIX + signal + "_";

        Protocol protocol = otlp.protocol();
        String protocolVar = firstSet(env, perSignal + "PROTOCOL", PREFIX + "PROTOCOL");
        if (protocolVar != null) {
            try {
                protocol = Protocol.fromKey(env.get(protocolVar));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(protocolVar + ": " + e.getMessage(), e);
            }
        }

        String endpoint;
        String signalEndpoint = value(env, perSignal + "ENDPOINT");
        if (signalEndpoint != null) {
            // A per-signal endpoint is used as written, whatever the protocol.
            endpoint = checkedUrl(perSignal + "ENDPOINT", signalEndpoint);
        } else {
            String base = value(env, PREFIX + "ENDPOINT");
            String source = PREFIX + "ENDPOINT";
            if (base == null) {
                base = otlp.endpoint();
                source = "demo.otlp.endpoint";
            }
            if (base == null) {
                base = localCollector.apply(protocol);
                source = "the local collector";
            }
            base = checkedUrl(source, base);
            endpoint = protocol == Protocol.GRPC ? base : appendPath(base, httpPath);
        }

        Map<String, String> headers = otlp.headers();
        String headersVar = firstSet(env, perSignal + "HEADERS", PREFIX + "HEADERS");
        if (headersVar != null) {
            headers = keyValues(headersVar, env.get(headersVar));
        }

        Duration timeout = otlp.timeout();
        String timeoutVar = firstSet(env, perSignal + "TIMEOUT", PREFIX + "TIMEOUT");
        if (timeoutVar != null) {
            timeout = Duration.ofMillis(millis(timeoutVar, env.get(timeoutVar)));
            if (timeout.isZero()) {
                throw new IllegalArgumentException(timeoutVar + " must be a positive number of milliseconds");
            }
        }

        Compression compression = otlp.compression();
        String compressionVar = firstSet(env, perSignal + "COMPRESSION", PREFIX + "COMPRESSION");
        if (compressionVar != null) {
            compression = switch (env.get(compressionVar).trim().toLowerCase(Locale.ROOT)) {
                case "gzip" -> Compression.GZIP;
                case "none" -> Compression.NONE;
                default -> throw new IllegalArgumentException(compressionVar + " must be gzip or none, got '"
                        + env.get(compressionVar) + "'");
            };
        }
        return new Signal(protocol, endpoint, Map.copyOf(headers), timeout, compression);
    }

    /** The signal path under a base URL, as the specification joins them: one slash between. */
    static String appendPath(String base, String path) {
        return base.endsWith("/") ? base + path : base + "/" + path;
    }

    private static String checkedUrl(String source, String url) {
        String problem = DemoConfig.Otlp.urlProblem(url);
        if (problem != null) {
            throw new IllegalArgumentException(source + ": " + problem);
        }
        return url.trim();
    }

    /** The first of the variables that is set to something other than blanks, or null. */
    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            if (value(env, n) != null) {
                return n;
            }
        }
        return null;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static long millis(String name, String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, got '" + text + "'", e);
        }
    }

    /**
     * The {@code key=value,key2=value2} lists of {@code OTEL_EXPORTER_OTLP_HEADERS} and
     * {@code OTEL_RESOURCE_ATTRIBUTES}: values are percent-decoded, blanks around items ignored.
     */
    static Map<String, String> keyValues(String name, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0 || item.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException(name + ": expected key=value pairs separated by commas, got '"
                        + item.trim() + "'");
            }
            String key = item.substring(0, eq).trim();
            String raw = item.substring(eq + 1).trim();
            // URLDecoder would turn '+' into a space; the specification's encoding keeps '+' literal.
            out.put(key, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }
}
