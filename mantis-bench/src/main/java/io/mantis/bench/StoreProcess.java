package io.mantis.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A metrics store that accepts remote write, run as its own process pinned to one core with
 * {@code taskset}: Mantis, Prometheus or VictoriaMetrics. Each knows how to start on a loopback
 * port with a fresh data directory, how to tell it is ready, how to bring its data to its
 * compacted on-disk form, and what on disk to count.
 */
abstract class StoreProcess implements AutoCloseable {

    /** One disk figure: {@code bytes} holding {@code samples} samples. */
    record DiskUse(String what, long bytes, long samples) {
        double bytesPerSample() {
            return samples == 0 ? Double.NaN : (double) bytes / samples;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final String core;
    Process process;
    int port;
    Path dataDir;
    Path logFile;

    StoreProcess(String name, String core) {
        this.name = name;
        this.core = core;
    }

    /** The command line, without the taskset prefix. */
    abstract List<String> command(Path workDir) throws IOException;

    /** A path answering 200 once the store takes writes. */
    abstract String readyPath();

    /** The version the server reports (once started), for the run header. */
    abstract String version() throws IOException;

    /**
     * Brings the data written so far to the form it keeps at rest, as far as the store can be made
     * to, and waits until its directory stops changing. Returns what was done.
     *
     * @param minT first sample timestamp written
     * @param maxT last sample timestamp written
     */
    abstract String settle(long minT, long maxT) throws Exception;

    /** Block directories (ULID-named, with a meta.json) of a TSDB directory laid out as Prometheus'. */
    static List<Path> tsdbBlocks(Path tsdbDir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(tsdbDir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(tsdbDir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().length() == 26 && Files.exists(p.resolve("meta.json"))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * The disk figures of a TSDB directory laid out as Prometheus' (Mantis' metrics store uses the
     * same layout): its blocks per their own sample counts (the headline, when there are blocks),
     * then the whole directory, the WAL and the head chunks per sample written.
     */
    static List<DiskUse> tsdbDisk(Path tsdbDir, String shownPrefix, String blocksWhat, String walWhat,
            long samplesWritten) throws IOException {
        Map<String, Long> d = ProcStats.du(tsdbDir, 1, false);
        List<DiskUse> out = new ArrayList<>();
        long blockBytes = 0;
        long blockSamples = 0;
        for (Path b : tsdbBlocks(tsdbDir)) {
            blockBytes += sum(d, b.getFileName().toString());
            Matcher m = NUM_SAMPLES.matcher(Files.readString(b.resolve("meta.json")));
            if (m.find()) {
                blockSamples += Long.parseLong(m.group(1));
            }
        }
        if (blockSamples > 0) {
            out.add(new DiskUse(blocksWhat + " (index + chunks), samples from meta.json", blockBytes, blockSamples));
            long index = 0;
            long chunks = 0;
            for (Path b : tsdbBlocks(tsdbDir)) {
                index += Files.size(b.resolve("index"));
                try (var files = Files.list(b.resolve("chunks"))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        chunks += Files.size(f);
                    }
                }
            }
            out.add(new DiskUse("  of which the index files (apparent size)", index, blockSamples));
            out.add(new DiskUse("  of which the chunk segment files (apparent size)", chunks, blockSamples));
        }
        out.add(new DiskUse("whole " + (shownPrefix.isEmpty() ? "data dir" : shownPrefix)
                + " (blocks + WAL + head chunks)", sum(d, ""), samplesWritten));
        out.add(new DiskUse(shownPrefix + "wal (" + walWhat + ")", sum(d, "wal"), samplesWritten));
        out.add(new DiskUse(shownPrefix + "chunks_head", sum(d, "chunks_head"), samplesWritten));
        return out;
    }

    /** The sample count in a Prometheus-style block's meta.json (Mantis writes the same field). */
    static final Pattern NUM_SAMPLES = Pattern.compile("\"numSamples\"\\s*:\\s*(\\d+)");

    /** The disk figures after {@link #settle}, the headline one first. */
    abstract List<DiskUse> disk(long samplesWritten) throws IOException;

    String writeUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    long pid() {
        return process.pid();
    }

    /** Starts the store with a fresh data directory {@code workDir/<name>-<label>}. */
    void start(Path workDir, String label) throws Exception {
        port = freePort();
        dataDir = workDir.resolve(name + "-" + label);
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        logFile = workDir.resolve(name + "-" + label + ".log");
        List<String> cmd = new ArrayList<>();
        if (!core.isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", core));
        }
        cmd.addAll(command(workDir));
        Files.writeString(logFile, String.join(" ", cmd) + "\n");
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
            }
            if (get(readyPath()) == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within 3 minutes; see " + logFile);
    }

    /** SIGTERM, then SIGKILL after two minutes. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** GET on the store's port; the status code, or -1 without an answer. */
    int get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until the allocated size of the data directory is the same three times in a row. */
    void waitUntilStable(Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long last = -1;
        int same = 0;
        while (System.nanoTime() < deadline && same < 3) {
            long now = ProcStats.du(dataDir, 0, false).get("");
            same = now == last ? same + 1 : 0;
            last = now;
            Thread.sleep(2000);
        }
    }

    static String firstLine(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int nl = out.indexOf('\n');
        return nl < 0 ? out : out.substring(0, nl);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long sum(Map<String, Long> sizes, String key) {
        return sizes.getOrDefault(key, 0L);
    }

    // ------------------------------------------------------------------ Mantis

    /** {@code mantis metrics} from the packaged jar, as the launcher runs it. */
    static final class Mantis extends StoreProcess {
        private final String java;
        private final String jar;
        private final List<String> jvmOptions;
        private final String fsync;
        private final String blockEncoding;

        /** @param blockEncoding {@code metrics.tsdb.block_chunk_encoding}, or empty for the default */
        Mantis(String core, String java, String jar, List<String> jvmOptions, String fsync, String blockEncoding) {
            super("mantis", core);
            this.java = java;
            this.jar = jar;
            this.jvmOptions = jvmOptions;
            this.fsync = fsync;
            this.blockEncoding = blockEncoding;
        }

        @Override
        List<String> command(Path workDir) throws IOException {
            Path cfg = dataDir.resolveSibling(dataDir.getFileName() + ".yaml");
            Files.writeString(cfg, """
                    server:
                      shutdown_timeout: 120s
                    metrics:
                      endpoint: 127.0.0.1:%d
                      wal:
                        fsync: %s
                    %s
                    collector:
                      extensions:
                        health_check:
                          endpoint: 127.0.0.1:0
                      service:
                        extensions: [health_check]
                        telemetry:
                          logs: {level: warn}
                          metrics: {address: 127.0.0.1:0}
                    """.formatted(port, fsync, blockEncoding.isEmpty() ? ""
                    : "  tsdb: {block_chunk_encoding: " + blockEncoding + "}"));
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-jar", jar, "metrics", "--config", cfg.toString(), "--data-dir", dataDir.toString()));
            return cmd;
        }

        @Override
        String readyPath() {
            return "/api/v1/status/buildinfo";
        }

        @Override
        String version() {
            return "Mantis (" + jar + ", fsync " + fsync + ", block chunk encoding "
                    + (blockEncoding.isEmpty() ? "default" : blockEncoding) + ", JVM options "
                    + String.join(" ", jvmOptions) + ")";
        }

        @Override
        String settle(long minT, long maxT) throws Exception {
            // Like Prometheus, the head is cut into a 2h block once it spans 3h (1.5 block ranges),
            // by the maintenance that runs every 30 s: wait for it.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (blocks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2000);
            }
            waitUntilStable(Duration.ofMinutes(2));
            return blocks().isEmpty() ? "no block was cut within 15 minutes (data spans "
                    + (maxT - minT) / 60_000 + " min; the head is cut once it spans 3h)"
                    : blocks().size() + " block(s) cut from the head; WAL checkpointed behind them";
        }

        private List<Path> blocks() throws IOException {
            return tsdbBlocks(dataDir.resolve("metrics"));
        }

        @Override
        List<DiskUse> disk(long samplesWritten) throws IOException {
            return tsdbDisk(dataDir.resolve("metrics"), "metrics/", "2h block(s) cut from the head",
                    "WAL after the checkpoint behind the block", samplesWritten);
        }
    }

    // ------------------------------------------------------------------ Prometheus

    /** Prometheus with its remote-write receiver on, default TSDB settings. */
    static final class Prometheus extends StoreProcess {
        private final String binary;

        Prometheus(String core, String binary) {
            super("prometheus", core);
            this.binary = binary;
        }

        @Override
        List<String> command(Path workDir) throws IOException {
            Path cfg = dataDir.resolveSibling(dataDir.getFileName() + ".yml");
            Files.writeString(cfg, "global:\n  scrape_interval: 15s\n");
            return List.of(binary, "--config.file=" + cfg, "--storage.tsdb.path=" + dataDir,
                    "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver",
                    "--log.level=warn");
        }

        @Override
        String readyPath() {
            return "/-/ready";
        }

        @Override
        String version() throws IOException {
            return firstLine(List.of(binary, "--version"));
        }

        @Override
        String settle(long minT, long maxT) throws Exception {
            // The head is compacted into a 2h block once it spans 3h (1.5 block ranges): wait for it.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (blocks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2000);
            }
            waitUntilStable(Duration.ofMinutes(3));
            return blocks().isEmpty() ? "no block was cut within 15 minutes (data spans "
                    + (maxT - minT) / 60_000 + " min; Prometheus compacts once the head spans 3h)"
                    : blocks().size() + " block(s) compacted from the head; WAL truncated behind them";
        }

        private List<Path> blocks() throws IOException {
            return tsdbBlocks(dataDir);
        }

        @Override
        List<DiskUse> disk(long samplesWritten) throws IOException {
            return tsdbDisk(dataDir, "", "compacted 2h block(s)", "WAL after truncation behind the block",
                    samplesWritten);
        }
    }

    // ------------------------------------------------------------------ VictoriaMetrics

    /** Single-node VictoriaMetrics, default settings. */
    static final class VictoriaMetrics extends StoreProcess {
        private final String binary;
        private final List<String> extraFlags;

        VictoriaMetrics(String core, String binary) {
            this(core, binary, List.of());
        }

        VictoriaMetrics(String core, String binary, List<String> extraFlags) {
            super("victoriametrics", core);
            this.binary = binary;
            this.extraFlags = List.copyOf(extraFlags);
        }

        @Override
        List<String> command(Path workDir) {
            List<String> cmd = new ArrayList<>(List.of(binary, "-storageDataPath=" + dataDir,
                    "-httpListenAddr=127.0.0.1:" + port, "-loggerLevel=WARN"));
            cmd.addAll(extraFlags);
            return cmd;
        }

        @Override
        String readyPath() {
            return "/health";
        }

        @Override
        String version() throws IOException {
            // This build prints nothing for -version; its own metrics name it.
            try {
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = Pattern.compile("vm_app_version\\{[^}]*version=\"([^\"]+)\"").matcher(metrics);
                return m.find() ? m.group(1) : binary;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return binary;
            }
        }

        @Override
        String settle(long minT, long maxT) throws Exception {
            int flush = get("/internal/force_flush");
            Set<String> months = new LinkedHashSet<>();
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy_MM", Locale.ROOT).withZone(ZoneOffset.UTC);
            months.add(f.format(Instant.ofEpochMilli(minT)));
            months.add(f.format(Instant.ofEpochMilli(maxT)));
            StringBuilder merged = new StringBuilder();
            for (String m : months) {
                int code = get("/internal/force_merge?partition_prefix=" + m);
                merged.append(merged.isEmpty() ? "" : ", ").append(m).append(" (").append(code).append(')');
            }
            waitUntilStable(Duration.ofMinutes(5));
            return "/internal/force_flush (" + flush + "), then /internal/force_merge of partition " + merged
                    + ", waited until the directory stopped changing";
        }

        @Override
        List<DiskUse> disk(long samplesWritten) throws IOException {
            Map<String, Long> d = ProcStats.du(dataDir, 1, false);
            return List.of(
                    new DiskUse("whole data dir (data + indexdb) after force flush + force merge", sum(d, ""),
                            samplesWritten),
                    new DiskUse("data (samples)", sum(d, "data"), samplesWritten),
                    new DiskUse("indexdb (series index)", sum(d, "indexdb"), samplesWritten));
        }
    }
}
