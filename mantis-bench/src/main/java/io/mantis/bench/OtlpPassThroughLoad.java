package io.mantis.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
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
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end load run of the collector's pass-through path, as the OpenTelemetry Collector's
 * testbed measures it: a load generator sends OTLP/gRPC to a Mantis collector process (otlp
 * receiver → batch → otlp exporter) pinned to one core, which forwards to a counting sink.
 *
 * <pre>
 * ./mvnw -q package -DskipTests
 * taskset -c 1 java -cp mantis-bench/target/mantis-bench.jar io.mantis.bench.OtlpPassThroughLoad \
 *     --signal traces --rate 10000 --seconds 30
 * </pre>
 *
 * {@code --jfr FILE} records a JDK Flight Recorder profile of the collector.
 * {@code --rate 0} finds the maximum: the generator keeps {@code --inflight} requests outstanding.
 * Prints items/s received by the sink and the collector's CPU use (% of one core) over the
 * measured window, read from /proc.
 */
public final class OtlpPassThroughLoad {
    private OtlpPassThroughLoad() {
    }

    public static void main(String[] args) throws Exception {
        String signal = "traces";
        int rate = 10_000;
        int seconds = 30;
        int warmup = 10;
        int batch = 100;
        int inflight = 16;
        String jar = "mantis-server/target/mantis.jar";
        String core = "0";
        String jfr = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--signal" -> signal = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--inflight" -> inflight = Integer.parseInt(args[++i]);
                case "--jar" -> jar = args[++i];
                case "--core" -> core = args[++i];
                case "--jfr" -> jfr = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        AtomicLong sunk = new AtomicLong();
        Server sink = sink(sunk);
        int receiverPort = freePort();
        Path dir = Files.createTempDirectory("mantis-bench");
        Path cfg = dir.resolve("bench.yaml");
        Files.writeString(cfg, """
                server:
                  shutdown_timeout: 10s
                collector:
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: 127.0.0.1:%d
                  processors:
                    batch:
                  exporters:
                    otlp:
                      endpoint: 127.0.0.1:%d
                      tls: {insecure: true}
                      compression: none
                  extensions:
                    health_check:
                      endpoint: 127.0.0.1:0
                  service:
                    extensions: [health_check]
                    pipelines:
                      %s:
                        receivers: [otlp]
                        processors: [batch]
                        exporters: [otlp]
                    telemetry:
                      logs: {level: warn}
                      metrics: {address: 127.0.0.1:0}
                """.formatted(receiverPort, sink.activeLocalPort(), signal));

        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/taskset")) && !core.isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", core));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:ActiveProcessorCount=1"));
        if (jfr != null) {
            // A CPU profile of the collector for the whole run, to see where the time goes.
            cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        cmd.addAll(List.of("-jar", jar, "collector", "--config", cfg.toString(),
                "--data-dir", dir.resolve("data").toString()));
        Process collector = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // Not closed here: a drain thread reads it until the collector exits.
        BufferedReader out = new BufferedReader(new InputStreamReader(collector.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null && !line.contains("ready in")) {
                // wait for the start-up table
            }
            if (line == null) {
                throw new IllegalStateException("collector exited before it was ready");
            }
            System.out.println("collector: " + line.trim());
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty
                    }
                } catch (IOException ignored) {
                    // exited
                }
            });
            drain.setDaemon(true);
            drain.start();

            Generator gen = new Generator(signal, receiverPort, batch, inflight);
            Thread load = new Thread(() -> gen.run(0, Long.MAX_VALUE), "load");
            gen.rate = rate;
            load.setDaemon(true);
            load.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));

            long cpu0 = cpuTicks(collector.pid());
            long sunk0 = sunk.get();
            long sent0 = gen.sent.get();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long cpu1 = cpuTicks(collector.pid());
            long sunk1 = sunk.get();
            long sent1 = gen.sent.get();
            double wall = (System.nanoTime() - t0) / 1e9;
            gen.stop = true;

            double cpuSeconds = (cpu1 - cpu0) / 100.0; // USER_HZ is 100 on Linux
            double itemsPerSec = (sunk1 - sunk0) / wall;
            System.out.printf(Locale.ROOT, "signal=%s target_rate=%s batch=%d sent=%.0f/s received_by_sink=%.0f/s "
                            + "collector_cpu=%.1f%% of one core, cpu_per_million_items=%.2fs, refused_requests=%d%n",
                    signal, rate == 0 ? "max" : Integer.toString(rate), batch, (sent1 - sent0) / wall, itemsPerSec,
                    100 * cpuSeconds / wall, itemsPerSec == 0 ? 0 : cpuSeconds / ((sunk1 - sunk0) / 1e6),
                    gen.refused.get());
        } finally {
            collector.toHandle().destroy();
            collector.waitFor(30, TimeUnit.SECONDS);
            sink.stop().join();
        }
        System.exit(0);
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A counting OTLP/gRPC endpoint standing for the backend. */
    private static Server sink(AtomicLong count) {
        Server s = Server.builder().http(0).service(GrpcService.builder()
                .addService(new TraceServiceGrpc.TraceServiceImplBase() {
                    @Override
                    public void export(ExportTraceServiceRequest r, StreamObserver<ExportTraceServiceResponse> o) {
                        long n = 0;
                        for (ResourceSpans rs : r.getResourceSpansList()) {
                            for (ScopeSpans ss : rs.getScopeSpansList()) {
                                n += ss.getSpansCount();
                            }
                        }
                        count.addAndGet(n);
                        o.onNext(ExportTraceServiceResponse.getDefaultInstance());
                        o.onCompleted();
                    }
                })
                .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
                    @Override
                    public void export(ExportMetricsServiceRequest r, StreamObserver<ExportMetricsServiceResponse> o) {
                        long n = 0;
                        for (ResourceMetrics rm : r.getResourceMetricsList()) {
                            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                                for (Metric m : sm.getMetricsList()) {
                                    n += m.getGauge().getDataPointsCount();
                                }
                            }
                        }
                        count.addAndGet(n);
                        o.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                        o.onCompleted();
                    }
                })
                .addService(new LogsServiceGrpc.LogsServiceImplBase() {
                    @Override
                    public void export(ExportLogsServiceRequest r, StreamObserver<ExportLogsServiceResponse> o) {
                        long n = 0;
                        for (ResourceLogs rl : r.getResourceLogsList()) {
                            for (ScopeLogs sl : rl.getScopeLogsList()) {
                                n += sl.getLogRecordsCount();
                            }
                        }
                        count.addAndGet(n);
                        o.onNext(ExportLogsServiceResponse.getDefaultInstance());
                        o.onCompleted();
                    }
                }).build()).build();
        s.start().join();
        return s;
    }

    /** Sends pre-built requests at a rate (items/s) or as fast as {@code inflight} allows. */
    private static final class Generator {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        volatile boolean stop;
        volatile int rate;
        private final String signal;
        private final int batch;
        private final Semaphore window;
        private final TraceServiceGrpc.TraceServiceFutureStub traces;
        private final MetricsServiceGrpc.MetricsServiceFutureStub metrics;
        private final LogsServiceGrpc.LogsServiceFutureStub logs;
        private final List<Object> requests = new ArrayList<>();

        Generator(String signal, int port, int batch, int inflight) {
            this.signal = signal;
            this.batch = batch;
            this.window = new Semaphore(inflight);
            String uri = "http://127.0.0.1:" + port;
            traces = GrpcClients.builder(uri).build(TraceServiceGrpc.TraceServiceFutureStub.class);
            metrics = GrpcClients.builder(uri).build(MetricsServiceGrpc.MetricsServiceFutureStub.class);
            logs = GrpcClients.builder(uri).build(LogsServiceGrpc.LogsServiceFutureStub.class);
            Random rnd = new Random(42);
            for (int i = 0; i < 64; i++) {
                requests.add(switch (signal) {
                    case "traces" -> spans(rnd, batch);
                    case "metrics" -> points(rnd, batch);
                    case "logs" -> logs(rnd, batch);
                    default -> throw new IllegalArgumentException("signal must be traces, metrics or logs");
                });
            }
        }

        void run(long unused, long until) {
            long next = System.nanoTime();
            int i = 0;
            while (!stop) {
                int r = rate;
                if (r > 0) {
                    next += (long) (1e9 * batch / r);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                try {
                    window.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                Object req = requests.get(i++ & 63);
                ListenableFuture<?> f = switch (signal) {
                    case "traces" -> traces.export((ExportTraceServiceRequest) req);
                    case "metrics" -> metrics.export((ExportMetricsServiceRequest) req);
                    default -> logs.export((ExportLogsServiceRequest) req);
                };
                f.addListener(() -> {
                    window.release();
                    try {
                        f.get();
                        sent.addAndGet(batch);
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }, Runnable::run);
            }
        }

        private static Resource resource() {
            return Resource.newBuilder().addAttributes(kv("service.name", "checkout"))
                    .addAttributes(kv("service.version", "1.4.2")).addAttributes(kv("host.name", "web-7"))
                    .addAttributes(kv("telemetry.sdk.language", "java")).build();
        }

        private static ExportTraceServiceRequest spans(Random rnd, int n) {
            ScopeSpans.Builder ss = ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.armeria").setVersion("2.0"));
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            for (int i = 0; i < n; i++) {
                rnd.nextBytes(trace);
                rnd.nextBytes(span);
                long start = 1_700_000_000_000_000_000L + rnd.nextInt(1_000_000_000);
                ss.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
                        .setName("GET /api/users/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + rnd.nextInt(50_000_000))
                        .addAttributes(kv("http.request.method", "GET"))
                        .addAttributes(kv("http.route", "/api/users/{id}"))
                        .addAttributes(kv("url.path", "/api/users/" + rnd.nextInt(10_000)))
                        .addAttributes(kv("server.address", "web-7"))
                        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                                .setValue(AnyValue.newBuilder().setIntValue(200)))
                        .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"))
                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET)));
            }
            return ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(ss)).build();
        }

        private static ExportMetricsServiceRequest points(Random rnd, int n) {
            Gauge.Builder g = Gauge.newBuilder();
            for (int i = 0; i < n; i++) {
                g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L)
                        .setAsDouble(rnd.nextDouble() * 100).addAttributes(kv("cpu", Integer.toString(i % 16)))
                        .addAttributes(kv("mode", i % 2 == 0 ? "user" : "system")));
            }
            return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                    .setResource(resource()).addScopeMetrics(ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("system.cpu.utilization").setUnit("1")
                                    .setGauge(g)))).build();
        }

        private static ExportLogsServiceRequest logs(Random rnd, int n) {
            ScopeLogs.Builder sl = ScopeLogs.newBuilder();
            for (int i = 0; i < n; i++) {
                sl.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L + i)
                        .setSeverityNumberValue(9).setSeverityText("INFO")
                        .setBody(AnyValue.newBuilder().setStringValue("GET /api/users/" + rnd.nextInt(10_000)
                                + " 200 " + rnd.nextInt(80) + "ms"))
                        .addAttributes(kv("logger", "io.mantis.demo.Users")));
            }
            return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                    .setResource(resource()).addScopeLogs(sl)).build();
        }

        private static KeyValue kv(String k, String v) {
            return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
        }
    }
}
