package io.mantis.collector.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.mantis.collector.LogCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent queue's files against docs/format/persistent-queue.md, and its recovery. */
class PersistentQueueTest {
    @TempDir
    Path tmp;

    private static PersistentQueue open(Path dir) throws IOException {
        return open(dir, 1000, PersistentQueue.Options.DEFAULTS);
    }

    private static PersistentQueue open(Path dir, int capacity, PersistentQueue.Options options) throws IOException {
        return PersistentQueue.open(dir, PersistentQueue.KIND_OPAQUE, capacity, options);
    }

    private static byte[] payload(int i, int len) {
        byte[] b = new byte[len];
        new Random(i).nextBytes(b);
        return b;
    }

    /** Takes everything waiting, without acknowledging. */
    private static List<PersistentQueue.Entry> drain(PersistentQueue q) throws InterruptedException {
        List<PersistentQueue.Entry> out = new ArrayList<>();
        for (PersistentQueue.Entry e; (e = q.take(0, TimeUnit.MILLISECONDS)) != null; ) {
            out.add(e);
        }
        return out;
    }

    private static List<Long> seqs(List<PersistentQueue.Entry> entries) {
        return entries.stream().map(PersistentQueue.Entry::seq).toList();
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")
                    && !p.getFileName().toString().endsWith(".corrupt")).sorted().toList();
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            b.rewind();
            ch.write(b, at);
        }
    }

    private static int crc(byte[] b, int from, int len) {
        CRC32C c = new CRC32C();
        c.update(b, from, len);
        return (int) c.getValue();
    }

    @Test
    void filesAreLaidOutAsTheFormatDocumentSays() throws Exception {
        Path dir = tmp.resolve("q");
        byte[][] payloads = {payload(1, 10), new byte[0], payload(3, 300)};
        try (PersistentQueue q = PersistentQueue.open(dir, PersistentQueue.KIND_LOGS, 10,
                PersistentQueue.Options.DEFAULTS)) {
            for (byte[] p : payloads) {
                q.enqueue(p);
            }
            // Out of order: 3 done, 1 taken, 2 still taken and not done.
            PersistentQueue.Entry e1 = q.take();
            q.take();
            PersistentQueue.Entry e3 = q.take();
            q.ack(e3.seq());
            assertThat(e1.seq()).isEqualTo(1);
        }
        assertThat(dir.resolve("queue.lock")).exists();
        List<Path> segs = segmentFiles(dir);
        assertThat(segs).extracting(p -> p.getFileName().toString()).containsExactly("segment-00000000000000000001");

        // An independent reading of the segment, by the table in the document.
        ByteBuffer f = ByteBuffer.wrap(Files.readAllBytes(segs.getFirst()));
        assertThat(f.getInt(0)).isEqualTo(0x4D515347);
        assertThat(f.getShort(4)).isEqualTo((short) 1);
        assertThat(f.get(6)).isEqualTo((byte) 3);
        assertThat(f.get(7)).isZero();
        assertThat(f.getLong(8)).isEqualTo(1);
        assertThat(f.getInt(16)).isEqualTo(crc(f.array(), 0, 16));
        int pos = 20;
        for (int i = 0; i < payloads.length; i++) {
            int len = f.getInt(pos);
            assertThat(len).isEqualTo(payloads[i].length);
            assertThat(f.getLong(pos + 4)).isEqualTo(i + 1);
            assertThat(Arrays.copyOfRange(f.array(), pos + 12, pos + 12 + len)).isEqualTo(payloads[i]);
            assertThat(f.getInt(pos + 12 + len)).isEqualTo(crc(f.array(), pos, 12 + len));
            pos += 16 + len;
        }
        assertThat(pos).isEqualTo(f.capacity());

        // acks: horizon 4 (3 was acknowledged), 1 and 2 listed as outstanding.
        ByteBuffer a = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("acks")));
        assertThat(a.getInt(0)).isEqualTo(0x4D51414B);
        assertThat(a.getShort(4)).isEqualTo((short) 1);
        assertThat(a.getShort(6)).isZero();
        assertThat(a.getLong(8)).isEqualTo(4);
        assertThat(a.getInt(16)).isEqualTo(2);
        assertThat(a.getLong(20)).isEqualTo(1);
        assertThat(a.getLong(28)).isEqualTo(2);
        assertThat(a.getInt(36)).isEqualTo(crc(a.array(), 0, 36));
        assertThat(a.capacity()).isEqualTo(40);
        assertThat(dir.resolve("acks.tmp")).doesNotExist();
    }

    @Test
    void roundTripKeepsOrderAndOnlyUnacknowledgedRecordsComeBack() throws Exception {
        Path dir = tmp.resolve("q");
        try (PersistentQueue q = open(dir)) {
            for (int i = 1; i <= 6; i++) {
                assertThat(q.enqueue(payload(i, i * 100))).isEqualTo(i);
            }
            assertThat(q.queued()).isEqualTo(6);
            List<PersistentQueue.Entry> all = drain(q);
            assertThat(seqs(all)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            for (PersistentQueue.Entry e : all) {
                assertThat(e.payload()).isEqualTo(payload((int) e.seq(), (int) e.seq() * 100));
            }
            q.ack(2);
            q.ack(5);
            q.ack(1);
            q.ack(1); // twice: ignored
            q.ack(99); // unknown: ignored
            assertThat(q.outstanding()).isEqualTo(3);
        }
        try (PersistentQueue q = open(dir)) {
            // Taken but not acknowledged (3, 4, 6) is handed out again, in order.
            List<PersistentQueue.Entry> back = drain(q);
            assertThat(seqs(back)).containsExactly(3L, 4L, 6L);
            assertThat(back.get(1).payload()).isEqualTo(payload(4, 400));
            // Sequence numbers go on, never reused.
            assertThat(q.enqueue(payload(7, 7))).isEqualTo(7);
            for (PersistentQueue.Entry e : back) {
                q.ack(e.seq());
            }
            q.ack(drain(q).getFirst().seq());
        }
        try (PersistentQueue q = open(dir)) {
            assertThat(drain(q)).isEmpty();
            assertThat(segmentFiles(dir)).isEmpty();
            assertThat(q.enqueue(new byte[] {1})).isEqualTo(8);
        }
    }

    @Test
    void aTornLastRecordIsTruncatedAtEveryByteOffset() throws Exception {
        Path base = tmp.resolve("base");
        int[] sizes = {10, 20, 37};
        try (PersistentQueue q = open(base)) {
            for (int i = 0; i < sizes.length; i++) {
                q.enqueue(payload(i + 1, sizes[i]));
            }
        }
        Path segName = segmentFiles(base).getFirst().getFileName();
        long lastStart = 20 + (16 + 10) + (16 + 20);
        long end = lastStart + 16 + 37;
        assertThat(Files.size(base.resolve(segName))).isEqualTo(end);

        for (long cut = lastStart; cut < end; cut++) {
            Path dir = tmp.resolve("cut" + cut);
            copyDir(base, dir);
            truncate(dir.resolve(segName), cut);
            try (LogCapture logs = new LogCapture(PersistentQueue.class); PersistentQueue q = open(dir)) {
                List<PersistentQueue.Entry> got = drain(q);
                assertThat(seqs(got)).as("cut at %d", cut).containsExactly(1L, 2L);
                assertThat(got.get(1).payload()).isEqualTo(payload(2, 20));
                assertThat(Files.size(dir.resolve(segName))).isEqualTo(lastStart);
                assertThat(logs.messages(Level.ERROR)).isEmpty();
                if (cut > lastStart) {
                    assertThat(logs.messages(Level.WARN)).singleElement().asString()
                            .contains("truncated a torn record of " + (cut - lastStart) + " bytes");
                } else {
                    assertThat(logs.messages(Level.WARN)).isEmpty();
                }
                // The queue goes on where the valid records end.
                assertThat(q.enqueue(payload(9, 9))).isEqualTo(3);
            }
        }
    }

    @Test
    void aLastRecordWithABadChecksumOrZerosInsteadOfDataIsATornTail() throws Exception {
        Path dir = tmp.resolve("q");
        try (PersistentQueue q = open(dir)) {
            q.enqueue(payload(1, 50));
            q.enqueue(payload(2, 50));
        }
        Path seg = segmentFiles(dir).getFirst();
        long second = 20 + 16 + 50;
        flipByte(seg, second + 12 + 20);
        try (LogCapture logs = new LogCapture(PersistentQueue.class); PersistentQueue q = open(dir)) {
            assertThat(seqs(drain(q))).containsExactly(1L);
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains("checksum mismatch");
            q.enqueue(payload(3, 10));
        }
        // Blocks allocated but never written: the tail reads as zeros.
        seg = segmentFiles(dir).getFirst();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4096), size);
        }
        try (LogCapture logs = new LogCapture(PersistentQueue.class); PersistentQueue q = open(dir)) {
            assertThat(seqs(drain(q))).containsExactly(1L, 2L);
            assertThat(logs.messages(Level.ERROR)).isEmpty();
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains("4096 bytes");
        }
    }

    @Test
    void aNumberThatAcksCallsDoneIsNeverGivenAgainEvenWhenItsRecordIsGone() throws Exception {
        Path dir = tmp.resolve("q");
        try (PersistentQueue q = open(dir)) {
            for (int i = 1; i <= 3; i++) {
                q.enqueue(payload(i, 40));
            }
            drain(q);
            q.ack(3); // sent before the machine lost the unsynced end of the segment
        }
        Path seg = segmentFiles(dir).getFirst();
        truncate(seg, Files.size(seg) - 10);
        try (PersistentQueue q = open(dir)) {
            assertThat(seqs(drain(q))).containsExactly(1L, 2L);
            // Were it numbered 3, acks (horizon 4) would call the new record done.
            assertThat(q.enqueue(payload(4, 4))).isEqualTo(4);
        }
        try (PersistentQueue q = open(dir)) {
            assertThat(seqs(drain(q))).containsExactly(1L, 2L, 4L);
        }
    }

    @Test
    void damageBeforeValidRecordsIsReportedAsAnErrorNamingWhatWasLost() throws Exception {
        Path base = tmp.resolve("base");
        try (PersistentQueue q = open(base)) {
            for (int i = 1; i <= 5; i++) {
                q.enqueue(payload(i, 40));
            }
        }
        Path segName = segmentFiles(base).getFirst().getFileName();
        long third = 20 + 2 * (16 + 40);
        // A payload byte, then the length field, of record 3.
        for (long at : new long[] {third + 12 + 7, third + 1}) {
            Path dir = tmp.resolve("d" + at);
            copyDir(base, dir);
            flipByte(dir.resolve(segName), at);
            try (LogCapture logs = new LogCapture(PersistentQueue.class); PersistentQueue q = open(dir)) {
                assertThat(seqs(drain(q))).containsExactly(1L, 2L);
                assertThat(logs.messages(Level.ERROR)).singleElement().asString()
                        .contains("is damaged at byte " + third)
                        .contains("dropped " + 3 * (16 + 40) + " bytes")
                        .contains("from sequence number 3");
                assertThat(Files.size(dir.resolve(segName))).isEqualTo(third);
                // Nothing was acknowledged (the horizon is 0), so the lost numbers may be given again.
                assertThat(q.enqueue(payload(6, 6))).isEqualTo(3);
            }
        }
    }

    @Test
    void segmentsRollOverAndAreDeletedOnceEveryRecordIsAcknowledged() throws Exception {
        Path dir = tmp.resolve("q");
        // Room for two records of 16 + 40 bytes after the header.
        PersistentQueue.Options small = new PersistentQueue.Options(true, 20 + 2 * 56);
        try (PersistentQueue q = open(dir, 100, small)) {
            for (int i = 1; i <= 7; i++) {
                q.enqueue(payload(i, 40));
            }
            assertThat(segmentFiles(dir)).extracting(p -> p.getFileName().toString()).containsExactly(
                    "segment-00000000000000000001", "segment-00000000000000000003",
                    "segment-00000000000000000005", "segment-00000000000000000007");
            for (Path p : segmentFiles(dir).subList(0, 3)) {
                assertThat(Files.size(p)).isEqualTo(20 + 2 * 56);
            }
            drain(q);
            q.ack(1);
            assertThat(segmentFiles(dir)).hasSize(4);
            q.ack(2);
            assertThat(segmentFiles(dir)).hasSize(3);
            q.ack(4);
            q.ack(5);
            q.ack(6);
            // 3 holds its segment; 5 and 6 finished theirs.
            assertThat(segmentFiles(dir)).extracting(p -> p.getFileName().toString()).containsExactly(
                    "segment-00000000000000000003", "segment-00000000000000000007");
            q.ack(7);
            // The segment being appended to stays, even when it is done.
            assertThat(segmentFiles(dir)).extracting(p -> p.getFileName().toString()).containsExactly(
                    "segment-00000000000000000003", "segment-00000000000000000007");
            // A record larger than a segment gets one of its own.
            assertThat(q.enqueue(payload(8, 1000))).isEqualTo(8);
            assertThat(q.enqueue(payload(9, 10))).isEqualTo(9);
            assertThat(segmentFiles(dir)).extracting(p -> p.getFileName().toString()).containsExactly(
                    "segment-00000000000000000003", "segment-00000000000000000008",
                    "segment-00000000000000000009");
        }
        try (PersistentQueue q = open(dir, 100, small)) {
            List<PersistentQueue.Entry> back = drain(q);
            assertThat(seqs(back)).containsExactly(3L, 8L, 9L);
            assertThat(back.get(1).payload()).isEqualTo(payload(8, 1000));
            back.forEach(e -> q.ack(e.seq()));
            // Recovered segments are never appended to, so all of them can go.
            assertThat(segmentFiles(dir)).isEmpty();
        }
    }

    @Test
    void aDamagedAckFileMeansEverythingIsSentAgainNeverLost() throws Exception {
        Path dir = tmp.resolve("q");
        try (PersistentQueue q = open(dir)) {
            for (int i = 1; i <= 4; i++) {
                q.enqueue(payload(i, 20));
            }
            drain(q);
            q.ack(1);
            q.ack(3);
        }
        flipByte(dir.resolve("acks"), 10);
        Files.write(dir.resolve("acks.tmp"), new byte[] {1, 2, 3});
        try (LogCapture logs = new LogCapture(PersistentQueue.class); PersistentQueue q = open(dir)) {
            // Without a readable acks file nothing may be skipped: 1 and 3 are sent again.
            assertThat(seqs(drain(q))).containsExactly(1L, 2L, 3L, 4L);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("acknowledgement file is damaged (checksum mismatch)");
            assertThat(dir.resolve("acks.tmp")).doesNotExist();
        }
    }

    @Test
    void aSegmentWithABadHeaderIsSetAsideAndACutShortOneDeleted() throws Exception {
        Path dir = tmp.resolve("q");
        PersistentQueue.Options small = new PersistentQueue.Options(true, 20 + 56);
        try (PersistentQueue q = open(dir, 100, small)) {
            for (int i = 1; i <= 3; i++) {
                q.enqueue(payload(i, 40));
            }
        }
        List<Path> segs = segmentFiles(dir);
        assertThat(segs).hasSize(3);
        flipByte(segs.get(1), 2);
        // A segment whose creation was cut short: a partial header.
        Files.write(dir.resolve(PersistentQueue.segmentName(4)), new byte[] {0x4D, 0x51});
        try (LogCapture logs = new LogCapture(PersistentQueue.class); PersistentQueue q = open(dir, 100, small)) {
            assertThat(seqs(drain(q))).containsExactly(1L, 3L);
            assertThat(logs.messages(Level.ERROR)).singleElement().asString().contains("invalid header (bad magic)");
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains("creation was cut short");
            assertThat(dir.resolve(segs.get(1).getFileName() + ".corrupt")).exists();
            assertThat(dir.resolve(PersistentQueue.segmentName(4))).doesNotExist();
            assertThat(q.enqueue(payload(4, 4))).isEqualTo(4);
        }
    }

    @Test
    void recordsDamagedAfterTheyWereWrittenAreSkippedWhenTaken() throws Exception {
        Path dir = tmp.resolve("q");
        try (PersistentQueue q = open(dir)) {
            q.enqueue(payload(1, 30));
            q.enqueue(payload(2, 30));
            flipByte(segmentFiles(dir).getFirst(), 20 + 12 + 5);
            try (LogCapture logs = new LogCapture(PersistentQueue.class)) {
                assertThat(seqs(drain(q))).containsExactly(2L);
                assertThat(logs.messages(Level.ERROR)).singleElement().asString().contains("record 1 cannot be read");
            }
            assertThat(q.outstanding()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueRefusesUntilRecordsAreTaken() throws Exception {
        try (PersistentQueue q = open(tmp.resolve("q"), 2, PersistentQueue.Options.DEFAULTS)) {
            assertThat(q.enqueue(payload(1, 1))).isEqualTo(1);
            assertThat(q.enqueue(payload(2, 1))).isEqualTo(2);
            assertThat(q.enqueue(payload(3, 1))).isEqualTo(-1);
            assertThat(q.take().seq()).isEqualTo(1);
            // Taken records no longer count against the capacity, as in the in-memory queue.
            assertThat(q.enqueue(payload(3, 1))).isEqualTo(3);
        }
    }

    @Test
    void theDirectoryHoldsOneOpenQueueOfOneKind() throws Exception {
        Path dir = tmp.resolve("q");
        try (PersistentQueue q = PersistentQueue.open(dir, PersistentQueue.KIND_TRACES, 10,
                PersistentQueue.Options.DEFAULTS)) {
            q.enqueue(payload(1, 3));
            assertThatThrownBy(() -> PersistentQueue.open(dir, PersistentQueue.KIND_TRACES, 10,
                    PersistentQueue.Options.DEFAULTS)).isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
        assertThatThrownBy(() -> PersistentQueue.open(dir, PersistentQueue.KIND_LOGS, 10,
                PersistentQueue.Options.DEFAULTS)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds payload kind 1 but this queue stores kind 3");
        // The failed open released the lock.
        PersistentQueue.open(dir, PersistentQueue.KIND_TRACES, 10, PersistentQueue.Options.DEFAULTS).close();
    }

    @Test
    void anInterruptedCallerDoesNotBreakTheQueue() throws Exception {
        try (PersistentQueue q = open(tmp.resolve("q"))) {
            Thread.currentThread().interrupt();
            try {
                assertThat(q.enqueue(payload(1, 10))).isEqualTo(1);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(q.enqueue(payload(2, 10))).isEqualTo(2);
            assertThat(drain(q)).hasSize(2);
        }
    }

    @Test
    void takeWaitsForARecordAndStopTakingOrCloseReleasesIt() throws Exception {
        try (PersistentQueue q = open(tmp.resolve("q"))) {
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                    q.enqueue(payload(1, 5));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            producer.start();
            assertThat(q.take(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
            producer.join();
            Thread taker = new Thread(() -> {
                try {
                    assertThat(q.take()).isNull();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            taker.start();
            Thread.sleep(50);
            q.stopTaking();
            taker.join(5000);
            assertThat(taker.isAlive()).isFalse();
        }
        // Closing releases a waiting taker too.
        PersistentQueue q = open(tmp.resolve("q2"));
        Thread taker = new Thread(() -> {
            try {
                assertThat(q.take()).isNull();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        taker.start();
        Thread.sleep(50);
        q.close();
        taker.join(5000);
        assertThat(taker.isAlive()).isFalse();
    }

    @Test
    void exporterIdsBecomeOneSafePathElement() {
        Path data = Path.of("data");
        assertThat(PersistentQueue.directoryFor(data, "otlphttp", "traces"))
                .isEqualTo(Path.of("data", "collector", "queues", "otlphttp", "traces"));
        assertThat(PersistentQueue.directoryFor(data, "otlp/backup", "logs"))
                .isEqualTo(Path.of("data", "collector", "queues", "otlp%2Fbackup", "logs"));
        assertThat(PersistentQueue.escapeId("otlp/../x y é")).isEqualTo("otlp%2F..%2Fx%20y%20%C3%A9");
        String longId = "otlp/" + "n".repeat(400);
        String element = PersistentQueue.escapeId(longId);
        assertThat(element).hasSize(200).startsWith("otlp%2Fnnn").matches(".*-[0-9a-f]{16}");
        assertThat(PersistentQueue.escapeId(longId + "m")).isNotEqualTo(element);
    }
}
