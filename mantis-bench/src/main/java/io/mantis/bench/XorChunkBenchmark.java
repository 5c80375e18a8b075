package io.mantis.bench;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.chunkenc.XorChunk;
import java.nio.ByteBuffer;
import java.util.Random;
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
 * The head's and the query's hot path for float series: appending 120 samples (one full head
 * chunk) and iterating them, from the heap and from an off-heap buffer as a memory-mapped block
 * chunk is read. Results are per sample.
 *
 * <pre>
 * ./mvnw -q package -DskipTests
 * java -jar mantis-bench/target/mantis-bench.jar XorChunkBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XorChunkBenchmark {
    private static final int SAMPLES = 120;

    /** counter: jittered 15 s scrapes of a growing counter; gauge: random decimal values. */
    @Param({"counter", "gauge"})
    public String shape;

    private final long[] ts = new long[SAMPLES];
    private final double[] vs = new double[SAMPLES];
    private Chunk heapChunk;
    private Chunk directChunk;
    private ChunkIterator iterator;

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        long t = 1_700_000_000_000L;
        double v = 1000;
        for (int i = 0; i < SAMPLES; i++) {
            t += 15_000 + rnd.nextInt(21) - 10;
            v = shape.equals("counter") ? v + rnd.nextInt(50) : Math.round(rnd.nextGaussian() * 10_000) / 100.0;
            ts[i] = t;
            vs[i] = v;
        }
        heapChunk = append();
        ByteBuffer bytes = heapChunk.bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).put(bytes).flip();
        directChunk = Chunk.wrap(Encoding.XOR, direct);
        iterator = heapChunk.iterator(null);
    }

    private Chunk append() {
        Chunk c = new XorChunk();
        ChunkAppender a = c.appender();
        for (int i = 0; i < SAMPLES; i++) {
            a.append(ts[i], vs[i]);
        }
        return c;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public Chunk appendChunk() {
        return append();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double iterateHeap() {
        return drain(heapChunk.iterator(iterator));
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double iterateDirect() {
        return drain(directChunk.iterator(iterator));
    }

    private static double drain(ChunkIterator it) {
        double acc = 0;
        while (it.next() != ValueType.NONE) {
            acc += it.value() + it.timestamp();
        }
        return acc;
    }
}
