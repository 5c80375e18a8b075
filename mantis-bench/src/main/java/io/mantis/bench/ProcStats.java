package io.mantis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What Linux tells about a process (from /proc) and a directory (from du). */
final class ProcStats {
    private ProcStats() {
    }

    /** Clock ticks per second of /proc/&lt;pid&gt;/stat times; 100 on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    /** User + system CPU seconds of a process so far, all threads included. */
    static double cpuSeconds(long pid) throws IOException {
        double[] us = userSystemSeconds(pid);
        return us[0] + us[1];
    }

    /** User and system (kernel) CPU seconds of a process so far, all threads included. */
    static double[] userSystemSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name, which may itself hold spaces and parentheses.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new double[] {Long.parseLong(f[11]) / TICKS_PER_SECOND, Long.parseLong(f[12]) / TICKS_PER_SECOND};
    }

    /**
     * Busy seconds (all but idle and iowait) of one core since boot, from /proc/stat: compared with
     * the server's own CPU time it shows how much else ran on the server's core.
     */
    static double coreBusySeconds(String core) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8)) {
            if (line.startsWith("cpu" + core + " ")) {
                String[] f = line.trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy / TICKS_PER_SECOND;
            }
        }
        return Double.NaN;
    }

    /** A {@code kB} field of /proc/&lt;pid&gt;/status (VmHWM: peak RSS, VmRSS: current RSS), in bytes. */
    static long statusBytes(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith(field + ":")) {
                String v = line.substring(field.length() + 1).trim();
                return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }

    /**
     * Disk use of {@code dir} and of each entry down to {@code depth} levels, by relative path
     * ("" for the whole): allocated bytes (what the file system holds, as {@code du} counts;
     * sparse and preallocated-but-unwritten space does not count) or apparent bytes (file
     * lengths).
     */
    static Map<String, Long> du(Path dir, int depth, boolean apparent) throws IOException {
        ProcessBuilder pb = apparent
                ? new ProcessBuilder("du", "-B1", "--apparent-size", "-d", Integer.toString(depth), dir.toString())
                : new ProcessBuilder("du", "-B1", "-d", Integer.toString(depth), dir.toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("du failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            Path p2 = Path.of(line.substring(tab + 1));
            sizes.put(dir.relativize(p2).toString(), Long.parseLong(line.substring(0, tab)));
        }
        return sizes;
    }
}
