package io.mantis.collector.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.common.json.JsonStrings;
import io.mantis.otlp.json.OtlpJson;
import io.mantis.otlp.json.OtlpJsonException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * One OTLP/HTTP endpoint ({@code /v1/traces}, {@code /v1/metrics} or {@code /v1/logs}):
 * binary protobuf or JSON in, the same encoding out, status codes as the OTLP specification
 * gives them.
 */
final class OtlpHttpService implements HttpService {
    /** What each signal's endpoint does with a decoded body. */
    interface Handler {
        Message parseProto(byte[] body) throws InvalidProtocolBufferException;

        Message parseJson(byte[] body) throws OtlpJsonException;

        /** Pushes the request; returns the outcome and, on success, the response message. */
        Result export(Message request);
    }

    record Result(ExportOutcome outcome, Message response) {
    }

    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
    /** Bodies up to this size are decoded on the I/O thread when the pipeline never waits. */
    private static final int INLINE_LIMIT = 256 * 1024;

    private final Handler handler;
    private final long maxBodySize;
    private final boolean blocking;

    OtlpHttpService(boolean blocking, Handler handler, long maxBodySize) {
        this.blocking = blocking;
        this.handler = handler;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                    .add(HttpHeaderNames.ALLOW, "POST").contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
                    com.linecorp.armeria.common.HttpData.ofUtf8("405 method not allowed: OTLP/HTTP takes POST"));
        }
        return HttpResponse.of(req.aggregate().thenCompose(agg -> {
            // Small bodies of a pipeline that never waits are handled on the I/O thread; large
            // ones (decoding takes long) and waiting pipelines go to the worker pool, so one big
            // request cannot stall the other connections of its event loop.
            java.util.concurrent.Executor where = blocking || agg.content().length() > INLINE_LIMIT
                    ? ctx.blockingTaskExecutor() : ctx.eventLoop();
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> handle(agg), where);
        }));
    }

    private HttpResponse handle(AggregatedHttpRequest req) {
        MediaType type = req.contentType();
        boolean json;
        if (type != null && type.is(MediaType.JSON)) {
            json = true;
        } else if (type != null && (type.is(PROTOBUF) || type.is(MediaType.PROTOBUF))) {
            json = false;
        } else {
            return error(false, HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT_VALUE,
                    "unsupported content type " + (type == null ? "(none)" : "'" + type + "'")
                            + ": send application/x-protobuf or application/json");
        }
        byte[] body;
        try {
            body = decode(req.content().array(), req.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        } catch (TooLarge e) {
            return error(json, HttpStatus.REQUEST_ENTITY_TOO_LARGE, Code.INVALID_ARGUMENT_VALUE, e.getMessage());
        } catch (IOException e) {
            return error(json, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT_VALUE,
                    "cannot decompress the request body: " + e.getMessage());
        }
        Message request;
        try {
            request = json ? handler.parseJson(body) : handler.parseProto(body);
        } catch (InvalidProtocolBufferException e) {
            return error(false, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT_VALUE,
                    "malformed protobuf request: " + e.getMessage());
        } catch (OtlpJsonException e) {
            return error(true, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT_VALUE,
                    "malformed JSON request: " + e.getMessage());
        }
        Result r = handler.export(request);
        ExportOutcome o = r.outcome();
        if (o.failed()) {
            ConsumeException e = o.error();
            if (e.permanent()) {
                return error(json, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT_VALUE, e.getMessage());
            }
            HttpStatus status = e.retryAfter() != null ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
            long seconds = e.retryAfter() == null ? 1 : Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            return respond(json, ResponseHeaders.builder(status).add(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds)),
                    Status.newBuilder().setCode(e.retryAfter() != null ? Code.RESOURCE_EXHAUSTED_VALUE
                            : Code.UNAVAILABLE_VALUE).setMessage(e.getMessage()).build());
        }
        return respond(json, ResponseHeaders.builder(HttpStatus.OK), r.response());
    }

    private byte[] decode(byte[] raw, String encoding) throws IOException {
        if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
            if (raw.length > maxBodySize) {
                throw new TooLarge(raw.length);
            }
            return raw;
        }
        InputStream in;
        if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
            in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw));
        } else if (encoding.equalsIgnoreCase("deflate")) {
            in = new InflaterInputStream(new java.io.ByteArrayInputStream(raw));
        } else if (encoding.equalsIgnoreCase("zstd")) {
            in = new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(raw));
        } else {
            throw new IOException("unsupported Content-Encoding '" + encoding + "' (gzip, deflate and zstd are)");
        }
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length * 4));
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBodySize) {
                    throw new TooLarge(total);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private final class TooLarge extends IOException {
        TooLarge(long size) {
            super("request body of at least " + size + " bytes exceeds max_request_body_size of " + maxBodySize
                    + " bytes");
        }
    }

    private HttpResponse error(boolean json, HttpStatus status, int code, String message) {
        return respond(json, ResponseHeaders.builder(status),
                Status.newBuilder().setCode(code).setMessage(message).build());
    }

    private static HttpResponse respond(boolean json, com.linecorp.armeria.common.ResponseHeadersBuilder headers,
                                        Message body) {
        if (json) {
            byte[] bytes = body instanceof Status s ? statusJson(s) : OtlpJson.toBytes(body);
            return HttpResponse.of(headers.contentType(MediaType.JSON).build(),
                    com.linecorp.armeria.common.HttpData.wrap(bytes));
        }
        return HttpResponse.of(headers.contentType(PROTOBUF).build(),
                com.linecorp.armeria.common.HttpData.wrap(body.toByteArray()));
    }

    /** google.rpc.Status in the proto3 JSON mapping; details are not sent over HTTP. */
    private static byte[] statusJson(Status s) {
        StringBuilder sb = new StringBuilder("{\"code\":").append(s.getCode()).append(",\"message\":");
        JsonStrings.quote(sb, s.getMessage());
        return sb.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
