package io.mantis.bench;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.engine.StepwiseEngineFactory;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole queries through the PromQL engine over an in-process {@link Tsdb} (head only, in a
 * temporary directory) holding 1 h of a {@link NodeExporterStream} at 15 s: 3000 series (5
 * hosts), of which the queries select the 320 {@code node_cpu_seconds_total} series (77K
 * samples). Range queries cover the last 55 minutes at a 30 s step (111 steps), as a dashboard
 * asks; no HTTP, no JSON.
 *
 * <p>Per operation (one query): time and, with {@code -prof gc}, bytes allocated; divide by the
 * selected samples (printed at setup) for bytes per sample.
 *
 * <pre>
 * java -jar mantis-bench/target/mantis-bench.jar PromqlQueryBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class PromqlQueryBenchmark {

    static final int SERIES = 3000;
    static final int ROUNDS = 241;
    static final long INTERVAL = 15_000;
    static final long START = 1_700_000_000_000L;

    @Param({
        "range:rate(node_cpu_seconds_total[5m])",
        "range:sum by (mode) (rate(node_cpu_seconds_total[5m]))",
        "range:max_over_time(rate(node_cpu_seconds_total{mode=\"user\"}[5m])[30m:1m])",
        "instant:rate(node_cpu_seconds_total[5m])",
    })
    public String query;

    private Path dir;
    private Tsdb tsdb;
    private QueryEngine engine;
    private String expr;
    private boolean range;
    private long end;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("promql-bench");
        tsdb = Tsdb.openManual(dir, TsdbOptions.defaults(), null);
        NodeExporterStream stream = new NodeExporterStream(SERIES, START, INTERVAL, true);
        StreamTsdb.fill(tsdb, stream, ROUNDS);
        engine = new StepwiseEngineFactory().create(tsdb, QueryEngine.Options.DEFAULTS);
        int colon = query.indexOf(':');
        range = query.startsWith("range");
        expr = query.substring(colon + 1);
        end = stream.timestamp(ROUNDS - 1) + 7_000;
        QueryResult r = run();
        if (r.failed()) {
            throw new IllegalStateException(expr + ": " + r.error());
        }
        System.out.printf("%n%s: %d node_cpu_seconds_total series, %d samples selected per query%n", query,
                stream.countSeries("node_cpu_seconds_total"),
                (long) stream.countSeries("node_cpu_seconds_total") * ROUNDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tsdb.close();
        StoreProcess.deleteTree(dir);
    }

    @Benchmark
    public QueryResult evaluate() {
        return run();
    }

    private QueryResult run() {
        return range ? engine.range(expr, end - 55 * 60_000, end, 30_000) : engine.instant(expr, end);
    }
}
