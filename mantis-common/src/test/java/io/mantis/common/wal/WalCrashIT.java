package io.mantis.common.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments while several threads commit with fsync policy {@code always}: after
 * every restart, every batch whose append returned is replayed, byte for byte, each thread's
 * batches in the order it committed them, and no batch is replayed in part.
 */
@ExtendWith(LeakCheck.class)
class WalCrashIT {

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedBatchSurvivesKillDashNine() throws Exception {
        Path dir = tmp.resolve("wal");
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        Set<Long> acked = new HashSet<>();
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            long firstId = round * 1_000_000_000L;
            int killAfter = 20 + random.nextInt(1500);
            Path childLog = tmp.resolve("child-" + round + ".log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WalCrashChild.class.getName(), dir.toString(),
                    Long.toString(firstId))
                    .redirectError(childLog.toFile())
                    .start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> readLines(child.getInputStream(), lines));
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines.size() < killAfter && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(random.nextInt(20));
            assertThat(child.isAlive()).as("child of round %d is running (log: %s)", round,
                    Files.readString(childLog)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            int roundAcks = 0;
            for (String l : lines) {
                String[] f = l.split(" ");
                long id = Long.parseLong(f[1]);
                int n = Integer.parseInt(f[2]);
                for (int k = 0; k < n; k++) {
                    acked.add(id + k);
                }
                roundAcks++;
            }
            assertThat(roundAcks).isGreaterThanOrEqualTo(killAfter);

            // Recover as the next process would, then check everything replayed so far.
            List<Long> replayed = new ArrayList<>();
            try (WriteAheadLog wal = WriteAheadLog.open(dir, WalConfig.DEFAULTS)) {
                wal.replay((rec, seg) -> replayed.add(Records.check(rec, WalCrashChild.MAX_EXTRA)));
            }
            String context = "seed " + seed + ", round " + round + ", " + acked.size() + " records acknowledged";
            Set<Long> present = new HashSet<>(replayed);
            assertThat(present).as("duplicates (%s)", context).hasSameSizeAs(replayed);
            List<Long> lost = acked.stream().filter(id -> !present.contains(id)).sorted().toList();
            assertThat(lost).as("acknowledged records lost (%s)", context).isEmpty();

            // Per writer thread: a run of consecutive ids from its first, ending at a batch boundary.
            Map<Long, List<Long>> byThread = new TreeMap<>();
            for (long id : replayed) {
                byThread.computeIfAbsent(id / WalCrashChild.THREAD_STRIDE, k -> new ArrayList<>()).add(id);
            }
            for (Map.Entry<Long, List<Long>> e : byThread.entrySet()) {
                List<Long> ids = e.getValue();
                long base = e.getKey() * WalCrashChild.THREAD_STRIDE;
                long boundary = base;
                for (int i = 0; i < ids.size(); i++) {
                    assertThat(ids.get(i)).as("thread base %d, index %d (%s)", base, i, context).isEqualTo(base + i);
                    if (base + i == boundary) {
                        boundary += WalCrashChild.batchSize(boundary);
                    }
                }
                assertThat(base + ids.size()).as("thread base %d ends inside a batch (%s)", base, context)
                        .isEqualTo(boundary);
            }
        }
        assertThat(acked).isNotEmpty();
    }

    /** Complete lines only: a line cut by the kill has no newline and is no promise. */
    private static void readLines(InputStream in, List<String> out) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        out.add(line.toString(StandardCharsets.US_ASCII));
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closes when the child dies.
        }
    }
}
