package io.mantis.metrics.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.metrics.ingest.IngestErrors;
import io.mantis.otlp.json.OtlpJson;
import io.mantis.otlp.json.OtlpJsonException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.GZIPInputStream;

/**
 * The write side of the Prometheus HTTP API: remote write 1.0 ({@code /api/v1/write}) and OTLP
 * metrics ({@code /api/v1/otlp/v1/metrics}, as Prometheus 3 serves it). Both answer only after the
 * write is in the WAL.
 */
public final class WriteApi {

    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

    private final Ingest ingest;
    private final long maxBodyBytes;
    private final Executor writers;

    /** Writes run on the server's blocking-task pool. */
    public WriteApi(Ingest ingest, int maxBodyBytes) {
        this(ingest, maxBodyBytes, null);
    }

    /**
     * @param writers where writes run (null: the server's blocking-task pool); a write it refuses
     *                ({@link RejectedExecutionException}) is answered 429, as an overloaded store
     */
    public WriteApi(Ingest ingest, int maxBodyBytes, Executor writers) {
        this.ingest = ingest;
        this.maxBodyBytes = maxBodyBytes;
        this.writers = writers;
    }

    public void routes(ServerBuilder sb) {
        sb.service("/api/v1/write", post(this::remoteWrite));
        sb.service("/api/v1/otlp/v1/metrics", post(this::otlp));
    }

    private interface Handler {
        HttpResponse handle(AggregatedHttpRequest req);
    }

    private HttpService post(Handler h) {
        return (ctx, req) -> {
            if (req.method() != HttpMethod.POST) {
                return HttpResponse.of(ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                        .add(HttpHeaderNames.ALLOW, "POST").contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
                        HttpData.ofUtf8("Method Not Allowed\n"));
            }
            ctx.setMaxRequestLength(maxBodyBytes);
            Executor on = writers != null ? writers : ctx.blockingTaskExecutor();
            return HttpResponse.of(req.aggregate()
                    .thenComposeAsync(agg -> CompletableFuture.completedFuture(h.handle(agg)), on)
                    .exceptionally(e -> {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause() : e;
                        if (cause instanceof RejectedExecutionException) {
                            return tooManyRequests(new Ingest.OverloadedException(
                                    "too many writes waiting for the metrics store; retry later", 1));
                        }
                        throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
                    }));
        };
    }

    private static HttpResponse text(HttpStatus status, String body) {
        return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, body.endsWith("\n") ? body : body + "\n");
    }

    /** 429 with the store's retry hint: senders back off and send the same data again. */
    private static HttpResponse tooManyRequests(Ingest.OverloadedException e) {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                .add(HttpHeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .contentType(MediaType.PLAIN_TEXT_UTF_8).build(), HttpData.ofUtf8(e.getMessage() + "\n"));
    }

    private HttpResponse remoteWrite(AggregatedHttpRequest req) {
        MediaType type = req.contentType();
        if (type != null && type.parameters().containsKey("proto")
                && !type.parameters().get("proto").contains("prometheus.WriteRequest")) {
            return text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported remote write protobuf message "
                    + type.parameters().get("proto") + "; this server takes remote write 1.0 (prometheus.WriteRequest)");
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
            return text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported compression: " + encoding
                    + ". Only snappy is supported");
        }
        IngestErrors errors;
        try {
            errors = ingest.remoteWrite(req.content().array(), 0, req.content().length());
        } catch (Ingest.MalformedRequestException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (IOException e) {
            return text(HttpStatus.INTERNAL_SERVER_ERROR, "write-ahead log: " + e.getMessage());
        } catch (Ingest.OverloadedException e) {
            return tooManyRequests(e);
        }
        if (!errors.isEmpty()) {
            return text(HttpStatus.BAD_REQUEST, errors.message());
        }
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    private HttpResponse otlp(AggregatedHttpRequest req) {
        MediaType type = req.contentType();
        boolean json = type != null && type.is(MediaType.JSON);
        if (type != null && !json && !type.is(PROTOBUF)) {
            return text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported content type " + type
                    + "; send application/x-protobuf or application/json");
        }
        byte[] body;
        try {
            body = decompress(req);
        } catch (IOException e) {
            return text(HttpStatus.BAD_REQUEST, "cannot decompress the body: " + e.getMessage());
        }
        ExportMetricsServiceRequest request;
        try {
            request = json ? OtlpJson.parseMetrics(body) : ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException | OtlpJsonException e) {
            return text(HttpStatus.BAD_REQUEST, "malformed OTLP metrics request: " + e.getMessage());
        }
        Ingest.OtlpResult result;
        try {
            result = ingest.otlp(request);
        } catch (IOException e) {
            return text(HttpStatus.INTERNAL_SERVER_ERROR, "write-ahead log: " + e.getMessage());
        } catch (Ingest.OverloadedException e) {
            return tooManyRequests(e);
        }
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (result.rejectedDataPoints() > 0 || !result.message().isEmpty()) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(result.rejectedDataPoints()).setErrorMessage(result.message()));
        }
        if (json) {
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.toBytes(response.build()));
        }
        return HttpResponse.of(HttpStatus.OK, PROTOBUF, response.build().toByteArray());
    }

    private byte[] decompress(AggregatedHttpRequest req) throws IOException {
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        byte[] body = req.content().array();
        if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new IOException("unsupported content encoding " + encoding + " (gzip or none)");
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw new IOException("decompressed body exceeds " + maxBodyBytes + " bytes");
                }
            }
            return out.toByteArray();
        }
    }
}
