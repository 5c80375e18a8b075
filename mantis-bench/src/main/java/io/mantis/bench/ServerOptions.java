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
     * Takes {@code args[i]} if it is one of the shared options; returns the index of the last
     * argument it used, or -1 when the option is not one of these.
     */
    int parseShared(String[] args, int i) {
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
            default -> {
                return -1;
            }
        }
        return i;
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
