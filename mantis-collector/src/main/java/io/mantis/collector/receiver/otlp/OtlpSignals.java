package io.mantis.collector.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.mantis.collector.Signal;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.mantis.otlp.json.OtlpJson;
import io.mantis.otlp.json.OtlpJsonException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.function.Function;

/** What differs between the three OTLP signals on the wire, so transports handle them alike. */
final class OtlpSignals {
    private OtlpSignals() {
    }

    interface ProtoParser<Q> {
        Q parse(byte[] body) throws InvalidProtocolBufferException;
    }

    interface JsonParser<Q> {
        Q parse(byte[] body) throws OtlpJsonException;
    }

    interface ResponseBuilder<R> {
        /** The export response, with a partial success when {@code message} is not null. */
        R build(long rejected, String message);
    }

    /**
     * @param <Q> the export request
     * @param <T> the pipeline batch
     * @param <R> the export response
     */
    record Codec<Q extends Message, T extends Telemetry, R extends Message>(Signal signal, ProtoParser<Q> proto,
                                                                          JsonParser<Q> json, Function<Q, T> batch,
                                                                          ResponseBuilder<R> response) {
        /** The answer to a push that did not fail: plain success or a partial success. */
        R respond(ExportOutcome o) {
            boolean partial = o.rejected() > 0 || !o.message().isEmpty();
            return response.build(o.rejected(), partial ? o.message() : null);
        }
    }

    static final Codec<ExportTraceServiceRequest, Traces, ExportTraceServiceResponse> TRACES = new Codec<>(
            Signal.TRACES, ExportTraceServiceRequest::parseFrom, OtlpJson::parseTraces, Traces::of,
            (rejected, message) -> {
                ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
                if (message != null) {
                    b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
                            .setErrorMessage(message));
                }
                return b.build();
            });

    static final Codec<ExportMetricsServiceRequest, Metrics, ExportMetricsServiceResponse> METRICS = new Codec<>(
            Signal.METRICS, ExportMetricsServiceRequest::parseFrom, OtlpJson::parseMetrics, Metrics::of,
            (rejected, message) -> {
                ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
                if (message != null) {
                    b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected)
                            .setErrorMessage(message));
                }
                return b.build();
            });

    static final Codec<ExportLogsServiceRequest, Logs, ExportLogsServiceResponse> LOGS = new Codec<>(
            Signal.LOGS, ExportLogsServiceRequest::parseFrom, OtlpJson::parseLogs, Logs::of,
            (rejected, message) -> {
                ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
                if (message != null) {
                    b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected)
                            .setErrorMessage(message));
                }
                return b.build();
            });
}
