package io.mantis.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real peer (Prometheus, VictoriaMetrics, Alertmanager, ...) started from its installed binary
 * on loopback for an integration test, with its output in a log file beside its data, so a
 * failing test can show what the peer said.
 */
public final class PeerProcess implements AutoCloseable {
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final String base;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PeerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
        this.log = log;
    }

    /**
     * Starts {@code command} in {@code dir} and waits until {@code readyPath} answers 200.
     *
     * @throws IllegalStateException with the end of the peer's log when it exits or is not ready in time
     */
    public static PeerProcess start(String name, int port, Path dir, String readyPath, List<String> command)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        PeerProcess peer = new PeerProcess(name, p, port, log);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + ":\n" + peer.logTail());
            }
            try {
                if (peer.request("GET", readyPath, null, Map.of()).statusCode() == 200) {
                    return peer;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        peer.close();
        throw new IllegalStateException(name + " not ready within " + STARTUP_TIMEOUT + ":\n" + peer.logTail());
    }

    /**
     * Prometheus from {@code binary} with the remote-write receiver, native histograms and exemplar
     * storage on, and no scrape jobs (everything it stores comes from the test).
     */
    public static PeerProcess prometheus(Path binary, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\n");
        int port = freePort();
        return start("prometheus", port, dir, "/-/ready", List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                "--enable-feature=native-histograms,exemplar-storage"));
    }

    /** VictoriaMetrics (single node) from {@code binary}, with query caching and latency offset off. */
    public static PeerProcess victoriaMetrics(Path binary, Path dir) throws IOException, InterruptedException {
        int port = freePort();
        return start("victoria-metrics", port, dir, "/health", List.of(
                binary.toString(),
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dir.resolve("data"),
                "-search.latencyOffset=0s",
                "-search.disableCache"));
    }

    /** Where Debian's package installs {@code name}, unless {@code -Dmantis.it.<name>} says otherwise. */
    public static Path binary(String name) {
        return Path.of(System.getProperty("mantis.it." + name, "/usr/bin/" + name));
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return base;
    }

    public HttpResponse<String> request(String method, String pathAndQuery, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET that must answer 200; returns the body. */
    public String get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = request("GET", pathAndQuery, null, Map.of());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " on " + name + " answered " + r.statusCode()
                    + ": " + r.body());
        }
        return r.body();
    }

    /** The last 30 lines the peer wrote. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
