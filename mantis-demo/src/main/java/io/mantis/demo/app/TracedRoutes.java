package io.mantis.demo.app;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.mantis.demo.telemetry.ServiceTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;

/**
 * A demo service's HTTP side: a small router whose every route runs inside a server span (parented
 * on the caller's {@code traceparent}) and is measured with the semantic conventions' HTTP server
 * metrics. Handlers run on their own threads, so they may wait on downstream calls and simulated
 * storage the way ordinary servlet code does.
 */
final class TracedRoutes {
    /** The semantic conventions' recommended buckets for HTTP durations, in seconds. */
    static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0);

    private static final TextMapGetter<RequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(RequestHeaders carrier) {
            List<String> keys = new ArrayList<>();
            carrier.names().forEach(n -> keys.add(n.toString()));
            return keys;
        }

        @Override
        public String get(RequestHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** A request handler; throwing {@link DemoRequest.BadRequest} answers 400, anything else 500. */
    @FunctionalInterface
    interface Handler {
        Reply handle(DemoRequest request) throws Exception;
    }

    private record Route(String method, String template, String[] segments, Handler handler, boolean traced) {
        /** The path parameters when {@code path} matches, else null. */
        Map<String, String> match(String[] parts) {
            if (parts.length != segments.length) {
                return null;
            }
            Map<String, String> params = null;
            for (int i = 0; i < parts.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    if (parts[i].isEmpty()) {
                        return null;
                    }
                    if (params == null) {
                        params = new HashMap<>(2);
                    }
                    params.put(s.substring(1, s.length() - 1), parts[i]);
                } else if (!s.equals(parts[i])) {
                    return null;
                }
            }
            return params == null ? Map.of() : params;
        }
    }

    private final ServiceTelemetry telemetry;
    private final Logger log;
    private final List<Route> routes = new ArrayList<>();
    private final DoubleHistogram duration;
    private final LongUpDownCounter active;
    private final LongCounter requests;

    TracedRoutes(ServiceTelemetry telemetry, Logger log) {
        this.telemetry = telemetry;
        this.log = log;
        this.duration = telemetry.meter().histogramBuilder("http.server.request.duration")
                .setDescription("Duration of HTTP server requests.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.active = telemetry.meter().upDownCounterBuilder("http.server.active_requests")
                .setDescription("Number of active HTTP server requests.")
                .setUnit("{request}")
                .build();
        this.requests = telemetry.meter().counterBuilder("demo.requests")
                .setDescription("HTTP requests answered, by route and status code.")
                .setUnit("{request}")
                .build();
    }

    TracedRoutes add(String method, String template, Handler handler) {
        routes.add(new Route(method, template, split(template), handler, true));
        return this;
    }

    /** A route without a span, for health probes, which would only bury the interesting traces. */
    TracedRoutes addUntraced(String method, String template, Handler handler) {
        routes.add(new Route(method, template, split(template), handler, false));
        return this;
    }

    private static String[] split(String path) {
        return (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
    }

    /**
     * @param handlers where handlers run; they block (on downstream calls, simulated storage), so
     *     never an event loop
     */
    void addTo(ServerBuilder sb, Executor handlers) {
        sb.serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate()
                .thenApplyAsync(agg -> serve(ctx, agg), handlers)));
    }

    private HttpResponse serve(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        String method = req.method().name();
        String path = ctx.path();
        String[] parts = split(path);
        Route route = null;
        Map<String, String> params = null;
        boolean pathKnown = false;
        for (Route r : routes) {
            Map<String, String> p = r.match(parts);
            if (p != null) {
                pathKnown = true;
                if (r.method.equals(method)) {
                    route = r;
                    params = p;
                    break;
                }
            }
        }
        Reply reply;
        if (route == null) {
            reply = pathKnown ? Reply.error(405, method + " is not allowed on " + path)
                    : Reply.error(404, "no such endpoint: " + method + " " + path);
            count(method, null, reply.status());
        } else if (!route.traced) {
            reply = invoke(route, new DemoRequest(method, path, params, req.content().array()), null);
            count(method, route.template, reply.status());
        } else {
            reply = traced(ctx, req, route, new DemoRequest(method, path, params, req.content().array()));
        }
        return HttpResponse.of(HttpStatus.valueOf(reply.status()), MediaType.JSON_UTF_8, reply.json());
    }

    private Reply traced(ServiceRequestContext ctx, AggregatedHttpRequest req, Route route, DemoRequest request) {
        Context parent = telemetry.propagators().getTextMapPropagator().extract(Context.root(), req.headers(), HEADERS);
        InetSocketAddress local = ctx.localAddress();
        InetSocketAddress remote = ctx.remoteAddress();
        String authority = req.headers().authority();
        Span span = telemetry.tracer().spanBuilder(request.method() + " " + route.template)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(Attrs.HTTP_REQUEST_METHOD, request.method())
                .setAttribute(Attrs.HTTP_ROUTE, route.template)
                .setAttribute(Attrs.URL_PATH, request.path())
                .setAttribute(Attrs.URL_SCHEME, "http")
                .setAttribute(Attrs.SERVER_ADDRESS, authority != null && authority.lastIndexOf(':') > 0
                        ? authority.substring(0, authority.lastIndexOf(':')) : local.getHostString())
                .setAttribute(Attrs.SERVER_PORT, (long) local.getPort())
                .setAttribute(Attrs.CLIENT_ADDRESS, remote.getAddress().getHostAddress())
                .setAttribute(Attrs.NETWORK_PROTOCOL_VERSION, ctx.sessionProtocol().isMultiplex() ? "2" : "1.1")
                .setAttribute(Attrs.USER_AGENT, req.headers().get("user-agent", ""))
                .startSpan();
        if (ctx.query() != null) {
            span.setAttribute(Attrs.URL_QUERY, ctx.query());
        }
        Attributes activeAttrs = Attributes.of(Attrs.HTTP_REQUEST_METHOD, request.method(), Attrs.URL_SCHEME, "http");
        long start = System.nanoTime();
        active.add(1, activeAttrs);
        try (Scope ignored = span.makeCurrent()) {
            Reply reply = invoke(route, request, span);
            span.setAttribute(Attrs.HTTP_RESPONSE_STATUS_CODE, (long) reply.status());
            AttributesBuilder attrs = Attributes.builder()
                    .put(Attrs.HTTP_REQUEST_METHOD, request.method())
                    .put(Attrs.HTTP_ROUTE, route.template)
                    .put(Attrs.HTTP_RESPONSE_STATUS_CODE, (long) reply.status())
                    .put(Attrs.URL_SCHEME, "http");
            if (reply.status() >= 500) {
                // Server spans are errors for 5xx only: a 4xx is the client's mistake, not the server's.
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(Attrs.ERROR_TYPE, String.valueOf(reply.status()));
                attrs.put(Attrs.ERROR_TYPE, String.valueOf(reply.status()));
            }
            // Recorded while the span is current, so the points get exemplars pointing at this trace.
            Attributes measured = attrs.build();
            duration.record((System.nanoTime() - start) / 1e9, measured);
            requests.add(1, measured);
            return reply;
        } finally {
            active.add(-1, activeAttrs);
            span.end();
        }
    }

    /** Runs the handler, turning rejections and failures into answers (and spans and logs). */
    private Reply invoke(Route route, DemoRequest request, Span span) {
        try {
            return route.handler.handle(request);
        } catch (DemoRequest.BadRequest e) {
            log.atWarn().addKeyValue("http.route", route.template).addKeyValue("http.response.status_code", 400)
                    .setMessage("rejected {} {}: {}").addArgument(request.method()).addArgument(request.path())
                    .addArgument(e.getMessage()).log();
            return Reply.error(400, e.getMessage());
        } catch (Exception e) {
            if (span != null) {
                span.recordException(e);
            }
            log.atError().addKeyValue("http.route", route.template).setCause(e)
                    .setMessage("{} {} failed: {}").addArgument(request.method()).addArgument(request.path())
                    .addArgument(e.getMessage()).log();
            return Reply.error(500, "internal error: " + e.getMessage());
        }
    }

    private void count(String method, String route, int status) {
        AttributesBuilder b = Attributes.builder().put(Attrs.HTTP_REQUEST_METHOD, method)
                .put(Attrs.HTTP_RESPONSE_STATUS_CODE, (long) status);
        if (route != null) {
            b.put(Attrs.HTTP_ROUTE, route);
        }
        requests.add(1, b.build());
    }
}
