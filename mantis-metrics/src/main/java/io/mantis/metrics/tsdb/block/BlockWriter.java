package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunks.ChunkWriter;
import io.mantis.metrics.tsdb.chunks.SegmentKind;
import io.mantis.metrics.tsdb.index.ChunkMetas;
import io.mantis.metrics.tsdb.index.CodePointOrder;
import io.mantis.metrics.tsdb.index.IndexWriter;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Writes a block directory (docs/format/tsdb.md) from a {@link ChunkSeriesSet}: chunk segment
 * files as the series stream by, then the index (which needs every symbol first, so the series'
 * labels and chunk metas are kept in memory until the end), then meta.json; everything under
 * {@code <ulid>.tmp-for-creation}, fsynced, renamed into place, parent fsynced. A failure deletes
 * the temporary directory.
 *
 * <p>A series' chunks are copied as they are when they are in time order, do not overlap, lie
 * within the block's {@code [minTime, maxTime)} and its float chunks are in the writer's float
 * encoding; otherwise its samples are merged and re-encoded ({@link SampleChunker}), dropping
 * those outside the block. Reusable, not thread-safe.
 */
public final class BlockWriter {

    public static final String TMP_CREATION_SUFFIX = ".tmp-for-creation";

    private final Path parentDir;
    private final SampleChunker chunker;
    private final long maxSegmentBytes;
    private final Encoding floatEncoding;

    private final ChunkList reencoded = new ChunkList();
    private ChunksIterator[] runs = new ChunksIterator[2];
    private final MergeIterator merge = new MergeIterator();

    /**
     * @param parentDir          where block directories live
     * @param maxSamplesPerChunk cap for re-encoded chunks (120 like the head)
     * @param maxSegmentBytes    size at which a chunk segment file is cut
     * @param floatEncoding      what float chunks are written in: XOR or DECIMAL
     */
    public BlockWriter(Path parentDir, int maxSamplesPerChunk, long maxSegmentBytes, Encoding floatEncoding) {
        this.parentDir = parentDir;
        this.chunker = new SampleChunker(maxSamplesPerChunk, floatEncoding);
        this.maxSegmentBytes = maxSegmentBytes;
        this.floatEncoding = floatEncoding;
    }

    /** A writer of XOR float chunks. */
    public BlockWriter(Path parentDir, int maxSamplesPerChunk, long maxSegmentBytes) {
        this(parentDir, maxSamplesPerChunk, maxSegmentBytes, Encoding.XOR);
    }

    public BlockWriter(Path parentDir) {
        this(parentDir, SampleChunker.DEFAULT_MAX_SAMPLES, ChunkWriter.DEFAULT_MAX_SEGMENT_BYTES);
    }

    /** Writes a level-1 block (cut from the head) with a new ULID. */
    public BlockMeta write(long minTime, long maxTime, ChunkSeriesSet series) throws IOException {
        Ulid ulid = Ulid.next();
        return write(ulid, minTime, maxTime, BlockMeta.Compaction.level1(ulid), series);
    }

    /**
     * Writes block {@code ulid} covering {@code [minTime, maxTime)} and returns its meta. Series
     * without samples in the range are left out.
     *
     * @throws IllegalArgumentException if the series are not in strictly ascending label order
     *     (nothing is left behind)
     */
    public BlockMeta write(Ulid ulid, long minTime, long maxTime, BlockMeta.Compaction compaction,
            ChunkSeriesSet series) throws IOException {
        if (minTime >= maxTime) {
            throw new IllegalArgumentException("block range [" + minTime + ", " + maxTime + ") is empty");
        }
        Files.createDirectories(parentDir);
        Path tmp = parentDir.resolve(ulid + TMP_CREATION_SUFFIX);
        Path dest = parentDir.resolve(ulid.toString());
        if (Files.exists(dest)) {
            throw new IOException("block " + dest + " already exists");
        }
        Files.createDirectory(tmp);
        boolean done = false;
        try {
            BlockMeta meta = writeInto(tmp, ulid, minTime, maxTime, compaction, series);
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            FileUtil.fsyncDir(parentDir);
            return meta;
        } finally {
            if (!done) {
                try {
                    FileUtil.deleteRecursively(tmp);
                } catch (IOException e) {
                    // start-up clean-up removes it; the original failure matters more
                }
            }
        }
    }

    private BlockMeta writeInto(Path dir, Ulid ulid, long minTime, long maxTime, BlockMeta.Compaction compaction,
            ChunkSeriesSet series) throws IOException {
        List<Labels> labels = new ArrayList<>();
        int[] chunkStart = new int[1024];
        long[] cMint = new long[4096];
        long[] cMaxt = new long[4096];
        long[] cRef = new long[4096];
        int nChunks = 0;
        long floats = 0;
        long histograms = 0;
        HashSet<String> symbols = new HashSet<>();
        Path chunksDir = dir.resolve("chunks");
        try (ChunkWriter cw = new ChunkWriter(chunksDir, SegmentKind.BLOCK, maxSegmentBytes)) {
            Labels prev = null;
            while (series.next()) {
                Labels l = series.labels();
                if (prev != null && prev.compareTo(l) >= 0) {
                    throw new IllegalArgumentException("series out of order: " + l + " after " + prev);
                }
                prev = l;
                ChunkList chunks = normalize(series.chunks(), minTime, maxTime);
                int first = nChunks;
                for (int i = 0; i < chunks.size(); i++) {
                    Chunk c = chunks.chunk(i);
                    int ns = c.numSamples();
                    if (ns == 0) {
                        continue;
                    }
                    if (nChunks == cMint.length) {
                        int cap = nChunks * 2;
                        cMint = Arrays.copyOf(cMint, cap);
                        cMaxt = Arrays.copyOf(cMaxt, cap);
                        cRef = Arrays.copyOf(cRef, cap);
                    }
                    cMint[nChunks] = chunks.minTime(i);
                    cMaxt[nChunks] = chunks.maxTime(i);
                    cRef[nChunks] = cw.write(c);
                    nChunks++;
                    if (c.encoding().isFloat()) {
                        floats += ns;
                    } else {
                        histograms += ns;
                    }
                }
                if (nChunks == first) {
                    continue;
                }
                int s = labels.size();
                if (s + 1 >= chunkStart.length) {
                    chunkStart = Arrays.copyOf(chunkStart, chunkStart.length * 2);
                }
                chunkStart[s] = first;
                chunkStart[s + 1] = nChunks;
                labels.add(l);
                for (int i = 0; i < l.size(); i++) {
                    symbols.add(l.name(i));
                    symbols.add(l.value(i));
                }
            }
        }
        reencoded.clear();

        String[] sorted = symbols.toArray(new String[0]);
        symbols = null;
        Arrays.sort(sorted, CodePointOrder.INSTANCE);
        try (IndexWriter iw = IndexWriter.create(dir.resolve("index"))) {
            for (String s : sorted) {
                iw.addSymbol(s);
            }
            sorted = null;
            ChunkMetas metas = new ChunkMetas(16);
            for (int s = 0; s < labels.size(); s++) {
                metas.clear();
                for (int c = chunkStart[s]; c < chunkStart[s + 1]; c++) {
                    metas.add(cMint[c], cMaxt[c], cRef[c]);
                }
                iw.addSeries(labels.get(s), metas);
            }
            iw.finish();
        }

        BlockMeta.Stats stats = new BlockMeta.Stats(floats + histograms, labels.size(), nChunks, floats, histograms, 0);
        BlockMeta meta = new BlockMeta(ulid, minTime, maxTime, stats, compaction, BlockMeta.VERSION);
        meta.write(dir);
        if (Files.isDirectory(chunksDir)) {
            FileUtil.fsyncDir(chunksDir);
        }
        FileUtil.fsyncDir(dir);
        return meta;
    }

    /** The chunks to write for one series: {@code in} itself when it can be copied, else re-encoded. */
    private ChunkList normalize(ChunkList in, long minTime, long maxTime) {
        boolean clean = true;
        long prevMax = Long.MIN_VALUE;
        boolean any = false;
        for (int i = 0; i < in.size() && clean; i++) {
            Chunk c = in.chunk(i);
            if (c.numSamples() == 0) {
                continue;
            }
            if (c.encoding().isFloat() && c.encoding() != floatEncoding) {
                clean = false;
            }
            long mn = in.minTime(i);
            long mx = in.maxTime(i);
            if (mn < minTime || mx >= maxTime || (any && mn <= prevMax)) {
                clean = false;
            }
            prevMax = mx;
            any = true;
        }
        if (clean) {
            return in;
        }
        // Runs of chunks that follow each other in time; merged with the earlier run winning ties.
        int nRuns = 0;
        int runStart = 0;
        prevMax = Long.MIN_VALUE;
        for (int i = 0; i <= in.size(); i++) {
            if (i == in.size() || (i > runStart && in.minTime(i) <= prevMax)) {
                if (i > runStart) {
                    if (nRuns == runs.length) {
                        runs = Arrays.copyOf(runs, nRuns * 2);
                    }
                    if (runs[nRuns] == null) {
                        runs[nRuns] = new ChunksIterator();
                    }
                    runs[nRuns++].reset(in, runStart, i, null, minTime, maxTime - 1);
                }
                runStart = i;
            }
            if (i < in.size()) {
                prevMax = in.maxTime(i);
            }
        }
        ChunkIterator samples;
        if (nRuns == 1) {
            samples = runs[0];
        } else {
            merge.reset(nRuns);
            for (int r = 0; r < nRuns; r++) {
                merge.set(r, runs[r]);
            }
            samples = merge;
        }
        reencoded.clear();
        chunker.encode(samples, reencoded);
        return reencoded;
    }
}
