package io.mantis.otlp.prometheus;

import static io.mantis.otlp.prometheus.Otlp.CUMULATIVE;
import static io.mantis.otlp.prometheus.Otlp.attr;
import static io.mantis.otlp.prometheus.Otlp.buckets;
import static io.mantis.otlp.prometheus.Otlp.exemplar;
import static io.mantis.otlp.prometheus.Otlp.expPoint;
import static io.mantis.otlp.prometheus.Otlp.exponential;
import static io.mantis.otlp.prometheus.Otlp.gauge;
import static io.mantis.otlp.prometheus.Otlp.histogram;
import static io.mantis.otlp.prometheus.Otlp.histogramPoint;
import static io.mantis.otlp.prometheus.Otlp.intPoint;
import static io.mantis.otlp.prometheus.Otlp.point;
import static io.mantis.otlp.prometheus.Otlp.request;
import static io.mantis.otlp.prometheus.Otlp.resource;
import static io.mantis.otlp.prometheus.Otlp.sum;
import static io.mantis.otlp.prometheus.Otlp.summary;
import static io.mantis.otlp.prometheus.Otlp.summaryPoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteCodecTest {

    private static final long T = 1_700_000_000_000_000_000L;
    private static final long T_MS = 1_700_000_000_000L;

    private final RemoteWriteDecoder decoder = new RemoteWriteDecoder();

    private static ExportMetricsServiceRequest realistic() {
        return request(
                resource(attr("service.name", "checkout"), attr("service.namespace", "shop"),
                        attr("service.instance.id", "pod-1"), attr("host.name", "node-1")),
                sum("http.server.requests", "{request}", true, CUMULATIVE,
                        intPoint(T, 41, attr("http.route", "/cart"))
                                .addExemplars(exemplar(T, 1, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))),
                gauge("process.cpu.utilization", "1", point(T, 0.42)),
                histogram("http.server.request.duration", "s", CUMULATIVE,
                        histogramPoint(T, 3.5, List.of(0.1, 0.5, 1.0), List.of(5L, 3L, 1L, 1L))),
                summary("gc.pause", "ms", summaryPoint(T, 120, 12, new double[][] {{0.5, 8}, {0.99, 40}})),
                exponential("rpc.duration", "s", CUMULATIVE,
                        expPoint(T, 12, 1, 9.25, buckets(-40, 1, 2, 0, 0, 0, 0, 0, 3), buckets(3, 4))));
    }

    @Test
    void minimalRequestHasTheExpectedBytes() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "a"));
        enc.sample(5, 1.0);
        // WriteRequest{timeseries(1){labels(1){name(1)="__name__" value(2)="a"} samples(2){value(1)=1.0 timestamp(2)=5}}}
        assertThat(HexFormat.of().formatHex(enc.toProtobuf())).isEqualTo(
                "0a1c" + "0a0d" + "0a08" + "5f5f6e616d655f5f" + "120161" + "120b" + "09000000000000f03f" + "1005");
    }

    /** Reads the bytes with protobuf's schema-less parser, so field numbers are checked independently. */
    @Test
    void fieldNumbersAndWireTypesMatchPrompb() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.metadata("rpc_seconds", MetricType.HISTOGRAM, "seconds", "help text");
        enc.series(Labels.of("__name__", "rpc_seconds"));
        enc.sample(7, 2.5);
        enc.exemplar(Labels.of("trace_id", "ab"), 0.25, 6);
        enc.histogram(NativeHistogram.ofIntegers(9, -2, 0.001, 4, 10, 3.0,
                List.of(new NativeHistogram.BucketSpan(-1, 2)), new long[] {1, 2},
                List.of(new NativeHistogram.BucketSpan(3, 1)), new long[] {3}, NativeHistogram.ResetHint.NO));

        UnknownFieldSet req = parse(enc.toProtobuf());
        assertThat(req.asMap().keySet()).containsExactly(1, 3);

        UnknownFieldSet meta = parse(req.getField(3).getLengthDelimitedList().get(0));
        assertThat(meta.getField(1).getVarintList()).containsExactly((long) MetricType.HISTOGRAM.wireValue());
        assertThat(meta.getField(2).getLengthDelimitedList().get(0).toStringUtf8()).isEqualTo("rpc_seconds");
        assertThat(meta.getField(4).getLengthDelimitedList().get(0).toStringUtf8()).isEqualTo("help text");
        assertThat(meta.getField(5).getLengthDelimitedList().get(0).toStringUtf8()).isEqualTo("seconds");
        assertThat(MetricType.HISTOGRAM.wireValue()).isEqualTo(3);

        UnknownFieldSet ts = parse(req.getField(1).getLengthDelimitedList().get(0));
        assertThat(ts.asMap().keySet()).containsExactly(1, 2, 3, 4);
        UnknownFieldSet label = parse(ts.getField(1).getLengthDelimitedList().get(0));
        assertThat(label.getField(1).getLengthDelimitedList().get(0).toStringUtf8()).isEqualTo("__name__");
        assertThat(label.getField(2).getLengthDelimitedList().get(0).toStringUtf8()).isEqualTo("rpc_seconds");

        UnknownFieldSet sample = parse(ts.getField(2).getLengthDelimitedList().get(0));
        assertThat(Double.longBitsToDouble(sample.getField(1).getFixed64List().get(0))).isEqualTo(2.5);
        assertThat(sample.getField(2).getVarintList()).containsExactly(7L);

        UnknownFieldSet ex = parse(ts.getField(3).getLengthDelimitedList().get(0));
        assertThat(parse(ex.getField(1).getLengthDelimitedList().get(0)).getField(1).getLengthDelimitedList().get(0)
                .toStringUtf8()).isEqualTo("trace_id");
        assertThat(Double.longBitsToDouble(ex.getField(2).getFixed64List().get(0))).isEqualTo(0.25);
        assertThat(ex.getField(3).getVarintList()).containsExactly(6L);

        UnknownFieldSet h = parse(ts.getField(4).getLengthDelimitedList().get(0));
        assertThat(h.getField(1).getVarintList()).containsExactly(10L);
        assertThat(h.hasField(2)).isFalse();
        assertThat(Double.longBitsToDouble(h.getField(3).getFixed64List().get(0))).isEqualTo(3.0);
        assertThat(h.getField(4).getVarintList()).containsExactly(3L); // zigzag(-2)
        assertThat(Double.longBitsToDouble(h.getField(5).getFixed64List().get(0))).isEqualTo(0.001);
        assertThat(h.getField(6).getVarintList()).containsExactly(4L);
        UnknownFieldSet negSpan = parse(h.getField(8).getLengthDelimitedList().get(0));
        assertThat(negSpan.getField(1).getVarintList()).containsExactly(6L); // zigzag(3)
        assertThat(negSpan.getField(2).getVarintList()).containsExactly(1L);
        assertThat(h.getField(9).getLengthDelimitedList().get(0).toByteArray()).containsExactly(6); // packed zigzag(3)
        UnknownFieldSet posSpan = parse(h.getField(11).getLengthDelimitedList().get(0));
        assertThat(posSpan.getField(1).getVarintList()).containsExactly(1L); // zigzag(-1)
        assertThat(posSpan.getField(2).getVarintList()).containsExactly(2L);
        assertThat(h.getField(12).getLengthDelimitedList().get(0).toByteArray()).containsExactly(2, 4);
        assertThat(h.getField(14).getVarintList()).containsExactly(2L); // NO
        assertThat(h.getField(15).getVarintList()).containsExactly(9L);
    }

    @Test
    void floatHistogramUsesTheFloatFields() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "f"));
        enc.histogram(NativeHistogram.ofFloats(1, 0, 0, 0.5, 3.5, 1.0,
                List.of(new NativeHistogram.BucketSpan(0, 2)), new double[] {1.0, 2.0},
                List.of(), new double[0], NativeHistogram.ResetHint.GAUGE));
        UnknownFieldSet ts = parse(parse(enc.toProtobuf()).getField(1).getLengthDelimitedList().get(0));
        UnknownFieldSet h = parse(ts.getField(4).getLengthDelimitedList().get(0));
        assertThat(h.hasField(1)).isFalse();
        assertThat(Double.longBitsToDouble(h.getField(2).getFixed64List().get(0))).isEqualTo(3.5);
        assertThat(Double.longBitsToDouble(h.getField(7).getFixed64List().get(0))).isEqualTo(0.5);
        assertThat(h.getField(13).getLengthDelimitedList().get(0).size()).isEqualTo(16);
        assertThat(h.getField(14).getVarintList()).containsExactly(3L);
    }

    @Test
    void translatedRequestSurvivesEncodeAndDecode() throws IOException {
        RecordingSink expected = new RecordingSink();
        new PrometheusTranslator().translate(realistic(), expected);
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        new PrometheusTranslator().translate(realistic(), enc);

        RemoteWriteRequest decoded = decoder.decodeSnappy(enc.toSnappy());

        assertThat(decoded.timeseries()).hasSize(expected.series.size());
        for (RemoteWriteRequest.TimeSeries ts : decoded.timeseries()) {
            RecordingSink.Series want = expected.series.get(ts.labels());
            assertThat(want).as("series %s", ts.labels()).isNotNull();
            assertThat(ts.samples()).extracting(RemoteWriteRequest.Sample::timestampMillis, RemoteWriteRequest.Sample::value)
                    .containsExactlyElementsOf(want.samples.stream()
                            .map(s -> org.assertj.core.groups.Tuple.tuple(s.timestampMillis(), s.value())).toList());
            assertThat(ts.histograms()).containsExactlyElementsOf(want.histograms);
            assertThat(ts.exemplars()).extracting(RemoteWriteRequest.Exemplar::labels)
                    .containsExactlyElementsOf(want.exemplars.stream().map(RecordingSink.ExemplarEntry::labels).toList());
        }
        assertThat(decoded.metadata()).extracting(RemoteWriteRequest.MetricMetadata::familyName)
                .containsExactlyInAnyOrderElementsOf(expected.metadata.keySet());
        assertThat(decoded.metadata()).contains(new RemoteWriteRequest.MetricMetadata(
                "http_server_requests_total", MetricType.COUNTER, "", "sum http.server.requests"));

        RemoteWriteRequest.TimeSeries exp = decoded.timeseries().stream()
                .filter(t -> t.labels().metricName().equals("rpc_duration_seconds")).findFirst().orElseThrow();
        NativeHistogram h = exp.histograms().get(0);
        assertThat(h.schema()).isEqualTo(8);
        assertThat(h.positiveBuckets().stream().mapToDouble(NativeHistogram.Bucket::count).sum()).isEqualTo(6);
        assertThat(h.negativeBuckets().stream().mapToDouble(NativeHistogram.Bucket::count).sum()).isEqualTo(4);
    }

    @Test
    void seriesAreMergedAndSamplesPutInTimeOrder() throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        Labels a = Labels.of("__name__", "a");
        Labels b = Labels.of("__name__", "b");
        enc.series(a);
        enc.sample(30, 3);
        enc.exemplar(Labels.empty(), 3, 30);
        enc.series(b);
        enc.sample(5, 5);
        enc.series(a);
        enc.sample(10, 1);
        enc.exemplar(Labels.empty(), 1, 10);
        enc.series(a);
        enc.sample(20, 2);
        assertThat(enc.seriesCount()).isEqualTo(2);
        assertThat(enc.sampleCount()).isEqualTo(4);

        RemoteWriteRequest r = decoder.decode(enc.toProtobuf());
        assertThat(r.timeseries()).extracting(RemoteWriteRequest.TimeSeries::labels).containsExactly(a, b);
        assertThat(r.timeseries().get(0).samples()).containsExactly(
                new RemoteWriteRequest.Sample(10, 1), new RemoteWriteRequest.Sample(20, 2),
                new RemoteWriteRequest.Sample(30, 3));
        assertThat(r.timeseries().get(0).exemplars()).extracting(RemoteWriteRequest.Exemplar::timestampMillis)
                .containsExactly(10L, 30L);
    }

    @Test
    void staleMarkerBitsSurviveTheWire() throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "s"));
        enc.sample(1, SeriesSink.STALE_NAN);
        enc.sample(2, Double.NaN);
        List<RemoteWriteRequest.Sample> samples = decoder.decodeSnappy(enc.toSnappy()).timeseries().get(0).samples();
        assertThat(Double.doubleToRawLongBits(samples.get(0).value())).isEqualTo(0x7ff0000000000002L);
        assertThat(SeriesSink.isStaleMarker(samples.get(1).value())).isFalse();
    }

    @Test
    void bodyIsSnappyBlockFormatNotFramed() throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        new PrometheusTranslator().translate(realistic(), enc);
        byte[] proto = enc.toProtobuf();
        byte[] body = enc.toSnappy();
        assertThat(Snappy.uncompress(body)).isEqualTo(proto);
        // The block format opens with the uncompressed length as a varint; the framed format
        // would open with its stream identifier chunk (0xff).
        assertThat(body[0] & 0xff).isNotEqualTo(0xff);
        assertThat(Snappy.uncompressedLength(body)).isEqualTo(proto.length);
        assertThat(RemoteWriteEncoder.compress(proto)).isEqualTo(body);
        assertThat(body.length).isLessThan(proto.length);
    }

    @Test
    void batchesStayUnderTheLimitAndTogetherHoldEverything() throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        for (int i = 0; i < 200; i++) {
            enc.metadata("m" + i, MetricType.GAUGE, "", "help " + i);
            enc.series(Labels.of("__name__", "m" + i, "pod", "pod-" + i));
            enc.sample(1000 + i, i);
        }
        int whole = enc.toProtobuf().length;
        List<byte[]> batches = enc.toSnappyBatches(1024);
        assertThat(batches.size()).isGreaterThan(whole / 1024);

        List<RemoteWriteRequest.TimeSeries> series = new ArrayList<>();
        List<RemoteWriteRequest.MetricMetadata> metadata = new ArrayList<>();
        for (byte[] b : batches) {
            assertThat(Snappy.uncompressedLength(b)).isLessThanOrEqualTo(1024);
            RemoteWriteRequest r = decoder.decodeSnappy(b);
            series.addAll(r.timeseries());
            metadata.addAll(r.metadata());
        }
        assertThat(series).hasSize(200);
        assertThat(metadata).hasSize(200);
        assertThat(series.get(199).samples()).containsExactly(new RemoteWriteRequest.Sample(1199, 199));
        assertThat(enc.toSnappyBatches(Integer.MAX_VALUE)).hasSize(1);
    }

    @Test
    void resetForgetsDataAndAnEmptyRequestIsValid() throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "x"));
        enc.sample(1, 1);
        enc.dropped("m", "why");
        assertThat(enc.droppedCount()).isEqualTo(1);
        enc.reset();
        assertThat(enc.isEmpty()).isTrue();
        assertThat(enc.droppedCount()).isZero();
        assertThat(enc.toProtobuf()).isEmpty();
        assertThat(decoder.decodeSnappy(enc.toSnappy()).timeseries()).isEmpty();

        enc.series(Labels.of("__name__", "y"));
        enc.sample(2, 2);
        assertThat(decoder.decodeSnappy(enc.toSnappy()).timeseries()).singleElement()
                .satisfies(ts -> assertThat(ts.samples()).containsExactly(new RemoteWriteRequest.Sample(2, 2)));
    }

    @Test
    void metadataCanBeLeftOutAndIsKeptOncePerFamily() throws IOException {
        RemoteWriteEncoder without = new RemoteWriteEncoder(false);
        without.metadata("a", MetricType.GAUGE, "", "");
        assertThat(decoder.decode(without.toProtobuf()).metadata()).isEmpty();

        RemoteWriteEncoder with = new RemoteWriteEncoder();
        with.metadata("a", MetricType.GAUGE, "", "first");
        with.metadata("a", MetricType.COUNTER, "", "second");
        assertThat(decoder.decode(with.toProtobuf()).metadata()).containsExactly(
                new RemoteWriteRequest.MetricMetadata("a", MetricType.GAUGE, "", "first"));
    }

    @Test
    void dataBeforeASeriesIsAProgrammingError() {
        assertThatThrownBy(() -> new RemoteWriteEncoder().sample(1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void headersAreTheRemoteWriteOnes() {
        assertThat(RemoteWriteEncoder.headers("mantis/0.1")).containsExactly(
                Map.entry("Content-Encoding", "snappy"),
                Map.entry("Content-Type", "application/x-protobuf"),
                Map.entry("X-Prometheus-Remote-Write-Version", "0.1.0"),
                Map.entry("User-Agent", "mantis/0.1"));
    }

    // ---- decoder leniency and errors ----

    @Test
    void decoderSkipsUnknownFieldsReadsUnpackedRepeatedsAndSortsLabels() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        // WriteRequest field 2 is reserved (Cortex's source); a sender may still set it.
        out.writeEnum(2, 1);
        out.writeByteArray(1, message(ts -> {
            ts.writeByteArray(1, message(l -> {
                l.writeString(2, "1");
                l.writeString(1, "z");
            }));
            ts.writeByteArray(1, message(l -> {
                l.writeString(1, "__name__");
                l.writeString(2, "m");
            }));
            ts.writeByteArray(2, message(s -> {
                s.writeInt64(2, 42);
                s.writeDouble(1, 1.5);
                s.writeInt32(3, 0); // identifyingLabels, newer prompb
            }));
            ts.writeByteArray(4, message(h -> {
                h.writeUInt64(1, 3);
                h.writeSInt32(4, 1);
                h.writeByteArray(11, message(span -> {
                    span.writeSInt32(1, 2);
                    span.writeUInt32(2, 2);
                }));
                h.writeSInt64(12, 1); // unpacked
                h.writeSInt64(12, 1);
                h.writeString(99, "future field");
            }));
            ts.writeString(77, "future field");
        }));
        out.flush();

        RemoteWriteRequest r = decoder.decode(buf.toByteArray());
        RemoteWriteRequest.TimeSeries ts = r.timeseries().get(0);
        assertThat(ts.labels()).isEqualTo(Labels.of("__name__", "m", "z", "1"));
        assertThat(ts.labels().name(0)).isEqualTo("__name__");
        assertThat(ts.samples()).containsExactly(new RemoteWriteRequest.Sample(42, 1.5));
        assertThat(ts.histograms().get(0).positiveBuckets()).containsExactly(
                new NativeHistogram.Bucket(2, 1), new NativeHistogram.Bucket(3, 2));
    }

    @Test
    void decoderRejectsGarbageWithIoExceptions() {
        assertThatThrownBy(() -> decoder.decodeSnappy(new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decoder.decode(new byte[] {0x0a, 0x10, 0x0a}))
                .isInstanceOf(IOException.class);
        // A label without a name.
        assertThatThrownBy(() -> decoder.decode(new byte[] {0x0a, 0x05, 0x0a, 0x03, 0x12, 0x01, 0x61}))
                .isInstanceOf(IOException.class).hasMessageContaining("empty name");
    }

    @Test
    void decoderRejectsHistogramsWhoseSpansDisagreeWithTheirCounts() throws IOException {
        byte[] bad = message(req -> req.writeByteArray(1, message(ts -> ts.writeByteArray(4, message(h -> {
            h.writeUInt64(1, 1);
            h.writeByteArray(11, message(span -> span.writeUInt32(2, 3)));
            h.writeSInt64(12, 1);
        })))));
        assertThatThrownBy(() -> decoder.decode(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("native histogram");
    }

    @Test
    void decoderEnforcesItsSizeLimitBeforeAllocating() throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "x".repeat(500)));
        enc.sample(1, 1);
        byte[] body = enc.toSnappy();
        assertThatThrownBy(() -> new RemoteWriteDecoder(100).decodeSnappy(body))
                .isInstanceOf(IOException.class).hasMessageContaining("exceeds the limit");
        assertThat(new RemoteWriteDecoder(1000).decodeSnappy(body).timeseries()).hasSize(1);
    }

    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Writer w) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        w.write(out);
        out.flush();
        return buf.toByteArray();
    }

    static UnknownFieldSet parse(byte[] bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static UnknownFieldSet parse(ByteString bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
