package io.mantis.otlp.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class LokiPushJsonTest {

    private final LokiPushDecoder decoder = new LokiPushDecoder();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesLokisJsonShape() {
        List<LokiStream> streams = List.of(new LokiStream(Labels.of("job", "varlogs", "env", "prod"), List.of(
                new LokiEntry(1570818238000000000L, "fizzbuzz"),
                new LokiEntry(1570818238000000001L, "with \"meta\"",
                        List.of(new LabelPair("trace_id", "0242ac120002"))))));
        String json = new String(LokiPushEncoder.encodeJson(streams), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"streams\":[{\"stream\":{\"env\":\"prod\",\"job\":\"varlogs\"},\"values\":["
                + "[\"1570818238000000000\",\"fizzbuzz\"],"
                + "[\"1570818238000000001\",\"with \\\"meta\\\"\",{\"trace_id\":\"0242ac120002\"}]]}]}");
    }

    @Test
    void jsonRoundTrip() {
        List<LokiStream> streams = LokiPushProtobufTest.sampleStreams();
        assertThat(decoder.decodeJson(LokiPushEncoder.encodeJson(streams))).isEqualTo(streams);
        assertThat(decoder.decode(LokiPushEncoder.encodeJson(streams), "application/json; charset=utf-8", null))
                .isEqualTo(streams);
    }

    @Test
    void gzipJsonRoundTrip() throws IOException {
        List<LokiStream> streams = LokiPushProtobufTest.sampleStreams();
        byte[] gz = LokiPushEncoder.encodeGzipJson(streams);
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(LokiPushEncoder.encodeJson(streams));
        }
        assertThat(decoder.decode(gz, "application/json", "gzip")).isEqualTo(streams);
    }

    @Test
    void deflateContentEncoding() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(buf)) {
            out.write(LokiPushEncoder.encodeSnappyProtobuf(LokiPushProtobufTest.sampleStreams()));
        }
        assertThat(decoder.decode(buf.toByteArray(), "application/x-protobuf", "deflate"))
                .isEqualTo(LokiPushProtobufTest.sampleStreams());
    }

    @Test
    void readsLokiDocumentationExampleAndLenientForms() {
        String json = """
                {"streams": [
                  {"values": [["1570818238000000000", "fizzbuzz"],
                              [1570818238000000001, "numeric ts", {"user": "alice", "id": "7"}],
                              ["1570818238000000002", "null meta", null]],
                   "stream": {"foo": "bar2"},
                   "extra": {"ignored": [1, 2, {"x": null}]}}
                ], "unknownTopLevel": true}
                """;
        List<LokiStream> streams = decoder.decodeJson(utf8(json));
        assertThat(streams).containsExactly(new LokiStream(Labels.of("foo", "bar2"), List.of(
                new LokiEntry(1570818238000000000L, "fizzbuzz"),
                new LokiEntry(1570818238000000001L, "numeric ts",
                        List.of(new LabelPair("user", "alice"), new LabelPair("id", "7"))),
                new LokiEntry(1570818238000000002L, "null meta"))));
    }

    @Test
    void rejectsMalformedJson() {
        assertThatThrownBy(() -> decoder.decodeJson(utf8("{\"streams\":[{\"stream\":{\"a\":1},\"values\":[]}]}")))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("stream label 'a'");
        assertThatThrownBy(() -> decoder.decodeJson(utf8("{\"streams\":[{\"stream\":{\"a.b\":\"x\"}}]}")))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> decoder.decodeJson(utf8("{\"streams\":[{\"values\":[[\"abc\",\"x\"]]}]}")))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("nanoseconds");
        assertThatThrownBy(() -> decoder.decodeJson(utf8("{\"streams\":[{\"values\":[[\"1\",\"x\",{},\"4th\"]]}]}")))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("at most three");
        assertThatThrownBy(() -> decoder.decodeJson(utf8("{\"streams\":[{\"values\":[[\"1\",\"x\",{\"k\":2}]]}]}")))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("structured metadata 'k'");
        assertThatThrownBy(() -> decoder.decodeJson(utf8("{\"streams\":[")))
                .isInstanceOf(LokiFormatException.class);
        assertThatThrownBy(() -> decoder.decodeJson(utf8("[]")))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("push body");
        assertThatThrownBy(() -> decoder.decode(utf8("{}"), "application/json", "br"))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("Content-Encoding");
    }

    @Test
    void gzipBombIsRefused() {
        StringBuilder line = new StringBuilder();
        line.append("a".repeat(10_000));
        byte[] gz = LokiPushEncoder.encodeGzipJson(List.of(new LokiStream(Labels.of("a", "b"),
                List.of(new LokiEntry(1, line.toString())))));
        assertThatThrownBy(() -> new LokiPushDecoder(1000).decode(gz, "application/json", "gzip"))
                .isInstanceOf(LokiFormatException.class).hasMessageContaining("exceeds 1000 bytes");
    }
}
