package io.mantis.demo;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real OTLP receiver for tests: gRPC (the generated TraceService, MetricsService and LogsService
 * on Armeria's gRPC server) and HTTP/protobuf on one port, keeping every request it is sent.
 */
final class OtlpSink implements AutoCloseable {
    record ResourceSpan(Resource resource, String scope, Span span) {
        String service() {
            return OtlpSink.attr(resource.getAttributesList(), "service.name");
        }

        String traceId() {
            return hex(span.getTraceId());
        }

        String spanId() {
            return hex(span.getSpanId());
        }

        String parentId() {
            return hex(span.getParentSpanId());
        }

        String attr(String key) {
            return OtlpSink.attr(span.getAttributesList(), key);
        }
    }

    record ResourceMetric(Resource resource, String scope, Metric metric) {
        String service() {
            return OtlpSink.attr(resource.getAttributesList(), "service.name");
        }
    }

    record ResourceLog(Resource resource, String scope, LogRecord log) {
        String service() {
            return OtlpSink.attr(resource.getAttributesList(), "service.name");
        }

        String traceId() {
            return hex(log.getTraceId());
        }

        String spanId() {
            return hex(log.getSpanId());
        }

        String attr(String key) {
            return OtlpSink.attr(log.getAttributesList(), key);
        }
    }

    final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
    final List<String> transports = new CopyOnWriteArrayList<>();
    /** Answers UNAVAILABLE (gRPC) or 503 (HTTP) to this many requests first, to exercise retries. */
    final AtomicInteger failFirst = new AtomicInteger();
    /** The {@code x-demo-tenant} header of every request (or "-"), to check configured headers. */
    final List<String> tenants = new CopyOnWriteArrayList<>();
    private final Server server;

    OtlpSink() {
        GrpcService grpc = GrpcService.builder()
                .addService(new TraceServiceGrpc.TraceServiceImplBase() {
                    @Override
                    public void export(ExportTraceServiceRequest request,
                                       StreamObserver<ExportTraceServiceResponse> response) {
                        if (refuse(response)) {
                            return;
                        }
                        traces.add(request);
                        transports.add("grpc");
                        response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
                    @Override
                    public void export(ExportMetricsServiceRequest request,
                                       StreamObserver<ExportMetricsServiceResponse> response) {
                        if (refuse(response)) {
                            return;
                        }
                        metrics.add(request);
                        transports.add("grpc");
                        response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .addService(new LogsServiceGrpc.LogsServiceImplBase() {
                    @Override
                    public void export(ExportLogsServiceRequest request,
                                       StreamObserver<ExportLogsServiceResponse> response) {
                        if (refuse(response)) {
                            return;
                        }
                        logs.add(request);
                        transports.add("grpc");
                        response.onNext(ExportLogsServiceResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .build();
        server = Server.builder()
                .http(new java.net.InetSocketAddress("127.0.0.1", 0))
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                // A registry of its own: the global one would warn about meters of a second sink.
                .meterRegistry(new io.micrometer.core.instrument.composite.CompositeMeterRegistry())
                .service(grpc)
                .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> {
                    if (failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                    }
                    try {
                        traces.add(ExportTraceServiceRequest.parseFrom(a.content().array()));
                    } catch (Exception e) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST);
                    }
                    transports.add("http " + a.contentType());
                    return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF,
                            ExportTraceServiceResponse.getDefaultInstance().toByteArray());
                })))
                .service("/v1/metrics", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> {
                    try {
                        metrics.add(ExportMetricsServiceRequest.parseFrom(a.content().array()));
                    } catch (Exception e) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST);
                    }
                    transports.add("http " + a.contentType());
                    return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF,
                            ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
                })))
                .service("/v1/logs", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> {
                    try {
                        logs.add(ExportLogsServiceRequest.parseFrom(a.content().array()));
                    } catch (Exception e) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST);
                    }
                    transports.add("http " + a.contentType());
                    return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF,
                            ExportLogsServiceResponse.getDefaultInstance().toByteArray());
                })))
                .decorator((delegate, ctx, req) -> {
                    tenants.add(req.headers().get("x-demo-tenant", "-"));
                    return delegate.serve(ctx, req);
                })
                .build();
        server.start().join();
    }

    private boolean refuse(StreamObserver<?> response) {
        if (failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            response.onError(io.grpc.Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
            return true;
        }
        return false;
    }

    String url() {
        return "http://127.0.0.1:" + server.activeLocalPort();
    }

    List<ResourceSpan> spans() {
        List<ResourceSpan> out = new ArrayList<>();
        for (ExportTraceServiceRequest r : traces) {
            r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                    .forEach(s -> out.add(new ResourceSpan(rs.getResource(), ss.getScope().getName(), s)))));
        }
        return out;
    }

    List<ResourceMetric> metrics() {
        List<ResourceMetric> out = new ArrayList<>();
        for (ExportMetricsServiceRequest r : metrics) {
            r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList()
                    .forEach(m -> out.add(new ResourceMetric(rm.getResource(), sm.getScope().getName(), m)))));
        }
        return out;
    }

    List<ResourceLog> logs() {
        List<ResourceLog> out = new ArrayList<>();
        for (ExportLogsServiceRequest r : logs) {
            r.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList()
                    .forEach(l -> out.add(new ResourceLog(rl.getResource(), sl.getScope().getName(), l)))));
        }
        return out;
    }

    /** Polls until {@code items} has an element matching {@code p}, or fails after the timeout. */
    static <T> List<T> await(Supplier<List<T>> items, Predicate<T> p, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> all = items.get();
            if (all.stream().anyMatch(p)) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + "; got " + all.size() + " items");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static String attr(List<KeyValue> attrs, String key) {
        for (KeyValue kv : attrs) {
            if (kv.getKey().equals(key)) {
                return render(kv.getValue());
            }
        }
        return null;
    }

    static Map<String, String> attrs(List<KeyValue> attrs) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        attrs.forEach(kv -> out.put(kv.getKey(), render(kv.getValue())));
        return out;
    }

    private static String render(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> String.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(v.getDoubleValue());
            case BOOL_VALUE -> String.valueOf(v.getBoolValue());
            default -> v.toString();
        };
    }

    static String hex(ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }

    @Override
    public void close() {
        // Not joined: the future also waits out the event loops' quiet period, seconds per test.
        server.stop();
    }
}
