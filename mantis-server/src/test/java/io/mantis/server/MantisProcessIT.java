package io.mantis.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code mantis.jar} as a child process, the way a user does, and stops it with
 * SIGTERM.
 */
class MantisProcessIT {
    private static final Path JAR = Path.of("target", "mantis.jar");
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");
    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/\\S*)?");

    @TempDir
    Path dir;

    private Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final List<Thread> pumps = new ArrayList<>();

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private Process start(String... args) throws IOException {
        return start(List.of(), args);
    }

    private Process start(List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // as ./mantis does
        }
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).start();
        pumps.add(pump(process.getInputStream(), line -> stdout.add(line)));
        pumps.add(pump(process.getErrorStream(), line -> stderr.append(line).append('\n')));
        return process;
    }

    /** Waits for the process to exit and for its output to be read to the end. */
    private boolean exited() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            return false;
        }
        for (Thread t : pumps) {
            t.join(5_000);
        }
        return true;
    }

    private static Thread pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Path config() throws IOException {
        Path f = dir.resolve("mantis.yaml");
        Files.writeString(f, """
                server:
                  shutdown_timeout: 10s
                metrics:
                  endpoint: 127.0.0.1:0
                collector:
                  extensions:
                    health_check:
                      endpoint: 127.0.0.1:0
                  service:
                    extensions: [health_check]
                    telemetry:
                      metrics:
                        address: 127.0.0.1:0
                """);
        return f;
    }

    /** Reads the start-up table; returns the URLs it lists. */
    private List<String> awaitTable() throws InterruptedException {
        List<String> urls = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean sawReady = false;
        while (System.nanoTime() < deadline) {
            String line = stdout.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive()) {
                    throw new AssertionError("mantis exited with " + process.exitValue() + ":\n" + stderr);
                }
                if (sawReady && stdout.isEmpty()) {
                    return urls;
                }
                continue;
            }
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                sawReady = true;
                System.out.println("mantis.jar start-up: " + line);
            }
            Matcher url = URL.matcher(line);
            if (url.find()) {
                urls.add(url.group());
            }
            if (line.contains("not built yet")) {
                return urls;
            }
        }
        throw new AssertionError("no start-up table within 60 s; stderr:\n" + stderr);
    }

    @Test
    void allStartsAnswersAndStopsCleanlyOnSigterm() throws Exception {
        Path classes = dir.resolve("classes.txt");
        start(List.of("-Xlog:class+load=info:file=" + classes), "all", "--config", config().toString(),
                "--data-dir", dir.resolve("data").toString());
        List<String> urls = awaitTable();
        String readyUrl = urls.stream().filter(u -> u.endsWith("/ready")).findFirst().orElseThrow();
        String metricsUrl = urls.stream().filter(u -> u.endsWith("/metrics")).findFirst().orElseThrow();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(readyUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("mantis_startup_seconds").contains("process_cpu_seconds_total");

        // SIGTERM. Process.destroy() would also close our ends of its pipes and lose its last words.
        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(exited()).as("exited after SIGTERM").isTrue();
        assertThat(process.exitValue()).as("exit status; stderr:\n" + stderr).isZero();
        assertThat(stderr.toString()).as("stderr; rest of stdout: " + stdout).contains("stopped cleanly").doesNotContain("WARN");
        assertThat(Files.exists(dir.resolve("data").resolve("mantis.lock"))).isTrue();
        // With the demo off, its OpenTelemetry SDK is never loaded: it costs the start-up nothing.
        assertThat(Files.readString(classes)).contains("io.mantis.server.Main")
                .doesNotContain("io.opentelemetry.sdk.").doesNotContain("io.mantis.demo.DemoService");
    }

    private Path demoConfig(String demoExtra) throws IOException {
        Path f = dir.resolve("demo.yaml");
        Files.writeString(f, """
                server:
                  shutdown_timeout: 10s
                collector:
                  receivers:
                    otlp:
                      protocols:
                        grpc: {endpoint: "127.0.0.1:0"}
                  processors:
                    batch: {timeout: 100ms}
                  exporters:
                    debug:
                  extensions:
                    health_check: {endpoint: "127.0.0.1:0"}
                  service:
                    extensions: [health_check]
                    pipelines:
                      traces: {receivers: [otlp], processors: [batch], exporters: [debug]}
                      metrics: {receivers: [otlp], processors: [batch], exporters: [debug]}
                      logs: {receivers: [otlp], processors: [batch], exporters: [debug]}
                    telemetry:
                      metrics:
                        address: 127.0.0.1:0
                demo:
                  endpoint: 127.0.0.1:0
                  inventory_port: 0
                  payments_port: 0
                  metric_export_interval: 1s
                """ + demoExtra);
        return f;
    }

    @Test
    void allWithTheDemoFeedsTheCollectorAndStopsCleanly() throws Exception {
        start("all", "--demo", "--config", demoConfig("").toString(), "--data-dir", dir.resolve("data").toString());
        List<String> urls = awaitTable();
        String orders = urls.stream().filter(u -> u.endsWith("/api/orders")).findFirst().orElseThrow();
        String metrics = urls.stream().filter(u -> u.endsWith("/metrics")).findFirst().orElseThrow();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> order = http.send(HttpRequest.newBuilder(URI.create(orders)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(order.statusCode()).as(order.body()).isIn(200, 402, 409, 502);
        assertThat(order.body()).contains("\"order_id\":\"ord-");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Pattern accepted = Pattern.compile("otelcol_receiver_accepted_(spans|log_records|metric_points)_total"
                + "\\{receiver=\"otlp\",transport=\"grpc\"} [1-9]");
        String body = "";
        while (System.nanoTime() < deadline && accepted.matcher(body).results().map(m -> m.group(1)).distinct().count() < 3) {
            Thread.sleep(200);
            body = http.send(HttpRequest.newBuilder(URI.create(metrics)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
        assertThat(accepted.matcher(body).results().map(m -> m.group(1)).distinct())
                .as("the collector took the demo's spans, logs and metrics").hasSize(3);

        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("stopped cleanly").doesNotContain("ERROR")
                .doesNotContain("io.mantis.demo.app");
        assertThat(String.join("\n", stdout)).contains("demo load done: ");
    }

    @Test
    void theDemoAloneWithALoadDurationExitsByItself() throws Exception {
        // No collector at all: exports fail, and the run still ends on time and cleanly.
        Path cfg = demoConfig("""
                  otlp: {endpoint: "http://127.0.0.1:9", timeout: 500ms}
                """);
        start("demo", "--load", "20", "--duration", "1s", "--config", cfg.toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).as(stderr.toString()).isZero();
        assertThat(String.join("\n", stdout)).contains("Mantis ").contains("(demo) ready in")
                .contains("demo load done: ");
        assertThat(stderr.toString()).contains("stopped cleanly");
    }

    @Test
    void collectorRoleTakesOtlpJsonOverHttpAndCountsIt() throws Exception {
        Path cfg = dir.resolve("collector.yaml");
        Files.writeString(cfg, """
                collector:
                  receivers:
                    otlp:
                      protocols:
                        http:
                          endpoint: 127.0.0.1:0
                  processors:
                    batch:
                      timeout: 10ms
                  exporters:
                    debug:
                  extensions:
                    health_check:
                      endpoint: 127.0.0.1:0
                  service:
                    extensions: [health_check]
                    pipelines:
                      traces: {receivers: [otlp], processors: [batch], exporters: [debug]}
                    telemetry:
                      metrics:
                        address: 127.0.0.1:0
                """);
        start("collector", "--config", cfg.toString(), "--data-dir", dir.resolve("data").toString());
        List<String> urls = awaitTable();
        String traces = urls.stream().filter(u -> u.endsWith("/v1/traces")).findFirst().orElseThrow();
        String metrics = urls.stream().filter(u -> u.endsWith("/metrics")).findFirst().orElseThrow();

        String json = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"it"}}]},
                 "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                 "name":"GET /","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"}]}]}]}
                """;
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(traces))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        String series = "otelcol_exporter_sent_spans_total{exporter=\"debug\"} 1";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String body;
        do {
            body = http.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } while (!body.contains(series) && System.nanoTime() < deadline);
        assertThat(body).contains(series)
                .contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"} 1");

        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("Traces {\"otelcol.component.id\": \"debug\"");
    }

    @Test
    void aRoleNotBuiltYetExitsNonZero() throws Exception {
        start("logs");
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(stderr.toString()).contains("is not built yet");
    }

    @Test
    void badConfigExitsOneBeforeListening() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "server:\n  hots: 0.0.0.0\n");
        start("all", "--config", bad.toString());
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(stderr.toString()).contains("bad.yaml:2:3: server.hots: unknown key 'hots' in 'server'").contains("did you mean 'host'?");
    }

    @Test
    void versionAndHelpWork() throws Exception {
        start("--version");
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).isZero();
        String first = stdout.poll(5, TimeUnit.SECONDS);
        assertThat(first).startsWith("mantis 0.");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void builtInConfigListensOnTheSeedPorts() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(free(8888) && free(8889) && free(4317) && free(4318),
                "one of the ports 8888, 8889, 4317, 4318 is in use on this machine");
        start("all", "--data-dir", dir.resolve("data").toString());
        List<String> urls = awaitTable();
        assertThat(urls).anyMatch(u -> u.contains(":8889/")).anyMatch(u -> u.contains(":8888/"))
                .anyMatch(u -> u.contains(":4317")).anyMatch(u -> u.contains(":4318/"));
        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(exited()).isTrue();
        assertThat(process.exitValue()).isZero();
    }
}
