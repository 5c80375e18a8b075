package io.mantis.bench;

import io.mantis.metrics.promql.functions.FloatAggregator;
import io.mantis.metrics.promql.functions.Notes;
import io.mantis.metrics.promql.functions.Quantiles;
import io.mantis.metrics.promql.functions.RangeFunctions;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The PromQL function kernels a dashboard query spends its time in, over one series of 1 h at
 * 15 s (240 samples) evaluated as a range query with a 5 m window every 30 s (the window holds
 * 20 samples, 120 steps): rate (counter-reset scan plus extrapolation), sum_over_time and
 * avg_over_time; then a {@code sum by} aggregation step (1000 inputs into 8 groups) and
 * {@code histogram_quantile} over 12 classic buckets.
 *
 * <p>One operation is one sample read by the kernel (one input value for the aggregation, one
 * bucket for the quantile), so {@code gc.alloc.rate.norm} of {@code -prof gc} is bytes per
 * sample directly; it should be 0.
 *
 * <pre>
 * ./mvnw -q -o -pl mantis-bench -am package -DskipTests
 * java -jar mantis-bench/target/mantis-bench.jar PromqlFunctionsBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PromqlFunctionsBenchmark {

    static final int SAMPLES = 240;
    static final long SCRAPE = 15_000;
    static final long RANGE = 300_000;
    static final long STEP = 30_000;
    /** Steps of the range query: the first full window ends at sample 20. */
    static final int STEPS = 110;
    /** Samples per window: a 5 m window over 15 s scrapes. */
    static final int PER_WINDOW = 20;
    static final int WINDOW_SAMPLES = STEPS * PER_WINDOW;

    static final int INPUTS = 1000;
    static final int GROUPS = 8;

    static final int BUCKETS = 12;
    static final int QUANTILES = 100;

    private final long[] t = new long[SAMPLES];
    private final double[] v = new double[SAMPLES];
    private final int[] windowFrom = new int[STEPS];
    private final int[] windowTo = new int[STEPS];
    private final long[] windowEnd = new long[STEPS];

    private final double[] inputs = new double[INPUTS];
    private final int[] groupOf = new int[INPUTS];
    private final FloatAggregator[] groups = new FloatAggregator[GROUPS];

    private final double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        Double.POSITIVE_INFINITY};
    private final double[][] bucketCounts = new double[QUANTILES][BUCKETS];
    private final double[] boundsScratch = new double[BUCKETS];
    private final double[] countsScratch = new double[BUCKETS];
    private final Notes notes = new Notes();

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        long ts = 1_700_000_000_000L;
        double c = 1e6;
        for (int i = 0; i < SAMPLES; i++) {
            ts += SCRAPE + rnd.nextInt(21) - 10;
            c += rnd.nextInt(500) / 100.0;
            if (i == 150) {
                c = 3; // one counter reset
            }
            t[i] = ts;
            v[i] = c;
        }
        for (int s = 0; s < STEPS; s++) {
            long end = t[0] + RANGE + s * STEP;
            windowEnd[s] = end;
            windowFrom[s] = RangeFunctions.firstAfter(t, 0, SAMPLES, end - RANGE);
            windowTo[s] = RangeFunctions.firstAfter(t, 0, SAMPLES, end);
        }
        for (int i = 0; i < INPUTS; i++) {
            inputs[i] = rnd.nextDouble() * 100;
            groupOf[i] = i % GROUPS;
        }
        for (int g = 0; g < GROUPS; g++) {
            groups[g] = new FloatAggregator(FloatAggregator.Op.SUM);
        }
        for (int q = 0; q < QUANTILES; q++) {
            double total = 1000 + rnd.nextInt(100_000);
            double share = 0;
            for (int b = 0; b < BUCKETS; b++) {
                share = b == BUCKETS - 1 ? 1 : Math.min(1, share + rnd.nextDouble() * 0.3);
                bucketCounts[q][b] = Math.floor(total * share);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_SAMPLES)
    public void rate(Blackhole bh) {
        for (int s = 0; s < STEPS; s++) {
            bh.consume(RangeFunctions.rate(t, v, windowFrom[s], windowTo[s], null, windowEnd[s] - RANGE,
                    windowEnd[s]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_SAMPLES)
    public void windowSearchAndRate(Blackhole bh) {
        // As the evaluator does per step: find the window by binary search, then the kernel.
        for (int s = 0; s < STEPS; s++) {
            long end = windowEnd[s];
            int from = RangeFunctions.firstAfter(t, 0, SAMPLES, end - RANGE);
            int to = RangeFunctions.firstAfter(t, from, SAMPLES, end);
            bh.consume(RangeFunctions.rate(t, v, from, to, null, end - RANGE, end));
        }
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_SAMPLES)
    public void sumOverTime(Blackhole bh) {
        for (int s = 0; s < STEPS; s++) {
            bh.consume(RangeFunctions.sumOverTime(v, windowFrom[s], windowTo[s]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_SAMPLES)
    public void avgOverTime(Blackhole bh) {
        for (int s = 0; s < STEPS; s++) {
            bh.consume(RangeFunctions.avgOverTime(v, windowFrom[s], windowTo[s]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public void sumBy(Blackhole bh) {
        for (FloatAggregator g : groups) {
            g.reset();
        }
        for (int i = 0; i < INPUTS; i++) {
            groups[groupOf[i]].add(inputs[i]);
        }
        for (FloatAggregator g : groups) {
            bh.consume(g.result());
        }
    }

    @Benchmark
    @OperationsPerInvocation(QUANTILES * BUCKETS)
    public void histogramQuantile(Blackhole bh) {
        for (int q = 0; q < QUANTILES; q++) {
            // The kernel sorts and merges in place, as the evaluator's per-group scratch allows.
            System.arraycopy(bounds, 0, boundsScratch, 0, BUCKETS);
            System.arraycopy(bucketCounts[q], 0, countsScratch, 0, BUCKETS);
            bh.consume(Quantiles.bucketQuantile(0.9, boundsScratch, countsScratch, BUCKETS, notes.clear()));
        }
    }
}
