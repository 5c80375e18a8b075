package io.mantis.collector.receiver.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.mantis.collector.Signal;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Traces;
import io.mantis.collector.obs.ReceiverObs;
import io.mantis.common.metrics.MetricRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/** The OTLP/gRPC services: one per signal that some pipeline takes from this receiver. */
final class OtlpGrpcServices {
    private OtlpGrpcServices() {
    }

    static final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {
        private final TelemetryConsumer<Traces> next;
        private final ReceiverObs obs;

        TraceService(TelemetryConsumer<Traces> next, MetricRegistry registry, String receiver) {
            this.next = next;
            this.obs = new ReceiverObs(registry, Signal.TRACES, receiver, "grpc");
        }

        @Override
        public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
            ExportOutcome o = ExportOutcome.push(next, Traces.of(request), obs);
            if (o.failed()) {
                out.onError(StatusProto.toStatusRuntimeException(status(o.error())));
                return;
            }
            out.onNext(OtlpSignals.TRACES.respond(o));
            out.onCompleted();
        }
    }

    static final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
        private final TelemetryConsumer<Metrics> next;
        private final ReceiverObs obs;

        MetricsService(TelemetryConsumer<Metrics> next, MetricRegistry registry, String receiver) {
            this.next = next;
            this.obs = new ReceiverObs(registry, Signal.METRICS, receiver, "grpc");
        }

        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> out) {
            ExportOutcome o = ExportOutcome.push(next, Metrics.of(request), obs);
            if (o.failed()) {
                out.onError(StatusProto.toStatusRuntimeException(status(o.error())));
                return;
            }
            out.onNext(OtlpSignals.METRICS.respond(o));
            out.onCompleted();
        }
    }

    static final class LogsService extends LogsServiceGrpc.LogsServiceImplBase {
        private final TelemetryConsumer<Logs> next;
        private final ReceiverObs obs;

        LogsService(TelemetryConsumer<Logs> next, MetricRegistry registry, String receiver) {
            this.next = next;
            this.obs = new ReceiverObs(registry, Signal.LOGS, receiver, "grpc");
        }

        @Override
        public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> out) {
            ExportOutcome o = ExportOutcome.push(next, Logs.of(request), obs);
            if (o.failed()) {
                out.onError(StatusProto.toStatusRuntimeException(status(o.error())));
                return;
            }
            out.onNext(OtlpSignals.LOGS.respond(o));
            out.onCompleted();
        }
    }

    /**
     * OTLP's error mapping: retryable refusals become RESOURCE_EXHAUSTED with RetryInfo when a
     * delay is known (the client must back off) or UNAVAILABLE otherwise; permanent ones
     * INVALID_ARGUMENT, which clients must not retry.
     */
    static Status status(ConsumeException e) {
        Status.Builder s = Status.newBuilder().setMessage(e.getMessage() == null ? "" : e.getMessage());
        if (e.permanent()) {
            return s.setCode(Code.INVALID_ARGUMENT_VALUE).build();
        }
        if (e.retryAfter() == null) {
            return s.setCode(Code.UNAVAILABLE_VALUE).build();
        }
        java.time.Duration d = e.retryAfter();
        RetryInfo info = RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder()
                .setSeconds(d.getSeconds()).setNanos(d.getNano())).build();
        return s.setCode(Code.RESOURCE_EXHAUSTED_VALUE).addDetails(Any.pack(info)).build();
    }
}
