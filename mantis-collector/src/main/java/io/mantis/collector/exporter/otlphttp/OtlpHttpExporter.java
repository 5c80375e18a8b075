package io.mantis.collector.exporter.otlphttp;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.exporter.helper.BaseExporter;
import io.mantis.collector.exporter.helper.HttpResponses;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.otlp.json.OtlpJson;
import io.mantis.otlp.json.OtlpJsonException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to any OTLP/HTTP endpoint ({@code POST /v1/traces} and so on): another Mantis, an
 * OpenTelemetry Collector, or a vendor's intake. Answers are read as the OTLP/HTTP
 * specification says: 2xx is success (possibly partial), 429/502/503/504 retry (after
 * {@code Retry-After}), anything else is permanent.
 */
final class OtlpHttpExporter extends BaseExporter {
    private static final Logger log = LoggerFactory.getLogger(OtlpHttpExporter.class);
    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
    private static final String USER_AGENT = "Mantis-Collector";

    private final OtlpHttpExporterConfig config;
    private final boolean json;
    private final Map<Signal, URI> urls = new EnumMap<>(Signal.class);
    private final Map<Signal, WebClient> clients = new EnumMap<>(Signal.class);
    private ClientFactory factory;

    OtlpHttpExporter(ComponentSettings settings, OtlpHttpExporterConfig config, Set<Signal> signals) {
        super(settings, signals, config.sendingQueue(), config.retryOnFailure());
        this.config = config;
        this.json = config.encoding().equals("json");
        for (Signal s : signals) {
            urls.put(s, config.url(s));
        }
    }

    @Override
    protected void startClient() {
        factory = config.tls().insecureSkipVerify() ? ClientFactory.builder().tlsNoVerify().build()
                : ClientFactory.builder().build();
        for (Map.Entry<Signal, URI> e : urls.entrySet()) {
            URI u = e.getValue();
            clients.put(e.getKey(), WebClient.builder(u.getScheme() + "://" + u.getRawAuthority())
                    .factory(factory)
                    .responseTimeout(config.timeout())
                    // Armeria's default write timeout is a second; a big batch on a slow link needs longer.
                    .writeTimeout(config.timeout())
                    .maxResponseLength(16L * 1024 * 1024)
                    .build());
        }
    }

    @Override
    protected void stopClient() {
        if (factory != null) {
            factory.close();
        }
    }

    @Override
    protected void send(Telemetry batch) throws ConsumeException {
        Message request = switch (batch) {
            case Traces t -> t.request();
            case Metrics m -> m.request();
            case Logs l -> l.request();
        };
        URI url = urls.get(batch.signal());
        byte[] body = json ? OtlpJson.toBytes(request) : request.toByteArray();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST,
                        url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
                .contentType(json ? MediaType.JSON : PROTOBUF)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        switch (config.compression()) {
            case "gzip" -> {
                body = gzip(body);
                h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            }
            case "zstd" -> {
                body = Zstd.compress(body);
                h.set(HttpHeaderNames.CONTENT_ENCODING, "zstd");
            }
            default -> {
            }
        }
        // Set after ours, as the collector applies configured headers last.
        config.headers().forEach(h::set);

        AggregatedHttpResponse r;
        try {
            r = clients.get(batch.signal()).execute(HttpRequest.of(h.build(), HttpData.wrap(body))).aggregate()
                    .join();
        } catch (CompletionException | IllegalStateException e) {
            Throwable cause = rootCause(e);
            String why = cause instanceof ResponseTimeoutException ? "no response within " + config.timeout()
                    : cause.toString();
            throw ConsumeException.retryable("sending to " + url + " failed: " + why, null, cause);
        }
        int code = r.status().code();
        if (code >= 200 && code < 300) {
            checkPartialSuccess(batch, r, url);
            return;
        }
        throw HttpResponses.classify(r, url.toString());
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Logs a partial success: the destination took the batch but rejected some items, which
     * sending again cannot change (the specification forbids retrying them).
     */
    private void checkPartialSuccess(Telemetry batch, AggregatedHttpResponse r, URI url) {
        byte[] content = r.content().array();
        if (content.length == 0) {
            return;
        }
        MediaType type = r.headers().contentType();
        boolean jsonBody = type != null ? type.is(MediaType.JSON) : json;
        long rejected;
        String message;
        try {
            switch (batch.signal()) {
                case TRACES -> {
                    ExportTraceServiceResponse resp = parse(content, jsonBody,
                            ExportTraceServiceResponse.getDefaultInstance());
                    rejected = resp.getPartialSuccess().getRejectedSpans();
                    message = resp.getPartialSuccess().getErrorMessage();
                }
                case METRICS -> {
                    ExportMetricsServiceResponse resp = parse(content, jsonBody,
                            ExportMetricsServiceResponse.getDefaultInstance());
                    rejected = resp.getPartialSuccess().getRejectedDataPoints();
                    message = resp.getPartialSuccess().getErrorMessage();
                }
                case LOGS -> {
                    ExportLogsServiceResponse resp = parse(content, jsonBody,
                            ExportLogsServiceResponse.getDefaultInstance());
                    rejected = resp.getPartialSuccess().getRejectedLogRecords();
                    message = resp.getPartialSuccess().getErrorMessage();
                }
                default -> throw new IllegalStateException();
            }
        } catch (InvalidProtocolBufferException | OtlpJsonException | UncheckedIOException e) {
            // The data was accepted; an unreadable success body does not change that.
            log.debug("{}: cannot read the success response of {}: {}", id(), url, e.getMessage());
            return;
        }
        if (rejected > 0 || !message.isEmpty()) {
            log.warn("{}: {} accepted the batch partially, rejecting {} of {} {}: {}", id(), url, rejected,
                    batch.itemCount(), batch.signal().itemName().replace('_', ' '),
                    message.isEmpty() ? "(no message)" : message);
        }
    }

    @SuppressWarnings("unchecked")
    private static <M extends Message> M parse(byte[] content, boolean jsonBody, M prototype)
            throws InvalidProtocolBufferException, OtlpJsonException {
        return jsonBody ? OtlpJson.parse(content, prototype)
                : (M) prototype.getParserForType().parseFrom(content);
    }
}
