package io.mantis.collector.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.mantis.collector.component.CollectorComponent;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Consumers;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.obs.ReceiverObs;
import io.mantis.common.config.Endpoint;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.otlp.json.OtlpJsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The {@code otlp} receiver: OTLP/gRPC and OTLP/HTTP listeners feeding the pipelines. */
final class OtlpReceiver implements CollectorComponent, HasListeners {
    static final int GRPC_PORT = 4317;
    /** gzip (built into gRPC) and zstd request compression, as the collector accepts. */
    private static final io.grpc.DecompressorRegistry DECOMPRESSORS =
            io.grpc.DecompressorRegistry.getDefaultInstance().with(ZstdCodec.INSTANCE, true);
    static final int HTTP_PORT = 4318;

    private final String id;
    private final List<HttpListener> listeners = new ArrayList<>();

    OtlpReceiver(ComponentSettings s, OtlpReceiverConfig.Grpc grpc, OtlpReceiverConfig.Http http, Consumers next) {
        this.id = s.lifecycleId();
        String receiver = s.id().toString();
        if (grpc != null) {
            Endpoint e = grpc.endpoint() != null ? grpc.endpoint() : new Endpoint(s.defaultHost(), GRPC_PORT);
            GrpcServiceBuilder gb = GrpcService.builder()
                    .maxRequestMessageLength(grpc.maxRecvMsgSizeMib() * 1024 * 1024)
                    // Consumers that may block (a synchronous exporter) must not run on the event
                    // loop; a pipeline that starts with a batch processor only appends, and saves
                    // the hand-off to the worker pool.
                    .useBlockingTaskExecutor(next.mayBlock())
                    .decompressorRegistry(DECOMPRESSORS);
            if (next.traces() != null) {
                gb.addService(new OtlpGrpcServices.TraceService(next.traces(), s.registry(), receiver));
            }
            if (next.metrics() != null) {
                gb.addService(new OtlpGrpcServices.MetricsService(next.metrics(), s.registry(), receiver));
            }
            if (next.logs() != null) {
                gb.addService(new OtlpGrpcServices.LogsService(next.logs(), s.registry(), receiver));
            }
            GrpcService service = gb.build();
            listeners.add(HttpListener.builder(id + "/grpc", e.host(), e.port())
                    .purpose("OTLP/gRPC receiver (" + receiver + ")")
                    .urlPath("")
                    .routes(sb -> {
                        sb.maxRequestLength((long) grpc.maxRecvMsgSizeMib() * 1024 * 1024 + 1024);
                        sb.service(service);
                    })
                    .build());
        }
        if (http != null) {
            Endpoint e = http.endpoint() != null ? http.endpoint() : new Endpoint(s.defaultHost(), HTTP_PORT);
            listeners.add(HttpListener.builder(id + "/http", e.host(), e.port())
                    .purpose("OTLP/HTTP receiver (" + receiver + ")")
                    .urlPath(http.tracesUrlPath())
                    .routes(sb -> {
                        // The raw body may be compressed; the decoded size is checked separately.
                        sb.maxRequestLength(http.maxRequestBodySize());
                        addHttp(sb, s, receiver, http, next);
                        cors(sb, http.cors());
                    })
                    .build());
        }
    }

    private static void addHttp(ServerBuilder sb, ComponentSettings s, String receiver, OtlpReceiverConfig.Http http,
                                Consumers next) {
        addHttp(sb, http.tracesUrlPath(), OtlpSignals.TRACES, next.traces(), s, receiver, http.maxRequestBodySize());
        addHttp(sb, http.metricsUrlPath(), OtlpSignals.METRICS, next.metrics(), s, receiver,
                http.maxRequestBodySize());
        addHttp(sb, http.logsUrlPath(), OtlpSignals.LOGS, next.logs(), s, receiver, http.maxRequestBodySize());
    }

    /** One signal's endpoint, when some pipeline of that signal takes from this receiver. */
    private static <Q extends Message, T extends Telemetry, R extends Message> void addHttp(
            ServerBuilder sb, String path, OtlpSignals.Codec<Q, T, R> codec, TelemetryConsumer<T> consumer,
            ComponentSettings s, String receiver, long maxBodySize) {
        if (consumer == null) {
            return;
        }
        ReceiverObs obs = new ReceiverObs(s.registry(), codec.signal(), receiver, "http");
        sb.service(path, new OtlpHttpService(consumer.mayBlock(), new OtlpHttpService.Handler() {
            @Override
            public Message parseProto(byte[] body) throws InvalidProtocolBufferException {
                return codec.proto().parse(body);
            }

            @Override
            public Message parseJson(byte[] body) throws OtlpJsonException {
                return codec.json().parse(body);
            }

            @Override
            @SuppressWarnings("unchecked")
            public OtlpHttpService.Result export(Message request) {
                ExportOutcome o = ExportOutcome.push(consumer, codec.batch().apply((Q) request), obs);
                return new OtlpHttpService.Result(o, codec.respond(o));
            }
        }, maxBodySize));
    }

    /** Browser senders need CORS; origins may use '*' as a wildcard, as in the collector. */
    private static void cors(ServerBuilder sb, OtlpReceiverConfig.Cors cors) {
        if (cors.allowedOrigins().isEmpty()) {
            return;
        }
        CorsServiceBuilder cb;
        if (cors.allowedOrigins().contains("*")) {
            cb = CorsService.builderForAnyOrigin();
        } else {
            List<Pattern> patterns = cors.allowedOrigins().stream()
                    .map(o -> Pattern.compile(Pattern.quote(o).replace("*", "\\E.*\\Q"))).toList();
            Predicate<String> allowed = origin -> patterns.stream().anyMatch(p -> p.matcher(origin).matches());
            cb = CorsService.builder(allowed);
        }
        List<String> headers = new ArrayList<>(List.of("content-type", "content-encoding", "x-requested-with",
                "accept", "accept-encoding"));
        headers.addAll(cors.allowedHeaders());
        cb.allowRequestMethods(HttpMethod.POST, HttpMethod.OPTIONS).allowRequestHeaders(headers)
                .allowNullOrigin();
        if (cors.maxAge() > 0) {
            cb.maxAge(cors.maxAge());
        }
        sb.decorator(cb.newDecorator());
    }

    @Override
    public String id() {
        return id;
    }

    /** The listeners, for the start-up table and tests (ports are valid after start). */
    @Override
    public List<HttpListener> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public void start() throws Exception {
        List<HttpListener> started = new ArrayList<>();
        try {
            for (HttpListener l : listeners) {
                l.start();
                started.add(l);
            }
        } catch (RuntimeException e) {
            for (HttpListener l : started) {
                l.stop();
            }
            throw e;
        }
    }

    @Override
    public void stop() throws Exception {
        for (HttpListener l : listeners) {
            l.stop();
        }
    }

    @Override
    public boolean isReady() {
        return listeners.stream().allMatch(HttpListener::isReady);
    }
}
