package io.mantis.metrics.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.DataSize;
import io.mantis.common.wal.Checkpoint;
import io.mantis.common.wal.WalConfig;
import io.mantis.common.wal.WriteAheadLog;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.SeriesSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records through a real WAL, as the head will use them: a commit of series + samples +
 * metadata per batch, replay by type, and a checkpoint that keeps the series of live series and
 * the samples newer than a time.
 */
class WalRecordsTest {

    @TempDir
    Path tmp;

    @Test
    void commitsReplayAndCheckpointLikeAHead() throws IOException {
        Path dir = tmp.resolve("wal");
        RecordCodec codec = new RecordCodec();
        RecordBuffer seriesBuf = new RecordBuffer();
        RecordBuffer samplesBuf = new RecordBuffer();
        RecordBuffer metaBuf = new RecordBuffer();
        SeriesBatch series = new SeriesBatch();
        SampleBatch samples = new SampleBatch();
        MetadataBatch metadata = new MetadataBatch();
        WalConfig config = WalConfig.DEFAULTS.withSegmentSize(DataSize.ofKibibytes(8));
        int checkpointUpTo;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, config)) {
            for (int commit = 0; commit < 200; commit++) {
                series.clear();
                samples.clear();
                metadata.clear();
                long ref = commit;
                series.add(ref, Labels.of("__name__", "requests", "instance", "i" + commit));
                metadata.add(ref, MetricType.COUNTER, "", "Requests served.");
                for (int k = 0; k < 20; k++) {
                    samples.add(ref, 1000L * (commit + k), k == 19 ? SeriesSink.STALE_NAN : k);
                }
                wal.append(codec.encode(series, seriesBuf), codec.encode(metadata, metaBuf),
                        codec.encode(samples, samplesBuf));
            }
            checkpointUpTo = wal.rotate();
            // Keep series with an even ref, and samples at or after t = 150s.
            RecordBuffer rewritten = new RecordBuffer();
            SeriesBatch s = new SeriesBatch();
            SampleBatch keptSamples = new SampleBatch();
            SampleBatch in = new SampleBatch();
            RecordCodec filterCodec = new RecordCodec();
            Checkpoint.create(wal, checkpointUpTo, rec -> switch (RecordType.of(rec)) {
                case SERIES -> {
                    filterCodec.decode(rec, s);
                    yield s.ref(0) % 2 == 0 ? filterCodec.encode(s, rewritten) : null;
                }
                case SAMPLES -> {
                    filterCodec.decode(rec, in);
                    keptSamples.clear();
                    for (int i = 0; i < in.size(); i++) {
                        if (in.timestamp(i) >= 150_000 && in.ref(i) % 2 == 0) {
                            keptSamples.add(in.ref(i), in.timestamp(i), in.value(i));
                        }
                    }
                    yield keptSamples.size() == 0 ? null : filterCodec.encode(keptSamples, rewritten);
                }
                default -> null;
            });
            samples.clear();
            samples.add(0, 999_999, 1.5);
            wal.append(codec.encode(samples, samplesBuf));
        }

        Set<Long> seriesSeen = new HashSet<>();
        Map<Long, List<Long>> sampleTimes = new HashMap<>();
        List<Double> last = new ArrayList<>();
        SeriesBatch s = new SeriesBatch();
        SampleBatch smp = new SampleBatch();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, config)) {
            wal.replay((rec, seg) -> {
                switch (RecordType.of(rec)) {
                    case SERIES -> {
                        codec.decode(rec, s);
                        for (int i = 0; i < s.size(); i++) {
                            assertThat(s.labels(i).get("instance")).isEqualTo("i" + s.ref(i));
                            seriesSeen.add(s.ref(i));
                        }
                    }
                    case SAMPLES -> {
                        codec.decode(rec, smp);
                        for (int i = 0; i < smp.size(); i++) {
                            assertThat(seriesSeen).as("series record before its samples").contains(smp.ref(i));
                            sampleTimes.computeIfAbsent(smp.ref(i), k -> new ArrayList<>()).add(smp.timestamp(i));
                            last.add(smp.value(i));
                        }
                    }
                    default -> throw new AssertionError("unexpected record " + RecordType.of(rec));
                }
            });
        }
        assertThat(seriesSeen).hasSize(100).allMatch(r -> r % 2 == 0);
        assertThat(sampleTimes.values().stream().flatMap(List::stream)).allMatch(t -> t >= 150_000);
        assertThat(sampleTimes.get(198L)).hasSize(20);
        assertThat(sampleTimes.get(0L)).containsExactly(999_999L);
        // Each series ends with a stale marker at t = 1000 * (ref + 19); kept for even refs from 132 on.
        assertThat(last.stream().filter(SeriesSink::isStaleMarker).count()).isEqualTo(34);
    }

    @Test
    void recordBufferViewIsStableUntilGrowth() {
        RecordBuffer b = new RecordBuffer(16);
        ByteBuffer first = new RecordCodec().encode(new SampleBatch().add(1, 1, 1), b);
        assertThat(first.remaining()).isEqualTo(b.size());
        assertThat(b.toByteArray()).hasSize(b.size());
    }
}
