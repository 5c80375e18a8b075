package io.mantis.common.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigException;
import io.mantis.common.config.ConfigLoader;
import io.mantis.common.config.DataSize;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.metrics.TextFormat;
import io.mantis.testkit.LeakCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LeakCheck.class)
class WriteAheadLogTest {

    static final WalConfig SMALL = WalConfig.DEFAULTS.withSegmentSize(DataSize.ofKibibytes(4));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void appendedBatchesReplayInOrderAcrossManySegments(FsyncPolicy policy) throws IOException {
        Path dir = tmp.resolve("wal");
        Random random = new Random(42);
        List<Long> expected = new ArrayList<>();
        Map<Long, Integer> segmentOf = new HashMap<>();
        long id = 0;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL.withFsync(policy))) {
            for (int b = 0; b < 300; b++) {
                int n = 1 + random.nextInt(5);
                int seg = wal.append(Records.batch(id, n, 600));
                for (int i = 0; i < n; i++) {
                    expected.add(id);
                    segmentOf.put(id++, seg);
                }
            }
            assertThat(wal.metrics().recordsWritten()).isEqualTo(expected.size());
            assertThat(wal.metrics().commits()).isEqualTo(300);
        }
        List<Integer> segments = Segments.list(dir);
        assertThat(segments).hasSizeGreaterThan(30);
        assertThat(segments.get(0)).isZero();
        for (int n : segments) {
            assertThat(Files.size(dir.resolve(Segments.name(n)))).isLessThanOrEqualTo(4096);
        }
        List<Long> replayed = new ArrayList<>();
        WalReader.ReplayResult result = new WalReader(dir).replay((rec, seg) -> {
            long got = Records.check(rec, 600);
            assertThat(seg).as("segment of record %d", got).isEqualTo(segmentOf.get(got));
            replayed.add(got);
        });
        assertThat(replayed).isEqualTo(expected);
        assertThat(result.records()).isEqualTo(expected.size());
        assertThat(result.tailBytesDropped()).isZero();
        assertThat(result.lastSegment()).isEqualTo(segments.get(segments.size() - 1));
    }

    @Test
    void reopenedWalContinuesInANewSegmentAndKeepsEverything() throws IOException {
        Path dir = tmp.resolve("wal");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertThat(wal.currentSegment()).isEqualTo(-1);
            assertThat(wal.append(Records.batch(0, 3, 10))).isZero();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertThat(Records.ids(wal, 10)).containsExactly(0L, 1L, 2L);
            assertThat(wal.append(Records.batch(3, 2, 10))).isEqualTo(1);
            assertThat(wal.segments()).containsExactly(0, 1);
        }
        assertThat(Records.ids(dir, 10)).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aBatchLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        Path dir = tmp.resolve("wal");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertThat(wal.append(Records.batch(0, 1, 10))).isZero();
            assertThat(wal.append(ByteBuffer.wrap(Records.record(1, 0)), bigRecord(2, 20_000))).isEqualTo(1);
            assertThat(wal.append(Records.batch(3, 1, 10))).isEqualTo(2);
        }
        assertThat(Files.size(dir.resolve(Segments.name(1)))).isGreaterThan(20_000);
        List<Long> ids = new ArrayList<>();
        new WalReader(dir).replay((rec, seg) -> ids.add(rec.getLong(rec.position())));
        assertThat(ids).containsExactly(0L, 1L, 2L, 3L);
    }

    private static ByteBuffer bigRecord(long id, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(0, id);
        return b;
    }

    @Test
    void appendLeavesTheCallersBufferPositionsAlone() throws IOException {
        ByteBuffer direct = ByteBuffer.allocateDirect(100_000);
        direct.putLong(7).position(0).limit(90_000);
        ByteBuffer heap = ByteBuffer.wrap(new byte[50]).position(10);
        heap.putLong(10, 8);
        try (WriteAheadLog wal = WriteAheadLog.open(tmp.resolve("wal"), WalConfig.DEFAULTS)) {
            wal.append(direct, heap);
        }
        assertThat(direct.position()).isZero();
        assertThat(direct.limit()).isEqualTo(90_000);
        assertThat(heap.position()).isEqualTo(10);
        List<Integer> sizes = new ArrayList<>();
        new WalReader(tmp.resolve("wal")).replay((rec, seg) -> sizes.add(rec.remaining()));
        assertThat(sizes).containsExactly(90_000, 40);
    }

    @Test
    void concurrentCommittersShareFsyncsAndEveryAcknowledgedRecordIsReplayedInOrder() throws Exception {
        Path dir = tmp.resolve("wal");
        int threads = 16;
        int perThread = 150;
        MetricRegistry registry = new MetricRegistry();
        WalMetrics metrics = WalMetrics.register(registry, "test");
        List<List<Long>> acked = new ArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalConfig.DEFAULTS.withSegmentSize(DataSize.ofKibibytes(64)),
                metrics)) {
            for (int t = 0; t < threads; t++) {
                List<Long> mine = new ArrayList<>();
                acked.add(mine);
                long base = t * 1_000_000L;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            // Every other commit is a batch of two, to mix batch sizes.
                            int n = 1 + i % 2;
                            wal.append(Records.batch(base + 2L * i, n, 200));
                            for (int k = 0; k < n; k++) {
                                mine.add(base + 2L * i + k);
                            }
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
        }
        assertThat(error.get()).isNull();
        long commits = metrics.commits();
        assertThat(commits).isEqualTo((long) threads * perThread);
        // One fsync per commit at most (plus rotations); sharing usually makes it far fewer.
        assertThat(metrics.fsyncs()).isLessThanOrEqualTo(commits + Segments.list(dir).size() + 1);

        List<Long> replayed = Records.ids(dir, 200);
        long total = acked.stream().mapToLong(List::size).sum();
        assertThat(replayed).hasSize((int) total);
        // Each thread's records in the order it committed them; batches never interleaved.
        Map<Long, List<Long>> byThread = new HashMap<>();
        for (long id : replayed) {
            byThread.computeIfAbsent(id / 1_000_000L, k -> new ArrayList<>()).add(id);
        }
        for (int t = 0; t < threads; t++) {
            assertThat(byThread.get((long) t)).isEqualTo(acked.get(t));
        }
        for (int i = 0; i < replayed.size(); i++) {
            long id = replayed.get(i);
            if (id % 1_000_000L % 4 == 2) { // first of a two-record batch: its partner follows at once
                assertThat(replayed.get(i + 1)).isEqualTo(id + 1);
            }
        }
        StringBuilder text = new StringBuilder();
        TextFormat.write004(registry, text);
        String exposition = text.toString();
        assertThat(exposition).contains("mantis_wal_commits_total{wal=\"test\"} " + commits);
        assertThat(exposition).contains("mantis_wal_fsync_duration_seconds_count{wal=\"test\"}");
    }

    @Test
    void tornTailAtEveryByteOfTheLastBatchIsTruncatedWithAWarning() throws IOException {
        Path original = tmp.resolve("original");
        long before;
        long after;
        try (WriteAheadLog wal = WriteAheadLog.open(original, SMALL)) {
            for (int i = 0; i < 10; i++) {
                wal.append(Records.batch(i * 10L, 2, 40));
            }
            wal.rotate();
            wal.append(Records.batch(100, 2, 40));
            before = Files.size(original.resolve(Segments.name(1)));
            wal.append(Records.batch(102, 3, 40));
            after = Files.size(original.resolve(Segments.name(1)));
        }
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            kept.add(i * 10L);
            kept.add(i * 10L + 1);
        }
        kept.add(100L);
        kept.add(101L);
        for (long cut = before; cut < after; cut++) {
            Path dir = copy(original, tmp.resolve("cut-" + cut));
            Path last = dir.resolve(Segments.name(1));
            try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            // Recovery fsyncs what it truncates whatever the policy; NEVER only keeps the rest of the loop fast.
            try (LogCapture logs = new LogCapture(WalReader.class);
                 WriteAheadLog wal = WriteAheadLog.open(dir, SMALL.withFsync(FsyncPolicy.NEVER))) {
                assertThat(Records.ids(wal, 40)).as("cut at %d", cut).isEqualTo(kept);
                if (cut == before) {
                    assertThat(logs.messages(Level.WARN)).isEmpty();
                } else {
                    assertThat(logs.messages(Level.WARN)).as("cut at %d", cut).singleElement().asString()
                            .contains(last.toString()).contains("at offset " + before)
                            .contains("dropped " + (cut - before) + " bytes");
                    assertThat(wal.metrics().truncatedTails()).isEqualTo(1);
                }
                assertThat(Files.size(last)).isEqualTo(before);
                // The WAL goes on after the repaired tail, in a new segment.
                assertThat(wal.append(Records.batch(200, 1, 40))).isEqualTo(2);
            }
            Segments.deleteRecursively(dir);
        }
    }

    @Test
    void readerAloneTruncatesATornTailBeforeDeliveringAnyRecordOfThatSegment() throws IOException {
        Path dir = tmp.resolve("wal");
        long before;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            wal.append(Records.batch(0, 2, 10));
            before = Files.size(dir.resolve(Segments.name(0)));
            wal.append(Records.batch(2, 3, 10));
        }
        truncate(dir.resolve(Segments.name(0)), before + 30); // two of three frames survive
        try (LogCapture logs = new LogCapture(WalReader.class)) {
            WalReader.ReplayResult result = new WalReader(dir).replay((rec, seg) -> { });
            assertThat(result.records()).isEqualTo(2);
            assertThat(result.tailBytesDropped()).isEqualTo(30);
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains("dropped 30 bytes");
        }
        assertThat(Records.ids(dir, 10)).containsExactly(0L, 1L);
    }

    @Test
    void bitFlipsInTheTailAreTruncatedWithAWarning() throws IOException {
        Path original = tmp.resolve("original");
        long before;
        long after;
        try (WriteAheadLog wal = WriteAheadLog.open(original, SMALL)) {
            wal.append(Records.batch(0, 3, 30));
            before = Files.size(original.resolve(Segments.name(0)));
            wal.append(Records.batch(3, 2, 30));
            after = Files.size(original.resolve(Segments.name(0)));
        }
        for (long at = before; at < after; at++) {
            for (int bit : new int[] {(int) (at % 8)}) {
                Path dir = copy(original, tmp.resolve("flip-" + at + "-" + bit));
                flip(dir.resolve(Segments.name(0)), at, bit);
                try (LogCapture logs = new LogCapture(WalReader.class)) {
                    assertThat(Records.ids(dir, 30)).as("flip at %d", at).containsExactly(0L, 1L, 2L);
                    assertThat(logs.messages(Level.WARN)).as("flip at %d", at).singleElement().asString()
                            .contains("at offset " + before).contains("dropped " + (after - before) + " bytes");
                }
                Segments.deleteRecursively(dir);
            }
        }
    }

    @Test
    void zerosAfterTheLastBatchAreATornTail() throws IOException {
        Path dir = tmp.resolve("wal");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            wal.append(Records.batch(0, 2, 10));
        }
        Path seg = dir.resolve(Segments.name(0));
        long size = Files.size(seg);
        Files.write(seg, new byte[4096], StandardOpenOption.APPEND);
        try (LogCapture logs = new LogCapture(WalReader.class)) {
            assertThat(Records.ids(dir, 10)).containsExactly(0L, 1L);
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains("invalid frame kind 0");
        }
        assertThat(Files.size(seg)).isEqualTo(size);
    }

    @Test
    void aLastSegmentWhoseCreationWasCutShortIsDeleted() throws IOException {
        Path dir = tmp.resolve("wal");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            wal.append(Records.batch(0, 2, 10));
        }
        Files.write(dir.resolve(Segments.name(1)), new byte[] {'M', 'W', 'A'});
        try (LogCapture logs = new LogCapture(WalReader.class);
             WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains("creation was cut short");
            assertThat(Records.ids(wal, 10)).containsExactly(0L, 1L);
            assertThat(wal.append(Records.batch(2, 1, 10))).isEqualTo(1);
        }
        assertThat(Records.ids(dir, 10)).containsExactly(0L, 1L, 2L);
    }

    @Test
    void damageInAnOlderSegmentIsAnErrorUntilRepaired() throws IOException {
        Path dir = tmp.resolve("wal");
        long id = 0;
        List<Long> inSegment0 = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            while (wal.currentSegment() < 4) {
                int seg = wal.append(Records.batch(id, 1, 100));
                if (seg == 0) {
                    inSegment0.add(id);
                }
                id++;
            }
        }
        // Damage the payload of the 5th record of segment 0.
        Path seg0 = dir.resolve(Segments.name(0));
        List<Long> offsets = frameOffsets(seg0);
        long damagedAt = offsets.get(4);
        flip(seg0, damagedAt + 20, 3);

        List<Long> delivered = new ArrayList<>();
        assertThatThrownBy(() -> new WalReader(dir).replay((rec, s) -> delivered.add(Records.check(rec, 100))))
                .isInstanceOfSatisfying(WalCorruptionException.class, e -> {
                    assertThat(e.file()).isEqualTo(seg0);
                    assertThat(e.segment()).isZero();
                    assertThat(e.offset()).isEqualTo(damagedAt);
                    assertThat(e.validBytes()).isEqualTo(damagedAt);
                    assertThat(e.reason()).isEqualTo("checksum mismatch");
                    assertThat(e.getMessage()).contains(seg0.toString()).contains("offset " + damagedAt);
                    assertThat(e.inCheckpoint()).isFalse();
                });
        assertThat(delivered).isEqualTo(inSegment0.subList(0, 4));

        try (LogCapture logs = new LogCapture(WriteAheadLog.class);
             WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            WalCorruptionException damage = null;
            try {
                wal.replay((rec, s) -> { });
            } catch (WalCorruptionException e) {
                damage = e;
            }
            assertThat(damage).isNotNull();
            long lost = wal.repair(damage);
            assertThat(lost).isGreaterThan(3 * 4096L);
            assertThat(logs.messages(Level.ERROR)).singleElement().asString().contains(seg0.toString())
                    .contains("offset " + damagedAt).contains("00000001").contains("00000004");
            assertThat(wal.metrics().corruptionsRepaired()).isEqualTo(1);
            assertThat(Records.ids(wal, 100)).isEqualTo(inSegment0.subList(0, 4));
            assertThat(wal.append(Records.batch(1000, 1, 100))).isEqualTo(1);
        }
        List<Long> expected = new ArrayList<>(inSegment0.subList(0, 4));
        expected.add(1000L);
        assertThat(Records.ids(dir, 100)).isEqualTo(expected);
    }

    @Test
    void aMissingSegmentIsDamage() throws IOException {
        Path dir = tmp.resolve("wal");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 3; i++) {
                wal.append(Records.batch(i, 1, 10));
                wal.rotate();
            }
        }
        Files.delete(dir.resolve(Segments.name(1)));
        assertThatThrownBy(() -> Records.ids(dir, 10)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("segments 1 to 1 are missing");
    }

    @Test
    void checkpointKeepsRewritesAndDropsThenTruncates() throws IOException {
        Path dir = tmp.resolve("wal");
        long id = 0;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            while (wal.currentSegment() < 8) {
                wal.append(Records.batch(id, 2, 100));
                id += 2;
            }
            int upTo = wal.currentSegment() - 1;
            long lastCheckpointed = lastIdIn(dir, upTo);
            // Keep even ids, rewrite multiples of 10 to a single 8-byte record holding -id.
            ByteBuffer rewritten = ByteBuffer.allocate(8);
            RecordFilter filter = rec -> {
                long got = Records.check(rec, 100);
                if (got % 10 == 0) {
                    rewritten.clear();
                    rewritten.putLong(-got).flip();
                    return rewritten;
                }
                return got % 2 == 0 ? rec : null;
            };
            Checkpoint.Result result = Checkpoint.create(wal, upTo, filter);
            assertThat(result.checkpoint()).isEqualTo(upTo);
            assertThat(result.recordsRead()).isEqualTo(lastCheckpointed + 1);
            assertThat(result.segmentsDeleted()).isEqualTo(upTo + 1);
            assertThat(wal.segments()).allMatch(n -> n > upTo);
            assertThat(wal.lastCheckpoint()).isEqualTo(upTo);
            assertThat(Files.isDirectory(dir.resolve("checkpoint.0000000" + upTo))).isTrue();
            wal.append(Records.batch(id, 1, 100));
            id++;

            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < id; i++) {
                if (i > lastCheckpointed) {
                    expected.add(i);
                } else if (i % 10 == 0) {
                    expected.add(-i);
                } else if (i % 2 == 0) {
                    expected.add(i);
                }
            }
            wal.close();
            List<Long> replayed = new ArrayList<>();
            List<Integer> segments = new ArrayList<>();
            WalReader.ReplayResult replay = new WalReader(dir).replay((rec, seg) -> {
                replayed.add(rec.getLong(rec.position()));
                segments.add(seg);
            });
            assertThat(replay.checkpoint()).isEqualTo(upTo);
            assertThat(replayed).isEqualTo(expected);
            assertThat(segments.get(0)).isEqualTo(upTo);

            // A second checkpoint builds on the first and replaces it.
            try (WriteAheadLog again = WriteAheadLog.open(dir, SMALL)) {
                int last = again.segments().get(again.segments().size() - 1);
                Checkpoint.create(again, last, RecordFilter.KEEP_ALL);
                assertThat(again.segments()).isEmpty();
                assertThat(again.lastCheckpoint()).isEqualTo(last);
                assertThat(Segments.checkpoints(dir)).containsExactly(last);
                assertThat(again.append(Records.batch(5000, 1, 100))).isEqualTo(last + 1);
            }
            List<Long> withNew = new ArrayList<>(expected);
            withNew.add(5000L);
            List<Long> all = new ArrayList<>();
            new WalReader(dir).replay((rec, seg) -> all.add(rec.getLong(rec.position())));
            assertThat(all).isEqualTo(withNew);
        }
    }

    @Test
    void checkpointRefusesTheSegmentBeingWritten() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(tmp.resolve("wal"), SMALL)) {
            wal.append(Records.batch(0, 1, 10));
            assertThatThrownBy(() -> Checkpoint.create(wal, 0, RecordFilter.KEEP_ALL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotate()");
            assertThat(wal.rotate()).isZero();
            assertThat(Checkpoint.create(wal, 0, RecordFilter.KEEP_ALL).recordsKept()).isEqualTo(1);
        }
    }

    @Test
    void leftOversOfAnInterruptedCheckpointOrTruncationAreCleanedUpAtOpen() throws IOException {
        Path dir = tmp.resolve("wal");
        Path saved = tmp.resolve("saved");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 4; i++) {
                wal.append(Records.batch(i, 1, 10));
                wal.rotate();
            }
            copy(dir, saved);
            Checkpoint.create(wal, 1, RecordFilter.KEEP_ALL);
            Checkpoint.create(wal, 2, RecordFilter.KEEP_ALL);
        }
        // As if the process died after checkpoint.2's rename: old segments and checkpoint still there,
        // plus a half-written checkpoint.3.tmp.
        Files.copy(saved.resolve(Segments.name(0)), dir.resolve(Segments.name(0)));
        Files.copy(saved.resolve(Segments.name(2)), dir.resolve(Segments.name(2)));
        Files.createDirectories(dir.resolve("checkpoint.00000001"));
        Files.createDirectories(dir.resolve("checkpoint.00000003.tmp"));
        Files.write(dir.resolve("checkpoint.00000003.tmp").resolve(Segments.name(0)), new byte[] {1, 2, 3});
        assertThat(Records.ids(dir, 10)).as("replay before any cleanup").containsExactly(0L, 1L, 2L, 3L);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertThat(wal.segments()).containsExactly(3, 4);
            assertThat(Segments.checkpoints(dir)).containsExactly(2);
            assertThat(Files.exists(dir.resolve("checkpoint.00000003.tmp"))).isFalse();
            assertThat(Records.ids(wal, 10)).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void truncateBeforeNeverDeletesTheSegmentBeingWritten() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(tmp.resolve("wal"), SMALL)) {
            for (int i = 0; i < 3; i++) {
                wal.append(Records.batch(i, 1, 10));
                wal.rotate();
            }
            wal.append(Records.batch(3, 1, 10));
            assertThat(wal.currentSegment()).isEqualTo(3);
            assertThat(wal.truncateBefore(100)).isEqualTo(3);
            assertThat(wal.segments()).containsExactly(3);
            assertThat(Records.ids(tmp.resolve("wal"), 10)).containsExactly(3L);
        }
    }

    @Test
    void oneOpenWalPerDirectory() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(tmp.resolve("wal"), SMALL)) {
            assertThatThrownBy(() -> WriteAheadLog.open(tmp.resolve("wal"), SMALL)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
        WriteAheadLog.open(tmp.resolve("wal"), SMALL).close();
    }

    @Test
    void closedWalRefusesAppendsAndReplayRefusesAfterAppends() throws IOException {
        WriteAheadLog wal = WriteAheadLog.open(tmp.resolve("wal"), SMALL);
        wal.append(new byte[] {1});
        assertThatThrownBy(() -> wal.replay((r, s) -> { })).isInstanceOf(IllegalStateException.class);
        wal.close();
        assertThatThrownBy(() -> wal.append(new byte[] {1})).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> wal.append(new ByteBuffer[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intervalPolicyFsyncsInTheBackground() throws Exception {
        WalConfig config = new WalConfig(DataSize.ofMebibytes(1), FsyncPolicy.INTERVAL, Duration.ofMillis(5),
                WalConfig.DEFAULTS.writeBufferSize());
        try (WriteAheadLog wal = WriteAheadLog.open(tmp.resolve("wal"), config)) {
            wal.append(new byte[] {1, 2, 3});
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (wal.metrics().fsyncs() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(wal.metrics().fsyncs()).isPositive();
        }
    }

    @Test
    void configBindsFromYamlAndNamesTheBadKey() {
        WalConfig config = ConfigBinder.bind(ConfigLoader.parse(
                "segment_size: 64MiB\nfsync: interval\nfsync_interval: 50ms\n", "test.yaml", Map.of()),
                WalConfig.class, WalConfig.DEFAULTS);
        assertThat(config.segmentSize()).isEqualTo(DataSize.ofMebibytes(64));
        assertThat(config.fsync()).isEqualTo(FsyncPolicy.INTERVAL);
        assertThat(config.fsyncInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(WalConfig.DEFAULTS.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(WalConfig.DEFAULTS.segmentSize()).isEqualTo(DataSize.ofMebibytes(128));

        assertThatThrownBy(() -> ConfigBinder.bind(ConfigLoader.parse("segment_size: 1KiB\n", "test.yaml",
                Map.of()), WalConfig.class, WalConfig.DEFAULTS)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("segment_size").hasMessageContaining("between 4KiB and 1GiB");
        assertThatThrownBy(() -> ConfigBinder.bind(ConfigLoader.parse("fsync: sometimes\n", "test.yaml",
                Map.of()), WalConfig.class, WalConfig.DEFAULTS)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fsync");
        assertThatThrownBy(() -> new WalConfig(DataSize.ofMebibytes(1), FsyncPolicy.INTERVAL, Duration.ZERO,
                DataSize.ofKibibytes(64))).hasMessageContaining("fsync_interval");
    }

    // ---- helpers ----

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals(Segments.LOCK)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static void flip(Path file, long offset, int bit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ (1 << bit)));
            b.rewind();
            ch.write(b, offset);
        }
    }

    /** Offsets of the frames of a clean segment. */
    static List<Long> frameOffsets(Path segment) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> out = new ArrayList<>();
        int pos = Segments.HEADER_SIZE;
        while (pos < all.limit()) {
            out.add((long) pos);
            pos += Segments.FRAME_OVERHEAD + all.getInt(pos + 1);
        }
        return out;
    }

    private static long lastIdIn(Path dir, int upTo) throws IOException {
        long[] last = {-1};
        new WalReader(dir, "wal", null).readSegments(0, upTo, (rec, seg) -> last[0] = rec.getLong(rec.position()));
        return last[0];
    }
}
