package io.mantis.otlp.loki;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.Snappy;

/**
 * Writes Loki push request bodies ({@code POST /loki/api/v1/push}).
 *
 * <p><b>Protobuf</b> ({@code logproto.PushRequest}), hand-encoded:
 * <pre>
 * PushRequest      { repeated StreamAdapter streams = 1; }
 * StreamAdapter    { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
 * EntryAdapter     { google.protobuf.Timestamp timestamp = 1; string line = 2;
 *                    repeated LabelPairAdapter structuredMetadata = 3; }
 * LabelPairAdapter { string name = 1; string value = 2; }
 * Timestamp        { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 * {@code labels} is the label string ({@link Labels#toLabelString()}); {@code hash} is left out
 * (Loki recomputes it). The timestamp is always written, as Loki's own non-nullable field is, and
 * default-valued scalars are omitted as proto3 requires. The HTTP body is the protobuf compressed
 * with the Snappy <em>block</em> format (not the framed format), sent with
 * {@code Content-Type: application/x-protobuf} and no {@code Content-Encoding}: Loki always
 * expects protobuf pushes to be snappy-compressed.
 *
 * <p><b>JSON</b>: {@code {"streams":[{"stream":{"name":"value"},"values":[["<ns>","line",
 * {"meta":"value"}]]}]}} with the timestamp as a string of nanoseconds since the epoch and the
 * structured-metadata object only when an entry has some. Loki accepts it plain or with
 * {@code Content-Encoding: gzip}.
 *
 * <p>The protobuf encoding computes all message sizes first and then writes into one exactly
 * sized array, so there is no intermediate buffer or copy per message.
 */
public final class LokiPushEncoder {

    public static final String PROTOBUF_CONTENT_TYPE = "application/x-protobuf";
    public static final String JSON_CONTENT_TYPE = "application/json";

    // Field numbers of Loki's push.proto (package logproto).
    static final int PUSH_REQUEST_STREAMS = 1;
    static final int STREAM_LABELS = 1;
    static final int STREAM_ENTRIES = 2;
    static final int STREAM_HASH = 3;
    static final int ENTRY_TIMESTAMP = 1;
    static final int ENTRY_LINE = 2;
    static final int ENTRY_STRUCTURED_METADATA = 3;
    static final int LABEL_PAIR_NAME = 1;
    static final int LABEL_PAIR_VALUE = 2;
    static final int TIMESTAMP_SECONDS = 1;
    static final int TIMESTAMP_NANOS = 2;

    static final JsonFactory JSON = new JsonFactory();

    private LokiPushEncoder() {
    }

    /** The snappy-compressed protobuf body, ready to POST with {@link #PROTOBUF_CONTENT_TYPE}. */
    public static byte[] encodeSnappyProtobuf(List<LokiStream> streams) {
        try {
            return Snappy.compress(encodeProtobuf(streams));
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    /** The uncompressed {@code PushRequest} protobuf. */
    public static byte[] encodeProtobuf(List<LokiStream> streams) {
        // Sizes of every nested message, in the order they are written: a stream's size, then for
        // each of its entries the entry's size followed by its label pairs' sizes.
        int slots = 0;
        for (LokiStream s : streams) {
            slots++;
            for (LokiEntry e : s.entries()) {
                slots += 1 + e.structuredMetadata().size();
            }
        }
        int[] sizes = new int[slots];
        int slot = 0;
        int total = 0;
        for (LokiStream s : streams) {
            int streamSlot = slot++;
            int streamSize = CodedOutputStream.computeStringSize(STREAM_LABELS, s.labels().toLabelString());
            for (LokiEntry e : s.entries()) {
                int entrySlot = slot++;
                int entrySize = lengthDelimitedSize(ENTRY_TIMESTAMP, timestampSize(e.timestampNanos()));
                if (!e.line().isEmpty()) {
                    entrySize += CodedOutputStream.computeStringSize(ENTRY_LINE, e.line());
                }
                for (LabelPair p : e.structuredMetadata()) {
                    int pairSize = pairSize(p);
                    sizes[slot++] = pairSize;
                    entrySize += lengthDelimitedSize(ENTRY_STRUCTURED_METADATA, pairSize);
                }
                sizes[entrySlot] = entrySize;
                streamSize += lengthDelimitedSize(STREAM_ENTRIES, entrySize);
            }
            sizes[streamSlot] = streamSize;
            total += lengthDelimitedSize(PUSH_REQUEST_STREAMS, streamSize);
        }

        byte[] out = new byte[total];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            slot = 0;
            for (LokiStream s : streams) {
                writeHeader(cos, PUSH_REQUEST_STREAMS, sizes[slot++]);
                cos.writeString(STREAM_LABELS, s.labels().toLabelString());
                for (LokiEntry e : s.entries()) {
                    writeHeader(cos, STREAM_ENTRIES, sizes[slot++]);
                    writeTimestamp(cos, e.timestampNanos());
                    if (!e.line().isEmpty()) {
                        cos.writeString(ENTRY_LINE, e.line());
                    }
                    for (LabelPair p : e.structuredMetadata()) {
                        writeHeader(cos, ENTRY_STRUCTURED_METADATA, sizes[slot++]);
                        if (!p.name().isEmpty()) {
                            cos.writeString(LABEL_PAIR_NAME, p.name());
                        }
                        if (!p.value().isEmpty()) {
                            cos.writeString(LABEL_PAIR_VALUE, p.value());
                        }
                    }
                }
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            // Only possible if the sizes above disagree with what was written: a bug here.
            throw new IllegalStateException("protobuf size mismatch", e);
        }
        return out;
    }

    private static int pairSize(LabelPair p) {
        int size = 0;
        if (!p.name().isEmpty()) {
            size += CodedOutputStream.computeStringSize(LABEL_PAIR_NAME, p.name());
        }
        if (!p.value().isEmpty()) {
            size += CodedOutputStream.computeStringSize(LABEL_PAIR_VALUE, p.value());
        }
        return size;
    }

    private static int timestampSize(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(nanos, 1_000_000_000L);
        int size = 0;
        if (seconds != 0) {
            size += CodedOutputStream.computeInt64Size(TIMESTAMP_SECONDS, seconds);
        }
        if (nano != 0) {
            size += CodedOutputStream.computeInt32Size(TIMESTAMP_NANOS, nano);
        }
        return size;
    }

    private static void writeTimestamp(CodedOutputStream cos, long nanos) throws IOException {
        // Timestamp wants nanos in [0, 1e9), so times before 1970 borrow from the seconds.
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(nanos, 1_000_000_000L);
        writeHeader(cos, ENTRY_TIMESTAMP, timestampSize(nanos));
        if (seconds != 0) {
            cos.writeInt64(TIMESTAMP_SECONDS, seconds);
        }
        if (nano != 0) {
            cos.writeInt32(TIMESTAMP_NANOS, nano);
        }
    }

    private static int lengthDelimitedSize(int field, int size) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    private static void writeHeader(CodedOutputStream cos, int field, int size) throws IOException {
        cos.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag(size);
    }

    /** The JSON push body, ready to POST with {@link #JSON_CONTENT_TYPE}. */
    public static byte[] encodeJson(List<LokiStream> streams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            writeJson(streams, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The JSON push body gzip-compressed, to POST with {@code Content-Encoding: gzip}. */
    public static byte[] encodeGzipJson(List<LokiStream> streams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            writeJson(streams, gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the JSON push body to {@code out}, leaving it open. */
    public static void writeJson(List<LokiStream> streams, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart("streams");
            for (LokiStream s : streams) {
                g.writeStartObject();
                g.writeObjectFieldStart("stream");
                Labels labels = s.labels();
                for (int i = 0; i < labels.size(); i++) {
                    g.writeStringField(labels.name(i), labels.value(i));
                }
                g.writeEndObject();
                g.writeArrayFieldStart("values");
                for (LokiEntry e : s.entries()) {
                    g.writeStartArray();
                    g.writeString(Long.toString(e.timestampNanos()));
                    g.writeString(e.line());
                    if (!e.structuredMetadata().isEmpty()) {
                        g.writeStartObject();
                        for (LabelPair p : e.structuredMetadata()) {
                            g.writeStringField(p.name(), p.value());
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
