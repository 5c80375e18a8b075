package io.mantis.metrics.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class BlockIndexTest {

    @TempDir
    Path dir;

    private static TreeSet<String> symbolsOf(List<Labels> series) {
        TreeSet<String> symbols = new TreeSet<>(CodePointOrder.INSTANCE);
        for (Labels l : series) {
            for (int i = 0; i < l.size(); i++) {
                symbols.add(l.name(i));
                symbols.add(l.value(i));
            }
        }
        return symbols;
    }

    private static ChunkMetas randomChunks(Random rnd) {
        ChunkMetas c = new ChunkMetas(1);
        int n = rnd.nextInt(6);
        long t = rnd.nextInt(3) == 0 ? -rnd.nextInt(1_000_000) : 1_700_000_000_000L + rnd.nextInt(1_000_000);
        long ref = rnd.nextInt(4) == 0 ? Long.MIN_VALUE + rnd.nextInt(100) : ((long) rnd.nextInt(10) << 32) + rnd.nextInt(1000);
        for (int i = 0; i < n; i++) {
            long mint = t + rnd.nextInt(10_000) - (rnd.nextInt(10) == 0 ? 20_000 : 0); // sometimes overlapping
            long maxt = mint + rnd.nextInt(7_200_000);
            c.add(mint, maxt, ref);
            t = maxt;
            ref += rnd.nextInt(5) == 0 ? -rnd.nextInt(1 << 20) : rnd.nextInt(1 << 20);
        }
        return c;
    }

    private Path write(List<Labels> series, List<ChunkMetas> chunks) throws IOException {
        Path file = dir.resolve("index-" + System.nanoTime());
        try (IndexWriter w = IndexWriter.create(file)) {
            w.addSymbols(symbolsOf(series));
            for (int i = 0; i < series.size(); i++) {
                assertThat(w.addSeries(series.get(i), chunks == null ? null : chunks.get(i))).isEqualTo(i);
            }
            w.finish();
        }
        return file;
    }

    @Test
    void roundTripsThousandsOfRandomSeries() throws IOException {
        Random rnd = new Random(11);
        for (int size : new int[] {1, 5000}) {
            List<Labels> series = RandomSeries.generate(rnd, size);
            List<ChunkMetas> chunks = new ArrayList<>();
            for (int i = 0; i < series.size(); i++) {
                chunks.add(randomChunks(rnd));
            }
            Path file = write(series, chunks);
            Map<String, Map<String, RoaringBitmap>> want = new HashMap<>();
            for (int i = 0; i < series.size(); i++) {
                Labels l = series.get(i);
                for (int k = 0; k < l.size(); k++) {
                    want.computeIfAbsent(l.name(k), x -> new HashMap<>())
                            .computeIfAbsent(l.value(k), x -> new RoaringBitmap()).add(i);
                }
            }
            try (BlockIndexReader r = BlockIndexReader.open(file)) {
                assertThat(r.seriesCount()).isEqualTo(series.size());
                List<String> symbols = new ArrayList<>();
                r.forEachSymbol(symbols::add);
                assertThat(symbols).containsExactlyElementsOf(symbolsOf(series));
                ChunkMetas holder = new ChunkMetas();
                for (int i = 0; i < series.size(); i++) {
                    assertThat(r.series(i, holder)).isEqualTo(series.get(i));
                    assertThat(holder.toString()).isEqualTo(chunks.get(i).toString());
                    assertThat(r.seriesLabels(i)).isEqualTo(series.get(i));
                }
                assertThat(r.seriesLabels(series.size())).isNull();
                assertThat(r.seriesLabels(-1)).isNull();
                TreeSet<String> names = new TreeSet<>(CodePointOrder.INSTANCE);
                names.addAll(want.keySet());
                assertThat(r.labelNames()).containsExactlyElementsOf(names);
                for (var byName : want.entrySet()) {
                    TreeSet<String> values = new TreeSet<>(CodePointOrder.INSTANCE);
                    values.addAll(byName.getValue().keySet());
                    assertThat(r.labelValues(byName.getKey())).containsExactlyElementsOf(values);
                    RoaringBitmap union = new RoaringBitmap();
                    for (var byValue : byName.getValue().entrySet()) {
                        assertThat(r.postings(byName.getKey(), byValue.getKey())).isEqualTo(byValue.getValue());
                        union.or(byValue.getValue());
                    }
                    assertThat(r.postingsForLabel(byName.getKey())).isEqualTo(union);
                    assertThat(r.postings(byName.getKey(), values)).isEqualTo(union);
                }
                assertThat(r.postings("job", "no-such-value")).isEmpty();
                assertThat(r.postings("no-such-name", "x")).isEmpty();
                assertThat(r.postings("job", "")).isEmpty();
                assertThat(r.labelValues("no-such-name")).isEmpty();
                assertThat(r.allPostings().getCardinality()).isEqualTo(series.size());
                if (size > 1) {
                    RoaringBitmap hosts = r.postingsForLabelMatching("instance", "host-1", v -> v.endsWith(":9100"));
                    RoaringBitmap expected = new RoaringBitmap();
                    want.get("instance").forEach((v, b) -> {
                        if (v.startsWith("host-1") && v.endsWith(":9100")) {
                            expected.or(b);
                        }
                    });
                    assertThat(hosts).isEqualTo(expected).isNotEmpty();
                    assertThat(r.postingsForLabelMatching("instance", "zzz", v -> true)).isEmpty();
                }
            }
        }
    }

    @Test
    void emptyIndexRoundTrips() throws IOException {
        Path file = write(List.of(), null);
        try (BlockIndexReader r = BlockIndexReader.open(file)) {
            assertThat(r.seriesCount()).isZero();
            assertThat(r.labelNames()).isEmpty();
            assertThat(r.allPostings()).isEmpty();
            assertThat(r.postings("a", "b")).isEmpty();
        }
    }

    @Test
    void writerRejectsMisuse() throws IOException {
        Path file = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(file)) {
            w.addSymbol("b");
            assertThatThrownBy(() -> w.addSymbol("a")).hasMessageContaining("symbols out of order");
            assertThatThrownBy(() -> w.addSymbol("b")).hasMessageContaining("symbols out of order");
            assertThatThrownBy(() -> w.addSymbol("")).hasMessageContaining("empty string");
            w.addSymbols(List.of("c", "x", "y"));
            w.addSeries(Labels.of("b", "x"), null);
            assertThatThrownBy(() -> w.addSymbol("z")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.addSeries(Labels.of("b", "x"), null)).hasMessageContaining("series out of order");
            assertThatThrownBy(() -> w.addSeries(Labels.of("b", "w"), null)).hasMessageContaining("series out of order");
            assertThatThrownBy(() -> w.addSeries(Labels.of("c", "q"), null)).hasMessageContaining("\"q\" was not added as a symbol");
            ChunkMetas bad = new ChunkMetas();
            bad.add(10, 5, 0);
            assertThatThrownBy(() -> w.addSeries(Labels.of("c", "x"), bad)).hasMessageContaining("maxt < mint");
            // Rejected series left nothing behind: the next one gets ordinal 1.
            assertThat(w.addSeries(Labels.of("c", "y"), null)).isEqualTo(1);
            w.finish();
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        }
        try (BlockIndexReader r = BlockIndexReader.open(file)) {
            assertThat(r.seriesCount()).isEqualTo(2);
            assertThat(r.series(1, null)).isEqualTo(Labels.of("c", "y"));
        }
        assertThatThrownBy(() -> IndexWriter.create(file)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void unfinishedIndexIsDeletedOnClose() throws IOException {
        Path file = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(file)) {
            w.addSymbol("a");
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void sizeLimitIsAClearError() throws IOException {
        Path file = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(file, 4096)) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    w.addSymbol(String.format("sym%06d", i));
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("would exceed 4096 bytes");
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed earlier");
        }
        assertThat(file).doesNotExist();
    }

    /** Section ranges (payload plus checksum) as the TOC records them. */
    private static Map<String, long[]> layout(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all);
        int toc = all.length - IndexWriter.TOC_SIZE;
        Map<String, long[]> out = new HashMap<>();
        out.put("header", new long[] {0, IndexWriter.HEADER_SIZE});
        for (int s = 0; s < 4; s++) {
            long off = b.getLong(toc + 16 * s);
            long len = b.getLong(toc + 16 * s + 8);
            out.put(IndexWriter.SECTION_NAMES[s], new long[] {off, off + len + 4});
        }
        out.put("TOC", new long[] {toc, all.length});
        return out;
    }

    private static void flipBit(Path file, long pos, int bit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ (1 << bit));
        }
    }

    @Test
    void bitFlipsAreDetectedAndNameTheSection() throws IOException {
        Random rnd = new Random(3);
        List<Labels> series = RandomSeries.generate(rnd, 400);
        List<ChunkMetas> chunks = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            chunks.add(randomChunks(rnd));
        }
        Path original = write(series, chunks);
        Map<String, long[]> layout = layout(original);
        int checked = 0;
        for (var part : layout.entrySet()) {
            long[] range = part.getValue();
            for (int k = 0; k < 12; k++) {
                // Both ends (first byte, checksum bytes) and random bytes in between.
                long pos = k == 0 ? range[0] : k == 1 ? range[1] - 1 : range[0] + (long) (rnd.nextDouble() * (range[1] - range[0]));
                Path copy = dir.resolve("corrupt-" + part.getKey() + "-" + k);
                Files.copy(original, copy);
                flipBit(copy, pos, rnd.nextInt(8));
                assertThatThrownBy(() -> BlockIndexReader.open(copy).close())
                        .as("flip at %d in %s", pos, part.getKey())
                        .isInstanceOfSatisfying(CorruptIndexException.class, e -> {
                            assertThat(e.part()).isEqualTo(part.getKey());
                            assertThat(e.file()).isEqualTo(copy);
                            assertThat(e.getMessage()).contains(part.getKey()).contains(copy.toString());
                        });
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6 * 12);
    }

    @Test
    void deferredVerificationStillFindsDamage() throws IOException {
        Random rnd = new Random(5);
        Path file = write(RandomSeries.generate(rnd, 300), null);
        long[] series = layout(file).get("SERIES");
        flipBit(file, series[0] + 3, 2);
        try (BlockIndexReader r = BlockIndexReader.open(file, false)) {
            assertThatThrownBy(r::verify)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessageContaining("SERIES: checksum mismatch");
        }
    }

    @Test
    void truncatedOrForeignFilesAreRejected() throws IOException {
        Random rnd = new Random(9);
        Path file = write(RandomSeries.generate(rnd, 50), null);
        byte[] all = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length - 10));
        assertThatThrownBy(() -> BlockIndexReader.open(truncated))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("TOC");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {'M', 'I', 'D', 'X', 1});
        assertThatThrownBy(() -> BlockIndexReader.open(tiny))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("file too short");
        Path version = dir.resolve("version");
        all[4] = 2;
        Files.write(version, all);
        assertThatThrownBy(() -> BlockIndexReader.open(version))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("header: unsupported format version 2");
    }
}
