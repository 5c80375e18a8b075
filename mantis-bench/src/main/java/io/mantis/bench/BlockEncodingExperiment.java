package io.mantis.bench;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.DecimalChunk;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.chunkenc.XorChunk;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chunk bytes per sample of {@link NodeExporterStream} data per value model: XOR chunks of 120
 * samples (the head's cut) against one decimal chunk per series and block, every sample checked
 * to round-trip. A quick look before running {@link RemoteWriteLoad}'s disk phase.
 *
 * <pre>
 * java [-Dtop=N] -cp mantis-bench/target/mantis-bench.jar io.mantis.bench.BlockEncodingExperiment \
 *     [series] [rounds] [max samples per decimal chunk]
 * </pre>
 *
 * <p>{@code -Dtop=N} also lists the N template series (of the first host) that take the most
 * decimal bytes, to see where the bytes go.
 */
public final class BlockEncodingExperiment {

    private BlockEncodingExperiment() {
    }

    public static void main(String[] args) {
        int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 720;
        int decimalMax = args.length > 2 ? Integer.parseInt(args[2]) : rounds;
        NodeExporterStream stream = new NodeExporterStream(seriesCount, 1_700_000_000_000L, 10_000);
        long[] ts = new long[rounds];
        double[] vs = new double[rounds];
        long[] tsPart = new long[decimalMax];
        double[] vsPart = new double[decimalMax];
        Map<String, long[]> byModel = new TreeMap<>(); // samples, xor bytes, decimal bytes, series
        DecimalChunk.Encoder enc = new DecimalChunk.Encoder();
        ChunkIterator it = null;
        long encodeNanos = 0;
        TreeMap<String, Long> perTemplate = new TreeMap<>();
        for (int s = 0; s < seriesCount; s++) {
            for (int r = 0; r < rounds; r++) {
                ts[r] = stream.timestamp(r);
                vs[r] = stream.value(s, r);
            }
            long xorBytes = 0;
            for (int from = 0; from < rounds; from += 120) {
                XorChunk c = new XorChunk();
                ChunkAppender a = c.appender();
                for (int i = from; i < Math.min(rounds, from + 120); i++) {
                    a.append(ts[i], vs[i]);
                }
                xorBytes += c.sizeBytes();
            }
            long decBytes = 0;
            for (int from = 0; from < rounds; from += decimalMax) {
                int n = Math.min(decimalMax, rounds - from);
                System.arraycopy(ts, from, tsPart, 0, n);
                System.arraycopy(vs, from, vsPart, 0, n);
                long t0 = System.nanoTime();
                Chunk c = enc.encode(tsPart, vsPart, n);
                encodeNanos += System.nanoTime() - t0;
                decBytes += c.sizeBytes();
                it = c.iterator(it);
                for (int i = 0; i < n; i++) {
                    if (it.next() != ValueType.FLOAT || it.timestamp() != tsPart[i]
                            || Double.doubleToRawLongBits(it.value()) != Double.doubleToRawLongBits(vsPart[i])) {
                        throw new AssertionError("series " + s + " sample " + (from + i) + " does not round-trip");
                    }
                }
                if (it.next() != ValueType.NONE) {
                    throw new AssertionError("extra samples");
                }
            }
            if (System.getProperty("top") != null && s < stream.templateSize()) {
                perTemplate.put(String.format(Locale.ROOT, "%08d %s %s", decBytes, stream.modelName(s),
                        String.join(",", stream.labels(s)).replaceAll("(cluster|env|hostname|instance|job|region|team|zone),[^,]*,", "")), decBytes);
            }
            long[] acc = byModel.computeIfAbsent(stream.modelName(s), k -> new long[4]);
            acc[0] += rounds;
            acc[1] += xorBytes;
            acc[2] += decBytes;
            acc[3]++;
        }
        perTemplate.descendingMap().entrySet().stream().limit(Integer.getInteger("top", 0))
                .forEach(e -> System.out.println(e.getKey()));
        long[] total = new long[4];
        System.out.printf(Locale.ROOT, "%-8s %7s %12s %12s %9s %9s%n", "model", "series", "xor B/smp", "dec B/smp",
                "xor share", "dec share");
        long xorAll = byModel.values().stream().mapToLong(a -> a[1]).sum();
        long decAll = byModel.values().stream().mapToLong(a -> a[2]).sum();
        for (Map.Entry<String, long[]> e : byModel.entrySet()) {
            long[] a = e.getValue();
            System.out.printf(Locale.ROOT, "%-8s %7d %12.3f %12.3f %8.1f%% %8.1f%%%n", e.getKey(), a[3],
                    (double) a[1] / a[0], (double) a[2] / a[0], 100.0 * a[1] / xorAll, 100.0 * a[2] / decAll);
            for (int i = 0; i < 4; i++) {
                total[i] += a[i];
            }
        }
        System.out.printf(Locale.ROOT, "%-8s %7d %12.3f %12.3f   (encode %.0f ns/sample)%n", "all", total[3],
                (double) total[1] / total[0], (double) total[2] / total[0], (double) encodeNanos / total[0]);
    }
}
