package io.mantis.collector.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at a random moment: every record whose enqueue returned is in the queue after a
 * restart, byte for byte, and none whose acknowledgement returned comes back.
 */
class PersistentQueueCrashTest {
    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedEnqueueSurvivesKillDashNine() throws Exception {
        Path dir = tmp.resolve("queue");
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        Map<Long, Long> enqueued = new HashMap<>(); // seq -> id
        Set<Long> acked = new HashSet<>();
        Set<Long> acking = new HashSet<>();
        // Even rounds: small records, fsync on (the kill mostly lands in an fsync). Odd rounds: records
        // of up to 4 MiB without fsync, so that it also lands inside writes. Without fsync an
        // acknowledged enqueue still survives the death of the process: the page cache holds it.
        int rounds = 6;
        for (int round = 0; round < rounds; round++) {
            long firstId = round * 1_000_000L;
            boolean large = PersistentQueueCrashChild.large(firstId);
            int killAfter = large ? 3 + random.nextInt(30) : 20 + random.nextInt(400);
            Path protocol = tmp.resolve("lines-" + round + ".txt");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PersistentQueueCrashChild.class.getName(),
                    dir.toString(), Long.toString(firstId), Boolean.toString(!large), protocol.toString())
                    .redirectError(tmp.resolve("child-" + round + ".log").toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completeLines(protocol).stream().filter(l -> l.startsWith("E ")).count() < killAfter
                    && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(random.nextInt(large ? 5 : 20));
            assertThat(child.isAlive()).as("child of round %d is running (log: %s)", round,
                    Files.readString(tmp.resolve("child-" + round + ".log"))).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = completeLines(protocol);

            int roundEnqueues = 0;
            for (String l : lines) {
                String[] f = l.split(" ");
                if (f[0].equals("E")) {
                    assertThat(enqueued.put(Long.parseLong(f[2]), Long.parseLong(f[1])))
                            .as("sequence number %s handed out twice", f[2]).isNull();
                    roundEnqueues++;
                } else if (f[0].equals("T")) {
                    acking.add(Long.parseLong(f[1]));
                } else if (f[0].equals("A")) {
                    acked.add(Long.parseLong(f[1]));
                }
            }
            assertThat(roundEnqueues).isGreaterThanOrEqualTo(killAfter);

            // Reopen as the next process would, and look at everything without acknowledging it.
            Map<Long, byte[]> present = new HashMap<>();
            try (PersistentQueue q = PersistentQueue.open(dir, PersistentQueue.KIND_OPAQUE, 10_000_000,
                    PersistentQueue.Options.DEFAULTS)) {
                for (PersistentQueue.Entry e; (e = q.take(0, TimeUnit.MILLISECONDS)) != null; ) {
                    assertThat(present.put(e.seq(), e.payload())).isNull();
                }
            }
            List<Long> lost = new ArrayList<>();
            List<Long> back = new ArrayList<>();
            List<Long> altered = new ArrayList<>();
            for (Map.Entry<Long, Long> e : enqueued.entrySet()) {
                long seq = e.getKey();
                if (acked.contains(seq)) {
                    if (present.containsKey(seq)) {
                        back.add(seq);
                    }
                } else if (!present.containsKey(seq)) {
                    // An acknowledgement under way when the kill came may have finished or not.
                    if (!acking.contains(seq)) {
                        lost.add(seq);
                    }
                } else if (!Arrays.equals(present.get(seq), PersistentQueueCrashChild.payload(e.getValue()))) {
                    altered.add(seq);
                }
            }
            String context = "seed " + seed + ", round " + round + ", " + enqueued.size() + " enqueued, "
                    + acked.size() + " acknowledged";
            assertThat(lost).as("enqueued records lost (%s)", context).isEmpty();
            assertThat(altered).as("records with other bytes than enqueued (%s)", context).isEmpty();
            assertThat(back).as("acknowledged records that came back (%s)", context).isEmpty();
        }
        assertThat(acked).isNotEmpty();
    }

    /** The file's complete lines (none while it does not exist): a line without its newline is no promise. */
    private static List<String> completeLines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
