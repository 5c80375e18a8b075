package io.mantis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Side-by-side remote-write run: the same node-exporter-like stream
 * ({@link NodeExporterStream}) is sent to Mantis, VictoriaMetrics and Prometheus, one after
 * another, each pinned to one core ({@code taskset}, core 1 by default) while this generator
 * should run on the other ({@code taskset -c 0}). Per server:
 *
 * <ol>
 *   <li><b>load</b>: {@code --series} active series for {@code --rounds} scrape rounds, each
 *       round's requests spread evenly over {@code --interval} (1M series at 10 s: 100K
 *       samples/s). Round 0 creates the series and is reported apart; CPU seconds per million
 *       samples is over the later rounds. Peak RSS (VmHWM) per active series after the phase.
 *   <li><b>max</b>: {@code --max-rounds} further rounds of the same series as fast as
 *       {@code --inflight} concurrent requests allow: sustained samples/s, and the server's CPU
 *       use while doing it.
 *   <li><b>disk</b>: a fresh server gets {@code --disk-series} series for {@code --disk-hours} of
 *       data time (3.2 h by default, so Prometheus cuts its first 2 h block), as fast as it
 *       takes them; then each store is brought to its compacted form (VictoriaMetrics: force
 *       flush and force merge; Prometheus: its own head compaction) and its directory measured.
 * </ol>
 *
 * Request bodies of the load and max phases are encoded before any server starts, so every server
 * gets the same bytes and the generator only sends; the disk phase encodes on the fly (the same
 * pure function of series and round) on the generator's core.
 *
 * <pre>
 * ./mvnw -q package -DskipTests
 * taskset -c 0 java -cp mantis-bench/target/mantis-bench.jar io.mantis.bench.RemoteWriteLoad
 * taskset -c 0 java -cp mantis-bench/target/mantis-bench.jar io.mantis.bench.RemoteWriteLoad --quick
 * </pre>
 */
public final class RemoteWriteLoad {

    private RemoteWriteLoad() {
    }

    /** Command-line settings. */
    static final class Options extends ServerOptions {
        int series = 1_000_000;
        int rounds = 13;
        int maxRounds = 20;
        long intervalMillis = 10_000;
        long diskIntervalMillis = 10_000;
        int batch = 2000;
        int inflight = 4;
        int diskSeries = 50_000;
        double diskHours = 3.2;
        List<String> phases = List.of("load", "max", "disk");
        String fsync = "always";
        /** Mantis' metrics.tsdb.block_chunk_encoding; empty: the server's default. */
        String blockEncoding = "";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        o.series = 20_000;
                        o.rounds = 4;
                        o.intervalMillis = 2_000;
                        o.maxRounds = 20;
                        o.diskSeries = 2_000;
                        o.batch = 1000;
                    }
                    case "--series" -> o.series = Integer.parseInt(args[++i]);
                    case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                    case "--max-rounds" -> o.maxRounds = Integer.parseInt(args[++i]);
                    case "--interval" -> o.intervalMillis = millis(args[++i]);
                    case "--disk-interval" -> o.diskIntervalMillis = millis(args[++i]);
                    case "--batch" -> o.batch = Integer.parseInt(args[++i]);
                    case "--inflight" -> o.inflight = Integer.parseInt(args[++i]);
                    case "--disk-series" -> o.diskSeries = Integer.parseInt(args[++i]);
                    case "--disk-hours" -> o.diskHours = Double.parseDouble(args[++i]);
                    case "--phases" -> o.phases = List.of(args[++i].split(","));
                    case "--fsync" -> o.fsync = args[++i];
                    case "--block-encoding" -> o.blockEncoding = args[++i];
                    default -> i = o.parseShared(args, i, RemoteWriteLoad.class);
                }
            }
            if (o.rounds < 2) {
                throw new IllegalArgumentException("--rounds must be at least 2 (round 0 creates the series)");
            }
            o.checkServers();
            return o;
        }
    }

    /** Everything measured on one server. */
    static final class ServerResult {
        final String name;
        String version;
        RemoteWriteSender.Result firstRound;
        double firstRoundCpu;
        RemoteWriteSender.Result steady;
        double steadyCpu;
        double targetRate;
        long hwmAfterLoad;
        long rssAfterLoad;
        RemoteWriteSender.Result max;
        double maxCpu;
        double maxOther;
        long hwmAfterMax;
        RemoteWriteSender.Result diskIngest;
        double diskCpu;
        long hwmDisk;
        String settled;
        List<StoreProcess.DiskUse> disk = List.of();

        ServerResult(String name) {
            this.name = name;
        }

        double steadyCpuPerMillion() {
            return steady == null || steady.samples() == 0 ? Double.NaN : steadyCpu / (steady.samples() / 1e6);
        }

        double maxCpuPerMillion() {
            return max == null || max.samples() == 0 ? Double.NaN : maxCpu / (max.samples() / 1e6);
        }

        double maxRate() {
            return max == null ? Double.NaN : max.samplesPerSecond();
        }

        double maxUtilisation() {
            return max == null ? Double.NaN : maxCpu / max.seconds();
        }

        double rssPerSeries(int series) {
            return hwmAfterLoad == 0 ? Double.NaN : (double) hwmAfterLoad / series;
        }

        double bytesPerSample() {
            return disk.isEmpty() ? Double.NaN : disk.get(0).bytesPerSample();
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path work = o.dir != null ? o.dir : Files.createTempDirectory("remote-write-load");
        Files.createDirectories(work);
        long now = System.currentTimeMillis();
        int totalRounds = o.rounds + o.maxRounds;
        long loadStart = (now - (totalRounds + 1) * o.intervalMillis) / o.intervalMillis * o.intervalMillis;
        NodeExporterStream load = new NodeExporterStream(o.series, loadStart, o.intervalMillis);

        System.out.printf(Locale.ROOT, "remote-write load: generator sees %d core(s), %.1f GiB RAM, generator pid %d, servers on core %s%n",
                Runtime.getRuntime().availableProcessors(), totalMemoryGiB(), ProcessHandle.current().pid(), o.core);
        System.out.println("stream: " + load.describe());
        System.out.printf(Locale.ROOT, "load: %d rounds at %d ms (%.0f samples/s), then max: %d rounds, %d in flight;"
                        + " %d series per request; work dir %s%n", o.rounds, o.intervalMillis,
                o.series * 1000.0 / o.intervalMillis, o.maxRounds, o.inflight, o.batch, work);

        List<List<RemoteWriteSender.Body>> rounds = new ArrayList<>();
        if (o.phases.contains("load") || o.phases.contains("max")) {
            long t0 = System.nanoTime();
            long bytes = 0;
            NodeExporterStream.Encoder enc = new NodeExporterStream.Encoder();
            for (int r = 0; r < totalRounds; r++) {
                List<RemoteWriteSender.Body> bodies = new ArrayList<>();
                for (int from = 0; from < o.series; from += o.batch) {
                    int to = Math.min(o.series, from + o.batch);
                    byte[] b = load.encode(enc, r, from, to);
                    bytes += b.length;
                    bodies.add(new RemoteWriteSender.Body(b, to - from, from / o.batch));
                }
                rounds.add(bodies);
            }
            System.out.printf(Locale.ROOT, "pre-encoded %d rounds: %d requests, %.1f MB, %.1f bytes per sample, in %.1f s%n",
                    totalRounds, totalRounds * rounds.get(0).size(), bytes / 1e6,
                    (double) bytes / ((long) totalRounds * o.series), (System.nanoTime() - t0) / 1e9);
        }

        Map<String, ServerResult> results = new LinkedHashMap<>();
        for (String name : o.servers) {
            ServerResult res = new ServerResult(name);
            results.put(name, res);
            if (o.phases.contains("load") || o.phases.contains("max")) {
                try (StoreProcess server = server(name, o, o.jfr)) {
                    System.out.println();
                    server.start(work, "load");
                    res.version = server.version();
                    System.out.println("== " + name + ": " + res.version);
                    runLoadAndMax(o, server, rounds, res);
                    server.stop();
                    if (!o.keep) {
                        StoreProcess.deleteTree(server.dataDir);
                    }
                }
            }
            if (o.phases.contains("disk")) {
                try (StoreProcess server = server(name, o, null)) {
                    server.start(work, "disk");
                    if (res.version == null) {
                        res.version = server.version();
                        System.out.println();
                        System.out.println("== " + name + ": " + res.version);
                    }
                    runDisk(o, server, now, res);
                    server.stop();
                    if (!o.keep) {
                        StoreProcess.deleteTree(server.dataDir);
                    }
                }
            }
        }
        System.out.println();
        report(o, results);
        System.exit(0);
    }

    private static StoreProcess server(String name, Options o, String jfr) {
        return switch (name) {
            case "mantis" -> {
                List<String> jvm = new ArrayList<>();
                // What the ./mantis launcher adds on JDK 23+.
                if (o.java.equals(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                        && Runtime.version().feature() >= 23) {
                    jvm.add("--sun-misc-unsafe-memory-access=allow");
                }
                jvm.addAll(o.mantisJvmOptions);
                if (jfr != null) {
                    jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
                }
                yield new StoreProcess.Mantis(o.core, o.java, o.jar, jvm, o.fsync, o.blockEncoding);
            }
            case "prometheus" -> new StoreProcess.Prometheus(o.core, o.prometheus);
            default -> new StoreProcess.VictoriaMetrics(o.core, o.victoriaMetrics);
        };
    }

    private static void runLoadAndMax(Options o, StoreProcess server, List<List<RemoteWriteSender.Body>> rounds,
                                      ServerResult res) throws Exception {
        long pid = server.pid();
        int perRound = rounds.get(0).size();
        long spacing = TimeUnit.MILLISECONDS.toNanos(o.intervalMillis) / perRound;
        res.targetRate = o.series * 1000.0 / o.intervalMillis;
        try (RemoteWriteSender sender = new RemoteWriteSender(server.writeUrl(), o.inflight)) {
            if (o.phases.contains("load")) {
                Meter m = Meter.start(pid, o.core);
                res.firstRound = sender.send(rounds.get(0).iterator(), System.nanoTime(), spacing);
                res.firstRoundCpu = m.cpu();
                print(server.name, "load round 0 (creates the series)", res.firstRound, m);
                m = Meter.start(pid, o.core);
                res.steady = sender.send(roundsIterator(rounds, 1, o.rounds), System.nanoTime(), spacing);
                res.steadyCpu = m.cpu();
                res.hwmAfterLoad = ProcStats.statusBytes(pid, "VmHWM");
                res.rssAfterLoad = ProcStats.statusBytes(pid, "VmRSS");
                print(server.name, String.format(Locale.ROOT, "load rounds 1-%d at %.0f samples/s", o.rounds - 1,
                        res.targetRate), res.steady, m);
                System.out.printf(Locale.ROOT, "%s: after load: VmHWM %.0f MB (%.0f bytes per active series),"
                                + " VmRSS %.0f MB%n", server.name, res.hwmAfterLoad / 1e6,
                        res.rssPerSeries(o.series), res.rssAfterLoad / 1e6);
            }
            if (o.phases.contains("max")) {
                int from = o.phases.contains("load") ? o.rounds : 0;
                if (from > 0 || o.maxRounds > 0) {
                    Meter m = Meter.start(pid, o.core);
                    res.max = sender.send(roundsIterator(rounds, from, from + o.maxRounds), 0, 0);
                    res.maxCpu = m.cpu();
                    res.maxOther = m.otherOnCore();
                    res.hwmAfterMax = ProcStats.statusBytes(pid, "VmHWM");
                    print(server.name, "max (" + o.inflight + " in flight)", res.max, m);
                    System.out.printf(Locale.ROOT, "%s: after max: VmHWM %.0f MB%n", server.name,
                            res.hwmAfterMax / 1e6);
                }
            }
        }
    }

    private static void runDisk(Options o, StoreProcess server, long now, ServerResult res) throws Exception {
        long blockRange = TimeUnit.HOURS.toMillis(2);
        long span = Math.round(o.diskHours * 3_600_000);
        // Start on a block boundary, so the first 2h block is a full one, and end before now.
        long start = (now - span - TimeUnit.HOURS.toMillis(1)) / blockRange * blockRange;
        int diskRounds = (int) (span / o.diskIntervalMillis) + 1;
        NodeExporterStream stream = new NodeExporterStream(o.diskSeries, start, o.diskIntervalMillis);
        // Enough series ranges that every lane has its own.
        int batch = Math.min(o.batch, (o.diskSeries + o.inflight - 1) / o.inflight);
        BlockingQueue<RemoteWriteSender.Body> queue = new ArrayBlockingQueue<>(64);
        RemoteWriteSender.Body end = new RemoteWriteSender.Body(new byte[0], 0, 0);
        Thread producer = new Thread(() -> {
            NodeExporterStream.Encoder enc = new NodeExporterStream.Encoder();
            try {
                for (int r = 0; r < diskRounds; r++) {
                    for (int from = 0; from < o.diskSeries; from += batch) {
                        int to = Math.min(o.diskSeries, from + batch);
                        queue.put(new RemoteWriteSender.Body(stream.encode(enc, r, from, to), to - from, from / batch));
                    }
                }
                queue.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "disk-phase-encoder");
        producer.setDaemon(true);
        producer.start();
        Iterator<RemoteWriteSender.Body> bodies = new Iterator<>() {
            RemoteWriteSender.Body next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return next != end;
            }

            @Override
            public RemoteWriteSender.Body next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                RemoteWriteSender.Body b = next;
                next = null;
                return b;
            }
        };
        long pid = server.pid();
        System.out.printf(Locale.ROOT, "%s: disk phase: %d series x %d rounds at %d ms (%.1f h of data from %s),"
                        + " %d series per request%n", server.name, o.diskSeries, diskRounds, o.diskIntervalMillis,
                o.diskHours, java.time.Instant.ofEpochMilli(start), batch);
        try (RemoteWriteSender sender = new RemoteWriteSender(server.writeUrl(), o.inflight)) {
            Meter m = Meter.start(pid, o.core);
            res.diskIngest = sender.send(bodies, 0, 0);
            res.diskCpu = m.cpu();
            print(server.name, "disk ingest", res.diskIngest, m);
        }
        long t0 = System.nanoTime();
        res.settled = server.settle(start, stream.timestamp(diskRounds - 1));
        res.hwmDisk = ProcStats.statusBytes(pid, "VmHWM");
        res.disk = server.disk(res.diskIngest.samples());
        System.out.printf(Locale.ROOT, "%s: settled in %.0f s: %s%n", server.name, (System.nanoTime() - t0) / 1e9,
                res.settled);
        for (StoreProcess.DiskUse d : res.disk) {
            System.out.printf(Locale.ROOT, "%s:   %-70s %,14d bytes / %,12d samples = %.3f bytes/sample%n",
                    server.name, d.what(), d.bytes(), d.samples(), d.bytesPerSample());
        }
    }

    private static Iterator<RemoteWriteSender.Body> roundsIterator(List<List<RemoteWriteSender.Body>> rounds,
                                                                   int from, int to) {
        List<RemoteWriteSender.Body> all = new ArrayList<>();
        for (int r = from; r < to; r++) {
            all.addAll(rounds.get(r));
        }
        return all.iterator();
    }

    private static void print(String server, String phase, RemoteWriteSender.Result r, Meter m) throws IOException {
        double cpu = m.cpu();
        System.out.printf(Locale.ROOT, "%s: %s: %,d samples in %.1f s = %,.0f samples/s; server CPU %.2f s (%.0f%% of"
                        + " one core, %.0f%% of it in the kernel) = %.3f CPU s per million samples; other processes"
                        + " on its core %.2f s; %d requests, %d retried, %d failed%s%n",
                server, phase, r.samples(), r.seconds(), r.samplesPerSecond(), cpu, 100 * cpu / r.seconds(),
                100 * m.system() / cpu,
                r.samples() == 0 ? Double.NaN : cpu / (r.samples() / 1e6), m.otherOnCore(), r.requests(),
                r.retries(), r.failed(), r.firstError() == null ? "" : " (first error: " + r.firstError() + ")");
    }

    /**
     * The server's CPU time over a phase, and how much else ran on its core meanwhile (other
     * builds on a shared machine make a figure suspect).
     */
    private static final class Meter {
        private final long pid;
        private final String core;
        private final double[] cpu0;
        private final double busy0;
        private double cpu = Double.NaN;
        private double system = Double.NaN;
        private double other = Double.NaN;

        private Meter(long pid, String core) throws IOException {
            this.pid = pid;
            this.core = core;
            this.cpu0 = ProcStats.userSystemSeconds(pid);
            this.busy0 = core.matches("\\d+") ? ProcStats.coreBusySeconds(core) : Double.NaN;
        }

        static Meter start(long pid, String core) throws IOException {
            return new Meter(pid, core);
        }

        /** Server CPU seconds since start; the first call ends the measurement. */
        double cpu() throws IOException {
            if (Double.isNaN(cpu)) {
                double[] us = ProcStats.userSystemSeconds(pid);
                system = us[1] - cpu0[1];
                cpu = us[0] - cpu0[0] + system;
                double busy = core.matches("\\d+") ? ProcStats.coreBusySeconds(core) - busy0 : Double.NaN;
                other = Math.max(0, busy - cpu);
            }
            return cpu;
        }

        /** The kernel's part of {@link #cpu()}. */
        double system() throws IOException {
            cpu();
            return system;
        }

        double otherOnCore() throws IOException {
            cpu();
            return other;
        }
    }

    private static void report(Options o, Map<String, ServerResult> results) {
        System.out.println("== results (same stream, each server alone on core " + o.core + ")");
        List<String> names = new ArrayList<>(results.keySet());
        StringBuilder header = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String n : names) {
            header.append(' ').append(n).append(" |");
            rule.append("---|");
        }
        boolean ratios = names.contains("mantis") && names.size() > 1;
        if (ratios) {
            for (String n : names) {
                if (!n.equals("mantis")) {
                    header.append(" mantis / ").append(n).append(" |");
                    rule.append("---|");
                }
            }
        }
        System.out.println(header);
        System.out.println(rule);
        row(results, names, ratios, "CPU s per 1M samples, load rounds (fixed rate)", "%.3f",
                ServerResult::steadyCpuPerMillion);
        row(results, names, ratios, "CPU s per 1M samples, round 0 (series creation)", "%.3f",
                r -> r.firstRound == null ? Double.NaN : r.firstRoundCpu / (r.firstRound.samples() / 1e6));
        row(results, names, ratios, "CPU s per 1M samples, max phase", "%.3f", ServerResult::maxCpuPerMillion);
        row(results, names, ratios, "max sustained samples/s (measured)", "%,.0f", ServerResult::maxRate);
        row(results, names, ratios, "server CPU use in max phase (share of one core)", "%.2f",
                ServerResult::maxUtilisation);
        row(results, names, false, "other processes' CPU on the server core during max phase, s", "%.2f",
                r -> r.maxOther);
        row(results, names, ratios, "one-core capacity, samples/s (1e6 / CPU s per 1M, max phase)", "%,.0f",
                r -> 1e6 / r.maxCpuPerMillion());
        row(results, names, ratios, "peak RSS (VmHWM) after load, bytes per active series", "%,.0f",
                r -> r.rssPerSeries(o.series));
        row(results, names, ratios, "peak RSS (VmHWM) after max phase, MB", "%,.0f",
                r -> r.hwmAfterMax == 0 ? Double.NaN : r.hwmAfterMax / 1e6);
        row(results, names, ratios, "disk bytes per sample (headline figure, see below)", "%.3f",
                ServerResult::bytesPerSample);
        row(results, names, ratios, "disk phase ingest samples/s", "%,.0f",
                r -> r.diskIngest == null ? Double.NaN : r.diskIngest.samplesPerSecond());
        row(results, names, ratios, "CPU s per 1M samples, disk phase", "%.3f",
                r -> r.diskIngest == null || r.diskIngest.samples() == 0 ? Double.NaN
                        : r.diskCpu / (r.diskIngest.samples() / 1e6));
        System.out.println();
        for (ServerResult r : results.values()) {
            if (!r.disk.isEmpty()) {
                System.out.println("disk, " + r.name + ": " + r.disk.get(0).what() + " (" + r.settled + ")");
            }
        }
        ServerResult m = results.get("mantis");
        if (m == null) {
            return;
        }
        System.out.println();
        System.out.println("targets:");
        ServerResult vm = results.get("victoriametrics");
        ServerResult prom = results.get("prometheus");
        if (vm != null) {
            target("CPU per sample <= 0.7x VictoriaMetrics", m.steadyCpuPerMillion() / vm.steadyCpuPerMillion(), 0.7);
            target("bytes/sample <= VictoriaMetrics'", m.bytesPerSample() / vm.bytesPerSample(), 1.0);
        }
        if (prom != null) {
            target("CPU per sample <= 0.3x Prometheus", m.steadyCpuPerMillion() / prom.steadyCpuPerMillion(), 0.3);
        }
        System.out.printf(Locale.ROOT, "  %-45s measured %,.0f samples/s, capacity %,.0f -> %s%n",
                ">= 1M samples/s on one core", m.maxRate(), 1e6 / m.maxCpuPerMillion(),
                Double.isNaN(m.maxRate()) ? "not measured" : m.maxRate() >= 1e6 ? "met" : "NOT met");
        double rss = m.rssPerSeries(o.series);
        System.out.printf(Locale.ROOT, "  %-45s %,.0f bytes at %,d series -> %s%n", "<= 1 KB RSS per active series",
                rss, o.series, Double.isNaN(rss) ? "not measured" : rss <= 1024 ? "met" : "NOT met");
    }

    private static void target(String what, double ratio, double limit) {
        System.out.printf(Locale.ROOT, "  %-45s ratio %.2f -> %s%n", what, ratio,
                Double.isNaN(ratio) ? "not measured" : ratio <= limit ? "met" : "NOT met");
    }

    private static void row(Map<String, ServerResult> results, List<String> names, boolean ratios, String label,
                            String format, ToDoubleFunction<ServerResult> f) {
        StringBuilder sb = new StringBuilder("| ").append(label).append(" |");
        for (String n : names) {
            double v = f.applyAsDouble(results.get(n));
            sb.append(' ').append(Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v))
                    .append(" |");
        }
        if (ratios) {
            double mv = f.applyAsDouble(results.get("mantis"));
            for (String n : names) {
                if (!n.equals("mantis")) {
                    double r = mv / f.applyAsDouble(results.get(n));
                    sb.append(' ').append(Double.isNaN(r) || Double.isInfinite(r) ? "-"
                            : String.format(Locale.ROOT, "%.2f", r)).append(" |");
                }
            }
        }
        System.out.println(sb);
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux: reported as 0
        }
        return 0;
    }
}
