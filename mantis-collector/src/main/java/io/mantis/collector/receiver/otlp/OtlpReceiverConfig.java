package io.mantis.collector.receiver.otlp;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Endpoint;
import java.util.List;

/**
 * The {@code otlp} receiver's config, in the collector's shape. {@code protocols} stays raw
 * because a protocol key with no value ({@code grpc:}) enables that protocol with its defaults.
 */
public record OtlpReceiverConfig(ConfigNode protocols) {
    public static final OtlpReceiverConfig DEFAULTS = new OtlpReceiverConfig(null);

    /**
     * {@code protocols.grpc}.
     *
     * @param endpoint default {@code <server.host>:4317}
     * @param maxRecvMsgSizeMib the largest request accepted, in MiB (default 4, as the collector)
     */
    public record Grpc(Endpoint endpoint, int maxRecvMsgSizeMib, Integer maxConcurrentStreams, String transport,
                       Boolean includeMetadata) {
        public static final Grpc DEFAULTS = new Grpc(null, 4, null, "tcp", false);

        public Grpc {
            if (maxRecvMsgSizeMib <= 0 || maxRecvMsgSizeMib > 2047) {
                throw new ConfigValueException("max_recv_msg_size_mib", "must be between 1 and 2047, got "
                        + maxRecvMsgSizeMib);
            }
            if (transport != null && !transport.equals("tcp")) {
                throw new ConfigValueException("transport", "only 'tcp' is supported, got '" + transport + "'");
            }
            if (maxConcurrentStreams != null && maxConcurrentStreams <= 0) {
                throw new ConfigValueException("max_concurrent_streams", "must be positive");
            }
        }
    }

    /**
     * {@code protocols.http}.
     *
     * @param endpoint default {@code <server.host>:4318}
     * @param maxRequestBodySize the largest request body accepted, in bytes after decompression
     *     (default 20 MiB, as the collector); larger requests get 413
     */
    public record Http(Endpoint endpoint, String tracesUrlPath, String metricsUrlPath, String logsUrlPath, Cors cors,
                       long maxRequestBodySize, Boolean includeMetadata) {
        public static final Http DEFAULTS = new Http(null, "/v1/traces", "/v1/metrics", "/v1/logs", Cors.DEFAULTS,
                20L * 1024 * 1024, false);

        public Http {
            for (String[] p : new String[][] {{"traces_url_path", tracesUrlPath}, {"metrics_url_path", metricsUrlPath},
                {"logs_url_path", logsUrlPath}}) {
                if (p[1] == null || !p[1].startsWith("/")) {
                    throw new ConfigValueException(p[0], "must start with '/'");
                }
            }
            if (maxRequestBodySize <= 0) {
                throw new ConfigValueException("max_request_body_size", "must be positive");
            }
        }
    }

    /** CORS for browser senders (the OpenTelemetry JS SDK); no origins means CORS is off. */
    public record Cors(List<String> allowedOrigins, List<String> allowedHeaders, int maxAge) {
        public static final Cors DEFAULTS = new Cors(List.of(), List.of(), 0);

        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
            if (maxAge < 0) {
                throw new ConfigValueException("max_age", "must not be negative");
            }
        }
    }
}
