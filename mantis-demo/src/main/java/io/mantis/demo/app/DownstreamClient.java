package io.mantis.demo.app;

import io.mantis.demo.telemetry.ServiceTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls another demo service over real HTTP on loopback, inside a client span whose context goes
 * along as {@code traceparent} (the SDK's W3C propagator writes it), so the callee's server span
 * becomes its child in the same trace.
 */
final class DownstreamClient {
    private static final TextMapSetter<HttpRequest.Builder> HEADERS = (b, k, v) -> b.setHeader(k, v);

    private final String peerService;
    private final URI base;
    private final ServiceTelemetry telemetry;
    private final HttpClient http;
    private final Duration timeout;
    private final DoubleHistogram duration;

    /**
     * @param peerService the callee's {@code service.name}
     * @param base the callee's base URL, e.g. {@code http://127.0.0.1:5001}
     */
    DownstreamClient(String peerService, URI base, ServiceTelemetry telemetry, HttpClient http, Duration timeout) {
        this.peerService = peerService;
        this.base = base;
        this.telemetry = telemetry;
        this.http = http;
        this.timeout = timeout;
        this.duration = telemetry.meter().histogramBuilder("http.client.request.duration")
                .setDescription("Duration of HTTP client requests.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(TracedRoutes.DURATION_BUCKETS)
                .build();
    }

    /**
     * Sends one request and returns the answer whatever its status.
     *
     * @param template the route, for the span name and {@code url.template}
     * @throws IOException when no answer came (connection refused, timeout); recorded on the span
     */
    Reply call(String method, String template, String path, String jsonBody) throws IOException {
        URI uri = base.resolve(path);
        Span span = telemetry.tracer().spanBuilder(method + " " + template)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(Attrs.HTTP_REQUEST_METHOD, method)
                .setAttribute(Attrs.URL_FULL, uri.toString())
                .setAttribute(Attrs.URL_TEMPLATE, template)
                .setAttribute(Attrs.SERVER_ADDRESS, uri.getHost())
                .setAttribute(Attrs.SERVER_PORT, (long) uri.getPort())
                .setAttribute(Attrs.PEER_SERVICE, peerService)
                .startSpan();
        long start = System.nanoTime();
        AttributesBuilder measured = Attributes.builder()
                .put(Attrs.HTTP_REQUEST_METHOD, method)
                .put(Attrs.SERVER_ADDRESS, uri.getHost())
                .put(Attrs.SERVER_PORT, (long) uri.getPort())
                .put(Attrs.URL_TEMPLATE, template);
        try (Scope ignored = span.makeCurrent()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "mantis-demo-shop")
                    .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
            telemetry.propagators().getTextMapPropagator().inject(Context.current(), b, HEADERS);
            HttpResponse<String> res;
            try {
                res = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while calling " + peerService, e);
            }
            span.setAttribute(Attrs.HTTP_RESPONSE_STATUS_CODE, (long) res.statusCode());
            measured.put(Attrs.HTTP_RESPONSE_STATUS_CODE, (long) res.statusCode());
            if (res.statusCode() >= 400) {
                // For a client every 4xx and 5xx is an error: the call did not do what it asked.
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(Attrs.ERROR_TYPE, String.valueOf(res.statusCode()));
                measured.put(Attrs.ERROR_TYPE, String.valueOf(res.statusCode()));
            }
            duration.record((System.nanoTime() - start) / 1e9, measured.build());
            return new Reply(res.statusCode(), res.body());
        } catch (IOException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, peerService + " did not answer");
            span.setAttribute(Attrs.ERROR_TYPE, e.getClass().getName());
            try (Scope ignored = span.makeCurrent()) {
                duration.record((System.nanoTime() - start) / 1e9,
                        measured.put(Attrs.ERROR_TYPE, e.getClass().getName()).build());
            }
            throw e;
        } finally {
            span.end();
        }
    }
}
