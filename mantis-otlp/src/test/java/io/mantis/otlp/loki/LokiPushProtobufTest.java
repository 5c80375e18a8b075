package io.mantis.otlp.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class LokiPushProtobufTest {

    private final LokiPushDecoder decoder = new LokiPushDecoder();

    static List<LokiStream> sampleStreams() {
        return List.of(
                new LokiStream(Labels.of("service_name", "api", "env", "prod \"blue\""), List.of(
                        new LokiEntry(1_700_000_000_123_456_789L, "first line",
                                List.of(new LabelPair("trace_id", "5b8efff798038103d269b633813fc60c"),
                                        new LabelPair("dup", "1"), new LabelPair("dup", "2"))),
                        new LokiEntry(1_700_000_001_000_000_000L, "", List.of(new LabelPair("empty", ""))),
                        new LokiEntry(0, "at the epoch"),
                        new LokiEntry(-1_500_000_000L, "before the epoch \u00e9\uD83D\uDE00\n"))),
                new LokiStream(Labels.of("service_name", "worker"), List.of(
                        new LokiEntry(42, "x".repeat(300)))));
    }

    @Test
    void protobufRoundTrip() {
        List<LokiStream> streams = sampleStreams();
        assertThat(decoder.decodeProtobuf(LokiPushEncoder.encodeProtobuf(streams))).isEqualTo(streams);
    }

    @Test
    void snappyProtobufRoundTrip() throws IOException {
        List<LokiStream> streams = sampleStreams();
        byte[] body = LokiPushEncoder.encodeSnappyProtobuf(streams);
        // Snappy block format: decompressing yields exactly the plain protobuf.
        assertThat(Snappy.uncompress(body)).isEqualTo(LokiPushEncoder.encodeProtobuf(streams));
        assertThat(decoder.decodeSnappyProtobuf(body)).isEqualTo(streams);
        assertThat(decoder.decode(body, "application/x-protobuf", null)).isEqualTo(streams);
        assertThat(decoder.decode(body, null, "")).isEqualTo(streams);
    }

    @Test
    void emptyRequest() {
        assertThat(LokiPushEncoder.encodeProtobuf(List.of())).isEmpty();
        assertThat(decoder.decodeProtobuf(new byte[0])).isEmpty();
    }

    @Test
    void roundTripOfTranslatorOutput() {
        List<LokiStream> streams = new LokiTranslator().translate(
                io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                        .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder()
                                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                        .addAttributes(Otlp.kv("service.name", "svc")))
                                .addScopeLogs(io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder()
                                        .addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                                .setTimeUnixNano(123).setSeverityNumberValue(17)
                                                .setBody(Otlp.str("boom")))))
                        .build());
        assertThat(decoder.decodeSnappyProtobuf(LokiPushEncoder.encodeSnappyProtobuf(streams))).isEqualTo(streams);
    }

    /** Writes a length-delimited sub-message built by {@code body}. */
    private static void message(CodedOutputStream out, int field, Consumer<CodedOutputStream> body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream inner = CodedOutputStream.newInstance(buf);
        body.accept(inner);
        try {
            inner.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        out.writeByteArray(field, buf.toByteArray());
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Pins Loki's push.proto field numbers independently of the encoder: PushRequest.streams = 1;
     * StreamAdapter labels = 1, entries = 2, hash = 3; EntryAdapter timestamp = 1, line = 2,
     * structuredMetadata = 3; LabelPairAdapter name = 1, value = 2; Timestamp seconds = 1,
     * nanos = 2. Fields in unusual order and fields this code does not know are included on
     * purpose, as a newer Loki client may send them.
     */
    @Test
    void decodesHandBuiltProtobuf() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        message(out, 1, stream -> io(() -> {
            message(stream, 2, entry -> io(() -> {
                entry.writeString(2, "hello");
                message(entry, 1, ts -> io(() -> {
                    ts.writeInt64(1, 1_700_000_000L);
                    ts.writeInt32(2, 5);
                }));
                message(entry, 3, pair -> io(() -> {
                    pair.writeString(1, "trace_id");
                    pair.writeString(2, "abc");
                }));
                // EntryAdapter.parsed = 4 (query responses only): skipped.
                message(entry, 4, pair -> io(() -> pair.writeString(1, "ignored")));
            }));
            stream.writeUInt64(3, 0xDEADBEEFL);
            stream.writeString(1, "{job=\"varlogs\", host=\"h1\"}");
            stream.writeString(99, "unknown field");
        }));
        // PushRequest.format = 2 in newer Loki: skipped.
        out.writeString(2, "loki");
        out.flush();

        List<LokiStream> streams = decoder.decodeProtobuf(bytes.toByteArray());
        assertThat(streams).containsExactly(new LokiStream(Labels.of("host", "h1", "job", "varlogs"),
                List.of(new LokiEntry(1_700_000_000_000_000_005L, "hello", List.of(new LabelPair("trace_id", "abc"))))));
    }

    @Test
    void encoderOutputMatchesHandBuiltBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        message(out, 1, stream -> io(() -> {
            stream.writeString(1, "{a=\"b\"}");
            message(stream, 2, entry -> io(() -> {
                message(entry, 1, ts -> io(() -> {
                    ts.writeInt64(1, 2L);
                    ts.writeInt32(2, 3);
                }));
                entry.writeString(2, "line");
                message(entry, 3, pair -> io(() -> {
                    pair.writeString(1, "k");
                    pair.writeString(2, "v");
                }));
            }));
        }));
        out.flush();
        byte[] encoded = LokiPushEncoder.encodeProtobuf(List.of(new LokiStream(Labels.of("a", "b"),
                List.of(new LokiEntry(2_000_000_003L, "line", List.of(new LabelPair("k", "v")))))));
        assertThat(encoded).isEqualTo(bytes.toByteArray());
    }

    /** A protobuf field key: field number shifted past the three wire-type bits. */
    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    @Test
    void timestampIsAlwaysPresentEvenAtTheEpoch() {
        byte[] encoded = LokiPushEncoder.encodeProtobuf(List.of(new LokiStream(Labels.of("a", "b"),
                List.of(new LokiEntry(0, "")))));
        // stream(1) > labels(1) "{a=\"b\"}", entries(2) > timestamp(1) of length 0.
        byte[] labels = "{a=\"b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] expected = new byte[2 + 2 + labels.length + 2 + 2];
        int p = 0;
        expected[p++] = (byte) tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        expected[p++] = (byte) (2 + labels.length + 2 + 2);
        expected[p++] = (byte) tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        expected[p++] = (byte) labels.length;
        System.arraycopy(labels, 0, expected, p, labels.length);
        p += labels.length;
        expected[p++] = (byte) tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        expected[p++] = 2;
        expected[p++] = (byte) tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        expected[p] = 0;
        assertThat(encoded).isEqualTo(expected);
    }

    @Test
    void sameLabelStringInTwoStreamsMergesIntoOneStream() throws IOException {
        List<LokiStream> twice = List.of(
                new LokiStream(Labels.of("a", "b"), List.of(new LokiEntry(1, "one"))),
                new LokiStream(Labels.of("c", "d"), List.of(new LokiEntry(2, "two"))),
                new LokiStream(Labels.of("a", "b"), List.of(new LokiEntry(3, "three"))));
        List<Labels> seen = new ArrayList<>();
        decoder.decodeProtobuf(LokiPushEncoder.encodeProtobuf(twice), (labels, ts, line, md) -> seen.add(labels));
        assertThat(seen.get(0)).isSameAs(seen.get(2));
        List<LokiStream> merged = decoder.decodeProtobuf(LokiPushEncoder.encodeProtobuf(twice));
        assertThat(merged).hasSize(2);
        assertThat(merged.get(0).entries()).extracting(LokiEntry::line).containsExactly("one", "three");
    }

    @Test
    void rejectsMalformedProtobuf() throws IOException {
        byte[] good = LokiPushEncoder.encodeProtobuf(sampleStreams());
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> decoder.decodeProtobuf(truncated)).isInstanceOf(LokiFormatException.class);

        // StreamAdapter.labels sent as a varint.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        message(out, 1, stream -> io(() -> stream.writeUInt64(1, 7)));
        out.flush();
        assertThatThrownBy(() -> decoder.decodeProtobuf(bytes.toByteArray()))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("wire type");

        // A label string that does not parse.
        List<LokiStream> badLabels = List.of(new LokiStream(Labels.of("a", "b"), List.of(new LokiEntry(1, "x"))));
        byte[] encoded = LokiPushEncoder.encodeProtobuf(badLabels);
        String asText = new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1).replace("{a=", "{9=");
        assertThatThrownBy(() -> decoder.decodeProtobuf(asText.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("label name");

        assertThatThrownBy(() -> decoder.decodeSnappyProtobuf(good))
                .isInstanceOf(LokiFormatException.class);
    }

    @Test
    void refusesBodiesThatDecompressPastTheLimit() {
        byte[] body = LokiPushEncoder.encodeSnappyProtobuf(sampleStreams());
        LokiPushDecoder small = new LokiPushDecoder(64);
        assertThatThrownBy(() -> small.decodeSnappyProtobuf(body))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("exceeds 64 bytes");
    }
}
