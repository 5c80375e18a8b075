package io.mantis.demo.telemetry;

import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.SessionProtocol;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/gRPC for the OpenTelemetry SDK's exporters over Armeria's HTTP/2 client, which Mantis already
 * has: the SDK hands over the serialized request; this sender frames it as one gRPC message,
 * posts it, and reads {@code grpc-status} from the trailers (or from the headers of a
 * trailers-only answer).
 *
 * <p>Retries follow the SDK's {@link RetryPolicy} on the status codes the OTLP specification calls
 * retryable and on connections that never carried the request, with exponential back-off and
 * full jitter.
 */
final class ArmeriaGrpcSender implements GrpcSender {
    /** OTLP/gRPC's retryable codes; RESOURCE_EXHAUSTED too, as the collector uses it for back-pressure. */
    private static final Set<GrpcStatusCode> RETRYABLE = EnumSet.of(GrpcStatusCode.CANCELLED,
            GrpcStatusCode.DEADLINE_EXCEEDED, GrpcStatusCode.RESOURCE_EXHAUSTED, GrpcStatusCode.ABORTED,
            GrpcStatusCode.OUT_OF_RANGE, GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DATA_LOSS);
    private static final int MAX_TIMEOUT_DIGITS = 99_999_999;

    private final WebClient client;
    private final String path;
    private final Compressor compressor;
    private final Duration timeout;
    private final java.util.function.Supplier<Map<String, List<String>>> headers;
    private final RetryPolicy retry;
    private volatile boolean shutdown;

    ArmeriaGrpcSender(GrpcSenderConfig config) {
        URI endpoint = config.getEndpoint();
        boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
        // gRPC needs HTTP/2; on plain text that means prior knowledge (h2c), as every gRPC client does.
        this.client = WebClient.builder(tls ? SessionProtocol.H2 : SessionProtocol.H2C,
                        com.linecorp.armeria.client.Endpoint.of(endpoint.getHost(), port))
                .maxResponseLength(Math.max(4 * 1024 * 1024, config.getMaxResponseBodySize()))
                .build();
        String base = endpoint.getRawPath() == null || endpoint.getRawPath().equals("/") ? ""
                : endpoint.getRawPath().replaceAll("/+$", "");
        this.path = base + "/" + config.getFullMethodName();
        this.compressor = config.getCompressor();
        this.timeout = config.getTimeout();
        this.headers = config.getHeadersSupplier();
        this.retry = config.getRetryPolicy();
    }

    @Override
    public void send(MessageWriter writer, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
        byte[] frame;
        try {
            frame = frame(writer);
        } catch (IOException e) {
            onError.accept(e);
            return;
        }
        // The timeout bounds the whole send, retries included, so a flush on stop ends in time.
        long deadline = System.nanoTime() + (timeout.isZero() ? Duration.ofSeconds(10) : timeout).toNanos();
        attempt(frame, 1, deadline, onResponse, onError);
    }

    private void attempt(byte[] frame, int attempt, long deadline, Consumer<GrpcResponse> onResponse,
                         Consumer<Throwable> onError) {
        if (shutdown) {
            onError.accept(new IllegalStateException("the OTLP/gRPC sender is shut down"));
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            onError.accept(new java.util.concurrent.TimeoutException("no answer from the collector within "
                    + timeout.toMillis() + " ms"));
            return;
        }
        client.execute(HttpRequest.of(requestHeaders(frame.length), HttpData.wrap(frame)),
                        com.linecorp.armeria.client.RequestOptions.builder()
                                .responseTimeout(Duration.ofNanos(left)).build())
                .aggregate()
                .whenComplete((res, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof UnprocessedRequestException && mayRetry(attempt)) {
                            later(attempt, deadline, () -> attempt(frame, attempt + 1, deadline, onResponse, onError));
                        } else {
                            // "Connection refused: /127.0.0.1:4317" says more than Armeria's wrapper.
                            onError.accept(cause instanceof UnprocessedRequestException && cause.getCause() != null
                                    ? cause.getCause() : cause);
                        }
                        return;
                    }
                    Answer answer;
                    try {
                        answer = answer(res);
                    } catch (IOException | RuntimeException e) {
                        onError.accept(e);
                        return;
                    }
                    if (RETRYABLE.contains(answer.getStatusCode()) && mayRetry(attempt)) {
                        later(attempt, deadline, () -> attempt(frame, attempt + 1, deadline, onResponse, onError));
                    } else {
                        onResponse.accept(answer);
                    }
                });
    }

    private boolean mayRetry(int attempt) {
        return retry != null && attempt < retry.getMaxAttempts() && !shutdown;
    }

    /**
     * Waits the policy's back-off for this attempt (full jitter), then runs {@code next}; a wait
     * that would pass the deadline is cut short, and the next attempt then reports the timeout.
     */
    private void later(int attempt, long deadline, Runnable next) {
        double cap = Math.min(retry.getMaxBackoff().toNanos(),
                retry.getInitialBackoff().toNanos() * Math.pow(retry.getBackoffMultiplier(), attempt - 1));
        long delay = Math.min((long) (ThreadLocalRandom.current().nextDouble() * cap),
                Math.max(0, deadline - System.nanoTime()));
        CompletableFuture.runAsync(next, CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS));
    }

    private RequestHeaders requestHeaders(int length) {
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path)
                .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc"))
                .add("te", "trailers")
                .contentLength(length);
        if (compressor != null) {
            h.add("grpc-encoding", compressor.getEncoding());
        }
        if (!timeout.isZero()) {
            long ms = timeout.toMillis();
            h.add("grpc-timeout", ms <= MAX_TIMEOUT_DIGITS ? ms + "m" : Math.min(timeout.toSeconds(), MAX_TIMEOUT_DIGITS) + "S");
        }
        Map<String, List<String>> extra = headers == null ? null : headers.get();
        if (extra != null) {
            extra.forEach((k, vs) -> vs.forEach(v -> h.add(k.toLowerCase(java.util.Locale.ROOT), v)));
        }
        return h.build();
    }

    /** The gRPC length-prefixed message: a compressed flag, four bytes of length, the bytes. */
    private byte[] frame(MessageWriter writer) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(writer.getContentLength() + 5);
        body.write(new byte[5]);
        if (compressor != null) {
            try (OutputStream out = compressor.compress(nonClosing(body))) {
                writer.writeMessage(out);
            }
        } else {
            writer.writeMessage(body);
        }
        byte[] frame = body.toByteArray();
        int length = frame.length - 5;
        frame[0] = (byte) (compressor != null ? 1 : 0);
        frame[1] = (byte) (length >>> 24);
        frame[2] = (byte) (length >>> 16);
        frame[3] = (byte) (length >>> 8);
        frame[4] = (byte) length;
        return frame;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    static Answer answer(AggregatedHttpResponse res) throws IOException {
        HttpHeaders where = res.trailers().contains("grpc-status") ? res.trailers() : res.headers();
        String status = where.get("grpc-status");
        if (status == null) {
            // No gRPC status at all: a proxy or a plain HTTP server answered. gRPC's HTTP mapping.
            GrpcStatusCode code = switch (res.status().code()) {
                case 400 -> GrpcStatusCode.INTERNAL;
                case 401 -> GrpcStatusCode.UNAUTHENTICATED;
                case 403 -> GrpcStatusCode.PERMISSION_DENIED;
                case 404 -> GrpcStatusCode.UNIMPLEMENTED;
                case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
                default -> GrpcStatusCode.UNKNOWN;
            };
            return new Answer(code, "HTTP status " + res.status(), new byte[0]);
        }
        GrpcStatusCode code;
        try {
            code = GrpcStatusCode.fromValue(Integer.parseInt(status.trim()));
        } catch (RuntimeException e) {
            code = GrpcStatusCode.UNKNOWN;
        }
        String message = where.get("grpc-message");
        if (message != null) {
            message = URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return new Answer(code, message, message(res.content().array(), res.headers().get("grpc-encoding")));
    }

    /** The response message without its gRPC prefix, inflated when the server compressed it. */
    private static byte[] message(byte[] body, String encoding) throws IOException {
        if (body.length < 5) {
            return new byte[0];
        }
        int length = ((body[1] & 0xff) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (length < 0 || length > body.length - 5) {
            throw new IOException("truncated gRPC response message: " + length + " bytes announced, "
                    + (body.length - 5) + " received");
        }
        byte[] message = java.util.Arrays.copyOfRange(body, 5, 5 + length);
        if (body[0] == 0) {
            return message;
        }
        if (!"gzip".equalsIgnoreCase(encoding)) {
            throw new IOException("compressed gRPC response in unsupported encoding '" + encoding + "'");
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
            return in.readAllBytes();
        }
    }

    @Override
    public CompletableResultCode shutdown() {
        shutdown = true;
        return CompletableResultCode.ofSuccess();
    }

    record Answer(GrpcStatusCode code, String description, byte[] body) implements GrpcResponse {
        @Override
        public GrpcStatusCode getStatusCode() {
            return code;
        }

        @Override
        public String getStatusDescription() {
            return description;
        }

        @Override
        public byte[] getResponseMessage() {
            return body;
        }
    }
}
