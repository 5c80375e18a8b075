package io.mantis.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.api.RawRemoteWrite;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import io.mantis.otlp.prometheus.TranslationSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Remote write through the raw-bytes path: known series found by their label bytes, the rest decoded. */
@ExtendWith(io.mantis.testkit.LeakCheck.class)
class IngestTest {

    @TempDir
    Path dir;

    private Tsdb tsdb;
    private Ingest ingest;

    @BeforeEach
    void open() throws Exception {
        tsdb = Tsdb.openManual(dir, TsdbOptions.defaults(), new MetricRegistry());
        ingest = new Ingest(tsdb, TranslationSettings.defaults(), 4, new MetricRegistry());
    }

    @AfterEach
    void close() throws Exception {
        tsdb.close();
    }

    private IngestErrors write(RawRemoteWrite w) throws Exception {
        byte[] body = w.snappy();
        return ingest.remoteWrite(body, 0, body.length);
    }

    /** Every stored series with its float samples as "t=v" strings. */
    private Map<Labels, List<String>> stored() {
        Map<Labels, List<String>> out = new LinkedHashMap<>();
        try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, Matcher.regex("__name__", ".+"));
            ChunkIterator it = null;
            while (set.next()) {
                List<String> points = new ArrayList<>();
                it = set.at().iterator(it);
                while (it.next() == ValueType.FLOAT) {
                    points.add(it.timestamp() + "=" + it.value());
                }
                out.put(set.at().labels(), points);
            }
        }
        return out;
    }

    @Test
    void knownSeriesAreFoundByTheirLabelBytes() throws Exception {
        for (int round = 0; round < 3; round++) {
            RawRemoteWrite w = new RawRemoteWrite();
            w.series("__name__", "up", "instance", "a:9100", "job", "node").sample(1000 + round * 1000, round);
            w.series("__name__", "up", "instance", "b:9100", "job", "node").sample(1000 + round * 1000, 10 + round);
            assertThat(write(w).isEmpty()).isTrue();
            assertThat(ingest.rawRefCount()).isEqualTo(2);
        }
        assertThat(stored()).containsExactly(
                Map.entry(Labels.of("__name__", "up", "instance", "a:9100", "job", "node"),
                        List.of("1000=0.0", "2000=1.0", "3000=2.0")),
                Map.entry(Labels.of("__name__", "up", "instance", "b:9100", "job", "node"),
                        List.of("1000=10.0", "2000=11.0", "3000=12.0")));
    }

    @Test
    void unsortedLabelsAndEmptyValuesAreNormalisedAndNeverRemembered() throws Exception {
        for (int round = 0; round < 2; round++) {
            RawRemoteWrite w = new RawRemoteWrite();
            w.series("job", "node", "__name__", "up").sample(1000 + round, 1);
            w.series("__name__", "load1", "empty", "", "job", "node").sample(1000 + round, 2);
            assertThat(write(w).isEmpty()).isTrue();
        }
        assertThat(ingest.rawRefCount()).isZero();
        assertThat(stored()).containsOnly(
                Map.entry(Labels.of("__name__", "up", "job", "node"), List.of("1000=1.0", "1001=1.0")),
                Map.entry(Labels.of("__name__", "load1", "job", "node"), List.of("1000=2.0", "1001=2.0")));
    }

    @Test
    void aRememberedReferenceIsCheckedAgainstTheSeriesLabels() throws Exception {
        RawRemoteWrite w = new RawRemoteWrite();
        w.series("__name__", "a", "job", "x").sample(1000, 1);
        w.series("__name__", "b", "job", "x").sample(1000, 2);
        write(w);
        long refA = ingest.rawRefFor(WireScanTest.labels("__name__", "a", "job", "x"));
        assertThat(refA).isPositive();
        // A hash collision or a reused entry: b's label bytes now point at a's series.
        ingest.rememberRawRef(WireScanTest.labels("__name__", "b", "job", "x"), refA);

        w = new RawRemoteWrite();
        w.series("__name__", "b", "job", "x").sample(2000, 3);
        write(w);
        assertThat(stored()).containsOnly(
                Map.entry(Labels.of("__name__", "a", "job", "x"), List.of("1000=1.0")),
                Map.entry(Labels.of("__name__", "b", "job", "x"), List.of("1000=2.0", "2000=3.0")));
    }

    @Test
    void nonAsciiLabelValuesTakeTheRawPathToo() throws Exception {
        for (int round = 0; round < 2; round++) {
            RawRemoteWrite w = new RawRemoteWrite();
            w.series("__name__", "temp", "city", "Zürich", "sensor", "温度").sample(1000 + round, 20 + round);
            write(w);
            assertThat(ingest.rawRefCount()).isEqualTo(1);
        }
        assertThat(stored()).containsOnly(Map.entry(Labels.of("__name__", "temp", "city", "Zürich", "sensor", "温度"),
                List.of("1000=20.0", "1001=21.0")));
    }

    @Test
    void refusalsOfKnownSeriesNameTheSeriesAndKeepTheRest() throws Exception {
        RawRemoteWrite w = new RawRemoteWrite();
        w.series("__name__", "up", "job", "a").sample(5000, 1);
        write(w);
        w = new RawRemoteWrite();
        w.series("__name__", "up", "job", "a").sample(4000, 2).sample(6000, 3);
        w.series("__name__", "up", "job", "b").sample(4000, 4);
        IngestErrors errors = write(w);
        assertThat(errors.isEmpty()).isFalse();
        assertThat(errors.message()).contains("out of order").contains("job=\"a\"");
        assertThat(stored()).containsOnly(
                Map.entry(Labels.of("__name__", "up", "job", "a"), List.of("5000=1.0", "6000=3.0")),
                Map.entry(Labels.of("__name__", "up", "job", "b"), List.of("4000=4.0")));
    }

    @Test
    void exemplarsAndMetadataTakeTheFullDecoder() throws Exception {
        RawRemoteWrite w = new RawRemoteWrite();
        w.series("__name__", "req_total", "job", "a").sample(1000, 1);
        write(w);
        w = new RawRemoteWrite();
        w.series("__name__", "req_total", "job", "a").sample(2000, 2).exemplar(2000, 1, "trace_id", "abc");
        write(w);
        w = new RawRemoteWrite();
        w.metadata(RawRemoteWrite.Type.COUNTER, "req", "Requests.", "");
        w.series("__name__", "req_total", "job", "a").sample(3000, 3);
        write(w);
        assertThat(stored().get(Labels.of("__name__", "req_total", "job", "a")))
                .containsExactly("1000=1.0", "2000=2.0", "3000=3.0");
        assertThat(tsdb.exemplars(0, 10_000, Matcher.equal("__name__", "req_total")))
                .singleElement().satisfies(e -> assertThat(e.exemplars()).hasSize(1));
        assertThat(tsdb.metadata()).containsKey("req_total");
    }

    @Test
    void aMalformedBodyStoresNothing() throws Exception {
        RawRemoteWrite w = new RawRemoteWrite();
        w.series("__name__", "up", "job", "a").sample(1000, 1);
        write(w);
        w = new RawRemoteWrite();
        w.series("__name__", "up", "job", "a").sample(2000, 2);
        w.series("__name__", "up", "job", "b").sample(2000, 2);
        byte[] raw = org.xerial.snappy.Snappy.uncompress(w.snappy());
        byte[] cut = RemoteWriteEncoder.compress(Arrays.copyOf(raw, raw.length - 3));
        assertThatThrownBy(() -> ingest.remoteWrite(cut, 0, cut.length))
                .isInstanceOf(Ingest.MalformedRequestException.class).hasMessageContaining("protobuf");
        byte[] notSnappy = "hello".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ingest.remoteWrite(notSnappy, 0, notSnappy.length))
                .isInstanceOf(Ingest.MalformedRequestException.class).hasMessageContaining("snappy");
        assertThat(stored()).containsOnly(Map.entry(Labels.of("__name__", "up", "job", "a"), List.of("1000=1.0")));
    }
}
