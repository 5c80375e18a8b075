package io.mantis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatsTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void readsThisProcesssCpuTimeAndMemory() throws Exception {
        assumeThat(Path.of("/proc/self/stat")).exists();
        double before = ProcStats.cpuSeconds(SELF);
        long sink = 0;
        long until = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < until) {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        double[] us = ProcStats.userSystemSeconds(SELF);
        assertThat(us[0] + us[1]).isGreaterThan(before).as("spun %d", sink);
        // RSS first: it may grow between the two reads, and the high-water mark follows it.
        long rss = ProcStats.statusBytes(SELF, "VmRSS");
        long hwm = ProcStats.statusBytes(SELF, "VmHWM");
        assertThat(hwm).isGreaterThanOrEqualTo(rss).isGreaterThan(1 << 20);
        assertThat(ProcStats.coreBusySeconds("0")).isPositive();
    }

    @Test
    void duCountsEveryLevelByRelativePath(@TempDir Path dir) throws Exception {
        assumeThat(Path.of("/proc/self/stat")).exists();
        Files.createDirectories(dir.resolve("a/b"));
        Files.write(dir.resolve("a/b/data"), new byte[100_000]);
        Files.write(dir.resolve("top"), new byte[3]);

        Map<String, Long> apparent = ProcStats.du(dir, 2, true);
        Map<String, Long> allocated = ProcStats.du(dir, 2, false);

        assertThat(apparent).containsKeys("", "a", "a/b");
        assertThat(apparent.get("a/b")).isBetween(100_000L, 100_000L + 8192);
        assertThat(apparent.get("")).isGreaterThanOrEqualTo(100_003L);
        assertThat(allocated.get("a/b")).isGreaterThanOrEqualTo(100_000L);
    }
}
