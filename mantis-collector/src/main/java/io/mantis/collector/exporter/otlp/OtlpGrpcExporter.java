package io.mantis.collector.exporter.otlp;

import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.exporter.helper.BaseExporter;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends to any OTLP/gRPC endpoint: another Mantis, an OpenTelemetry Collector, Tempo. */
final class OtlpGrpcExporter extends BaseExporter {
    private static final Logger log = LoggerFactory.getLogger(OtlpGrpcExporter.class);

    private final OtlpExporterConfig config;
    private ClientFactory clientFactory;
    private TraceServiceGrpc.TraceServiceBlockingStub traces;
    private MetricsServiceGrpc.MetricsServiceBlockingStub metrics;
    private LogsServiceGrpc.LogsServiceBlockingStub logs;

    OtlpGrpcExporter(ComponentSettings settings, OtlpExporterConfig config, Set<Signal> signals) {
        super(settings, signals, config.sendingQueue(), config.retryOnFailure());
        this.config = config;
    }

    @Override
    protected void startClient() {
        clientFactory = config.tls().insecureSkipVerify() ? ClientFactory.builder().tlsNoVerify().build()
                : ClientFactory.builder().build();
        GrpcClientBuilder b = GrpcClients.builder(config.uri())
                .factory(clientFactory)
                .responseTimeout(config.timeout())
                .maxResponseLength(64L * 1024 * 1024);
        for (Map.Entry<String, String> h : config.headers().entrySet()) {
            b.addHeader(h.getKey(), h.getValue());
        }
        traces = b.build(TraceServiceGrpc.TraceServiceBlockingStub.class);
        metrics = b.build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
        logs = b.build(LogsServiceGrpc.LogsServiceBlockingStub.class);
        if (config.compression().equals("gzip")) {
            traces = traces.withCompression("gzip");
            metrics = metrics.withCompression("gzip");
            logs = logs.withCompression("gzip");
        }
    }

    @Override
    protected void stopClient() {
        if (clientFactory != null) {
            clientFactory.close();
        }
    }

    @Override
    protected void send(Telemetry batch) throws ConsumeException {
        long deadline = config.timeout().toMillis();
        try {
            switch (batch) {
                case Traces t -> {
                    ExportTraceServiceResponse r = traces.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                            .export(t.request());
                    if (r.hasPartialSuccess()) {
                        partial(r.getPartialSuccess().getRejectedSpans(), r.getPartialSuccess().getErrorMessage());
                    }
                }
                case Metrics m -> {
                    ExportMetricsServiceResponse r = metrics.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                            .export(m.request());
                    if (r.hasPartialSuccess()) {
                        partial(r.getPartialSuccess().getRejectedDataPoints(), r.getPartialSuccess().getErrorMessage());
                    }
                }
                case Logs l -> {
                    ExportLogsServiceResponse r = logs.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                            .export(l.request());
                    if (r.hasPartialSuccess()) {
                        partial(r.getPartialSuccess().getRejectedLogRecords(), r.getPartialSuccess().getErrorMessage());
                    }
                }
            }
        } catch (StatusRuntimeException e) {
            throw classify(e);
        } catch (RuntimeException e) {
            throw ConsumeException.retryable("sending to " + config.endpoint() + " failed: " + e, null, e);
        }
    }

    private void partial(long rejected, String message) {
        if (rejected > 0 || !message.isEmpty()) {
            log.warn("{}: {} rejected {} items: {}", id(), config.endpoint(), rejected, message);
        }
    }

    /** OTLP's retry rules for gRPC status codes. */
    static ConsumeException classify(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String msg = "export failed with " + code + (e.getStatus().getDescription() == null ? ""
                : ": " + e.getStatus().getDescription());
        Duration retryAfter = retryDelay(e);
        return switch (code) {
            case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS ->
                    ConsumeException.retryable(msg, retryAfter, e);
            case RESOURCE_EXHAUSTED -> retryAfter != null ? ConsumeException.retryable(msg, retryAfter, e)
                    : ConsumeException.permanent(msg, e);
            default -> ConsumeException.permanent(msg, e);
        };
    }

    private static Duration retryDelay(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        if (s == null) {
            return null;
        }
        for (com.google.protobuf.Any any : s.getDetailsList()) {
            if (any.is(RetryInfo.class)) {
                try {
                    com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
                    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
                } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                    return null;
                }
            }
        }
        return null;
    }
}
