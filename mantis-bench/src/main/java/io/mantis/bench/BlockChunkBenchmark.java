package io.mantis.bench;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.DecimalChunk;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.chunkenc.XorChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a 2 h block's float chunks as a query does, per encoding: 64 {@link NodeExporterStream}
 * series of 720 samples (10 s scrapes), stored as XOR chunks of 120 samples (what the head cuts)
 * or as one DECIMAL chunk per series (what blocks get by default), read from off-heap buffers as
 * from a memory-mapped segment.
 *
 * <ul>
 *   <li>{@code iterate}: every sample of every chunk, ns per sample;
 *   <li>{@code firstSample}: open each chunk and read its first sample, ns per chunk opened (a
 *       short query pays for a whole DECIMAL chunk, 720 samples, but for one sample of an XOR
 *       one);
 *   <li>{@code encode}: writing the chunks from arrays, ns per sample (block writing).
 * </ul>
 *
 * <pre>
 * java -jar mantis-bench/target/mantis-bench.jar BlockChunkBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BlockChunkBenchmark {
    private static final int SERIES = 64;
    private static final int ROUNDS = 720;
    private static final int XOR_CUT = 120;

    /** host: 64 series spread over a host's template; or only series of one value model. */
    @Param({"host", "COUNTER", "GAUGE", "NOISE"})
    public String shape;

    @Param({"xor", "decimal"})
    public String encoding;

    private final long[][] ts = new long[SERIES][ROUNDS];
    private final double[][] vs = new double[SERIES][ROUNDS];
    private Chunk[] chunks;
    private ChunkIterator iterator;
    private final DecimalChunk.Encoder encoder = new DecimalChunk.Encoder();

    @Setup
    public void setUp() {
        NodeExporterStream stream = new NodeExporterStream(10 * 638, 1_700_000_000_000L, 10_000);
        List<Integer> picked = new ArrayList<>();
        for (int s = 0; s < stream.seriesCount() && picked.size() < SERIES; s++) {
            if (shape.equals("host") ? s % 10 == 0 : stream.modelName(s).equals(shape)) {
                picked.add(s);
            }
        }
        if (picked.size() < SERIES) {
            throw new IllegalStateException("only " + picked.size() + " series of shape " + shape);
        }
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < SERIES; i++) {
            for (int r = 0; r < ROUNDS; r++) {
                ts[i][r] = stream.timestamp(r);
                vs[i][r] = stream.value(picked.get(i), r);
            }
            if (encoding.equals("xor")) {
                for (int from = 0; from < ROUNDS; from += XOR_CUT) {
                    XorChunk c = new XorChunk();
                    ChunkAppender a = c.appender();
                    for (int r = from; r < from + XOR_CUT; r++) {
                        a.append(ts[i][r], vs[i][r]);
                    }
                    out.add(offHeap(c));
                }
            } else {
                out.add(offHeap(encoder.encode(ts[i], vs[i], ROUNDS)));
            }
        }
        chunks = out.toArray(new Chunk[0]);
    }

    private static Chunk offHeap(Chunk c) {
        ByteBuffer bytes = c.bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).put(bytes).flip();
        return Chunk.wrap(c.encoding(), direct);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * ROUNDS)
    public double iterate() {
        double acc = 0;
        for (Chunk c : chunks) {
            ChunkIterator it = c.iterator(iterator);
            iterator = it;
            while (it.next() != ValueType.NONE) {
                acc += it.value() + it.timestamp();
            }
        }
        return acc;
    }

    @Benchmark
    public double firstSampleOfEachChunk() {
        double acc = 0;
        for (Chunk c : chunks) {
            ChunkIterator it = c.iterator(iterator);
            iterator = it;
            if (it.next() != ValueType.NONE) {
                acc += it.value();
            }
        }
        return acc / chunks.length;
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * ROUNDS)
    public long encode() {
        long bytes = 0;
        for (int i = 0; i < SERIES; i++) {
            if (encoding.equals("xor")) {
                for (int from = 0; from < ROUNDS; from += XOR_CUT) {
                    XorChunk c = new XorChunk();
                    ChunkAppender a = c.appender();
                    for (int r = from; r < from + XOR_CUT; r++) {
                        a.append(ts[i][r], vs[i][r]);
                    }
                    bytes += c.sizeBytes();
                }
            } else {
                bytes += encoder.encode(ts[i], vs[i], ROUNDS).sizeBytes();
            }
        }
        return bytes;
    }
}
