package io.mantis.metrics.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.testkit.LeakCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "An acknowledged write survives kill -9": a child JVM takes remote writes from several
 * concurrent senders and is killed with SIGKILL at random moments; after each kill the store is
 * opened again and every sample whose write was answered 2xx must be there.
 */
@ExtendWith(LeakCheck.class)
class TsdbCrashIT {

    private static final int SERIES = 20;
    private static final int SENDERS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedSampleSurvivesSigkill() throws Exception {
        Random random = new Random(42);
        Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
        long nextT = 1_000_000;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            int port;
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                port = -1;
                while ((line = out.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("LISTENING ")) {
                        port = Integer.parseInt(line.substring(10).trim());
                        break;
                    }
                }
                assertThat(port).as("child output: %s", output).isPositive();
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty so the child never blocks on its output
                        }
                    } catch (Exception ignored) {
                        // the child died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                AtomicBoolean stop = new AtomicBoolean();
                long base = nextT;
                List<Thread> senders = new ArrayList<>();
                int finalPort = port;
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    Thread t = new Thread(() -> {
                        long ts = base + sender;
                        while (!stop.get()) {
                            RemoteWriteEncoder enc = new RemoteWriteEncoder();
                            for (int k = 0; k < SERIES; k++) {
                                enc.series(Labels.of("__name__", "crash_test", "sender", "s" + sender, "k", "k" + k));
                                enc.sample(ts, ts);
                            }
                            try {
                                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + finalPort + "/api/v1/write"))
                                        .timeout(Duration.ofSeconds(5))
                                        .header("Content-Type", "application/x-protobuf")
                                        .header("Content-Encoding", "snappy")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(enc.toSnappy())).build(),
                                        HttpResponse.BodyHandlers.discarding());
                                if (r.statusCode() / 100 == 2) {
                                    for (int k = 0; k < SERIES; k++) {
                                        acked.computeIfAbsent("s" + sender + "/k" + k, x -> ConcurrentHashMap.newKeySet()).add(ts);
                                    }
                                }
                            } catch (Exception e) {
                                return; // killed
                            }
                            ts += SENDERS * 1000L;
                        }
                    });
                    t.start();
                    senders.add(t);
                }
                Thread.sleep(300 + random.nextInt(1200));
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                stop.set(true);
                for (Thread t : senders) {
                    t.join(10_000);
                }
            } finally {
                child.destroyForcibly();
            }
            long total = acked.values().stream().mapToLong(Set::size).sum();
            Map<String, TreeSet<Long>> stored = readBack();
            for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
                assertThat(stored.getOrDefault(e.getKey(), new TreeSet<>()))
                        .as("round %d, series %s (%d acknowledged samples in all)", round, e.getKey(), total)
                        .containsAll(e.getValue());
            }
            long maxStored = stored.values().stream().filter(s -> !s.isEmpty()).mapToLong(TreeSet::last).max().orElse(nextT);
            nextT = Math.max(nextT, maxStored) + 60_000;
        }
        assertThat(acked.values().stream().mapToLong(Set::size).sum()).as("samples acknowledged over all rounds")
                .isGreaterThan(100);
    }

    private Map<String, TreeSet<Long>> readBack() throws Exception {
        Map<String, TreeSet<Long>> out = new HashMap<>();
        try (Tsdb tsdb = Tsdb.open(dir, TsdbOptions.defaults(), new MetricRegistry());
                Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(false, Matcher.equal("__name__", "crash_test"));
            ChunkIterator it = null;
            while (set.next()) {
                Labels l = set.at().labels();
                TreeSet<Long> ts = out.computeIfAbsent(l.get("sender") + "/" + l.get("k"), k -> new TreeSet<>());
                it = set.at().iterator(it);
                while (it.next() != ValueType.NONE) {
                    ts.add(it.timestamp());
                    assertThat(it.value()).isEqualTo((double) it.timestamp());
                }
            }
        }
        return out;
    }
}
