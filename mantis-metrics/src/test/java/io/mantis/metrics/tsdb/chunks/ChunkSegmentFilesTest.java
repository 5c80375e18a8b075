package io.mantis.metrics.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentFilesTest {

    @TempDir
    Path dir;

    private static Chunk xor(Random rnd, int samples) {
        Chunk c = Chunk.create(Encoding.XOR);
        ChunkAppender a = c.appender();
        long t = rnd.nextInt(1_000_000);
        double v = 0;
        for (int i = 0; i < samples; i++) {
            t += 15_000 + rnd.nextInt(100);
            v += rnd.nextInt(10);
            a.append(t, v);
        }
        return c;
    }

    private static Chunk histogram(int samples) {
        Chunk c = Chunk.create(Encoding.FLOAT_HISTOGRAM);
        ChunkAppender a = c.appender();
        for (int i = 0; i < samples; i++) {
            FloatHistogram h = new FloatHistogram().schema(2).count(3 * i).sum(i * 0.5);
            h.positive().addSpan(1, 2).addCount(i).addCount(2 * i);
            a.appendHistogram(1000L * i, h);
        }
        return c;
    }

    private static byte[] bytes(Chunk c) {
        ByteBuffer b = c.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void writesAndReadsBackAcrossSegments() throws IOException {
        Random rnd = new Random(1);
        List<Chunk> written = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.BLOCK, 65536)) {
            for (int i = 0; i < 2000; i++) {
                Chunk c = i % 10 == 0 ? histogram(1 + rnd.nextInt(50)) : xor(rnd, 1 + rnd.nextInt(120));
                written.add(c);
                refs.add(w.write(c));
            }
            assertThat(w.currentSegment()).isGreaterThan(3);
        }
        assertThat(refs.get(0)).isEqualTo(8L); // segment 000001, right after the header
        try (ChunkReader r = new ChunkReader(dir, true)) {
            assertThat(r.segmentNumbers()).startsWith(1, 2, 3);
            for (int i = 0; i < written.size(); i++) {
                Chunk back = r.chunk(refs.get(i));
                assertThat(back.encoding()).isEqualTo(written.get(i).encoding());
                assertThat(bytes(back)).isEqualTo(bytes(written.get(i)));
            }
            List<Long> scanned = new ArrayList<>();
            r.scan((ref, series, min, max, chunk) -> scanned.add(ref));
            assertThat(scanned).isEqualTo(refs);
        }
        for (Path p : Files.list(dir).toList()) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(65536);
        }
    }

    @Test
    void chunksReadFromTheMappingIterate() throws IOException {
        Chunk c = xor(new Random(2), 120);
        long ref;
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.BLOCK)) {
            w.write(xor(new Random(3), 5));
            ref = w.write(c);
        }
        try (ChunkReader r = new ChunkReader(dir, false)) {
            ChunkIterator a = c.iterator(null);
            ChunkIterator b = r.chunk(ref).iterator(null);
            int n = 0;
            while (a.next() == ValueType.FLOAT) {
                assertThat(b.next()).isEqualTo(ValueType.FLOAT);
                assertThat(b.timestamp()).isEqualTo(a.timestamp());
                assertThat(b.value()).isEqualTo(a.value());
                n++;
            }
            assertThat(b.next()).isEqualTo(ValueType.NONE);
            assertThat(n).isEqualTo(120);
        }
    }

    @Test
    void headSegmentsCarrySeriesAndTimeRange() throws IOException {
        Random rnd = new Random(4);
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.HEAD, 65536)) {
            for (int i = 0; i < 300; i++) {
                w.write(1000 + i, i * 10L, i * 10L + 9, xor(rnd, 30));
            }
            assertThatThrownBy(() -> w.write(xor(rnd, 1))).isInstanceOf(IllegalStateException.class);
        }
        List<long[]> seen = new ArrayList<>();
        try (ChunkReader r = new ChunkReader(dir, true)) {
            r.scan((ref, series, min, max, chunk) -> {
                seen.add(new long[] {series, min, max, chunk.numSamples()});
                assertThat(r.chunk(ref).numSamples()).isEqualTo(chunk.numSamples());
            });
        }
        assertThat(seen).hasSize(300);
        assertThat(seen.get(7)).containsExactly(1007, 70, 79, 30);
    }

    @Test
    void aNewWriterStartsAfterExistingSegments() throws IOException {
        Random rnd = new Random(5);
        long first;
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.BLOCK)) {
            first = w.write(xor(rnd, 10));
        }
        long second;
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.BLOCK)) {
            second = w.write(xor(rnd, 10));
        }
        assertThat(ChunkRefs.segmentNumber(first)).isEqualTo(1);
        assertThat(ChunkRefs.segmentNumber(second)).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("000002"))).isTrue();
        try (ChunkReader r = new ChunkReader(dir, true)) {
            assertThat(r.chunk(first).numSamples()).isEqualTo(10);
            assertThat(r.chunk(second).numSamples()).isEqualTo(10);
            assertThatThrownBy(() -> r.chunk(ChunkRefs.ref(9, 8))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFlippedByteIsReportedWithFileAndOffset() throws IOException {
        Random rnd = new Random(6);
        long ref;
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.BLOCK)) {
            w.write(xor(rnd, 20));
            ref = w.write(xor(rnd, 20));
            w.write(xor(rnd, 20));
        }
        Path file = dir.resolve("000001");
        flip(file, ChunkRefs.offset(ref) + 10);
        try (ChunkReader verifying = new ChunkReader(dir, true)) {
            assertThatThrownBy(() -> verifying.chunk(ref))
                    .isInstanceOfSatisfying(CorruptChunkFileException.class, e -> {
                        assertThat(e.file()).isEqualTo(file);
                        assertThat(e.offset()).isEqualTo(ChunkRefs.offset(ref));
                        assertThat(e.getMessage()).contains("000001").contains("checksum");
                    });
            assertThatThrownBy(verifying::verifyAll).isInstanceOf(CorruptChunkFileException.class);
        }
        try (ChunkReader lazy = new ChunkReader(dir, false)) {
            assertThat(lazy.chunk(ref)).isNotNull(); // not verified on read
            assertThatThrownBy(lazy::verifyAll).isInstanceOf(CorruptChunkFileException.class);
        }
    }

    @Test
    void aTornTailReportsWhereTheValidPrefixEnds() throws IOException {
        Random rnd = new Random(7);
        long last;
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.HEAD)) {
            w.write(1, 0, 1, xor(rnd, 20));
            last = w.write(2, 0, 1, xor(rnd, 20));
        }
        Path file = dir.resolve("000001");
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size - 5);
        }
        List<Long> seen = new ArrayList<>();
        try (ChunkReader r = new ChunkReader(dir, true)) {
            assertThatThrownBy(() -> r.scan((ref, s, mn, mx, c) -> seen.add(s)))
                    .isInstanceOfSatisfying(CorruptChunkFileException.class,
                            e -> assertThat(e.offset()).isEqualTo(ChunkRefs.offset(last)));
        }
        assertThat(seen).containsExactly(1L);
    }

    @Test
    void badHeadersAreReported() throws IOException {
        Files.write(dir.resolve("000001"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new ChunkReader(dir, true)).isInstanceOf(CorruptChunkFileException.class)
                .hasMessageContaining("000001");
        Files.write(dir.resolve("000001"), new byte[] {0x12, 0x34, 0x56, 0x78, 1, 0, 0, 0});
        assertThatThrownBy(() -> new ChunkReader(dir, true)).hasMessageContaining("magic");
        Files.write(dir.resolve("000001"), new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 9, 0, 0, 0});
        assertThatThrownBy(() -> new ChunkReader(dir, true)).hasMessageContaining("version");
        Files.write(dir.resolve("000001"), new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0});
        try (ChunkReader r = new ChunkReader(dir, true)) {
            r.verifyAll();
            assertThatThrownBy(() -> r.chunk(ChunkRefs.ref(1, 8))).isInstanceOf(CorruptChunkFileException.class);
        }
    }

    @Test
    void aChunkLargerThanTheSegmentLimitGetsASegmentOfItsOwn() throws IOException {
        Chunk big = xor(new Random(8), 60_000);
        assertThat(big.sizeBytes()).isGreaterThan(65536);
        long a;
        long b;
        long c;
        try (ChunkWriter w = new ChunkWriter(dir, SegmentKind.BLOCK, 65536)) {
            a = w.write(xor(new Random(9), 10));
            b = w.write(big);
            c = w.write(xor(new Random(10), 10));
        }
        assertThat(ChunkRefs.segmentNumber(a)).isEqualTo(1);
        assertThat(ChunkRefs.segmentNumber(b)).isEqualTo(2);
        assertThat(ChunkRefs.segmentNumber(c)).isEqualTo(3);
        try (ChunkReader r = new ChunkReader(dir, true)) {
            assertThat(r.chunk(b).numSamples()).isEqualTo(60_000);
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }
}
