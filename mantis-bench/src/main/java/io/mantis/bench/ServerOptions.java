package io.mantis.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every side-by-side run shares: which servers, where their binaries are, the core
 * they are pinned to, Mantis' JVM, the work directory. Each run's own options extend it.
 */
class ServerOptions {
    static final List<String> SERVERS = List.of("mantis", "victoriametrics", "prometheus");

    List<String> servers = SERVERS;
    String core = "1";
    String jar = "mantis-server/target/mantis.jar";
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> mantisJvmOptions = new ArrayList<>();
    String prometheus = "prometheus";
    String victoriaMetrics = "victoria-metrics";
    Path dir;
    boolean keep;
    String jfr;

    /**
     * Takes {@code args[i]}, which the run did not know, if it is one of the shared options;
     * returns the index of the last argument it used.
     *
     * @throws IllegalArgumentException for an option no one knows, pointing at {@code run}'s javadoc
     */
    int parseShared(String[] args, int i, Class<?> run) {
        switch (args[i]) {
            case "--servers" -> servers = List.of(args[++i].split(","));
            case "--core" -> core = args[++i];
            case "--jar" -> jar = args[++i];
            case "--java" -> java = args[++i];
            case "--mantis-jvm-opt" -> mantisJvmOptions.add(args[++i]);
            case "--prometheus" -> prometheus = args[++i];
            case "--victoria-metrics" -> victoriaMetrics = args[++i];
            case "--dir" -> dir = Path.of(args[++i]);
            case "--keep" -> keep = true;
            case "--jfr" -> jfr = args[++i];
            default -> throw new IllegalArgumentException("unknown argument " + args[i]
                    + "; see the javadoc of " + run.getName());
        }
        return i;
    }

    /** A duration option in milliseconds: {@code 250ms}, {@code 10s}, {@code 1.5m}, {@code 3h} or plain milliseconds. */
    static long millis(String d) {
        if (d.endsWith("ms")) {
            return Long.parseLong(d.substring(0, d.length() - 2));
        }
        if (d.endsWith("s")) {
            return Math.round(Double.parseDouble(d.substring(0, d.length() - 1)) * 1000);
        }
        if (d.endsWith("m")) {
            return Math.round(Double.parseDouble(d.substring(0, d.length() - 1)) * 60_000);
        }
        if (d.endsWith("h")) {
            return Math.round(Double.parseDouble(d.substring(0, d.length() - 1)) * 3_600_000);
        }
        return Long.parseLong(d);
    }

    /** Refuses server names other than the three a run knows. */
    void checkServers() {
        for (String s : servers) {
            if (!SERVERS.contains(s)) {
                throw new IllegalArgumentException("--servers takes mantis, victoriametrics, prometheus");
            }
        }
    }
}
