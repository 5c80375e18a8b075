package io.mantis.otlp.loki;

import static io.mantis.otlp.loki.LokiPushEncoder.ENTRY_LINE;
import static io.mantis.otlp.loki.LokiPushEncoder.ENTRY_STRUCTURED_METADATA;
import static io.mantis.otlp.loki.LokiPushEncoder.ENTRY_TIMESTAMP;
import static io.mantis.otlp.loki.LokiPushEncoder.LABEL_PAIR_NAME;
import static io.mantis.otlp.loki.LokiPushEncoder.LABEL_PAIR_VALUE;
import static io.mantis.otlp.loki.LokiPushEncoder.PUSH_REQUEST_STREAMS;
import static io.mantis.otlp.loki.LokiPushEncoder.STREAM_ENTRIES;
import static io.mantis.otlp.loki.LokiPushEncoder.STREAM_LABELS;
import static io.mantis.otlp.loki.LokiPushEncoder.TIMESTAMP_NANOS;
import static io.mantis.otlp.loki.LokiPushEncoder.TIMESTAMP_SECONDS;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.xerial.snappy.Snappy;

/**
 * Reads Loki push request bodies, in either of the forms {@link LokiPushEncoder} describes, into
 * a {@link StreamSink} or a list of streams.
 *
 * <p>Protobuf fields this does not know (such as {@code PushRequest.format} or
 * {@code EntryAdapter.parsed} in newer Loki versions) are skipped; {@code hash} is read and
 * ignored. Every malformed input, including a body that decompresses to more than the configured
 * limit, raises {@link LokiFormatException}. Instances are immutable and thread-safe.
 */
public final class LokiPushDecoder {

    /**
     * Default cap on a decompressed body: generous for any real batch, small enough that a
     * decompression bomb cannot exhaust the heap.
     */
    public static final int DEFAULT_MAX_DECODED_BYTES = 100 << 20;

    private final int maxDecodedBytes;

    public LokiPushDecoder() {
        this(DEFAULT_MAX_DECODED_BYTES);
    }

    /** A decoder refusing bodies that decompress to more than {@code maxDecodedBytes}. */
    public LokiPushDecoder(int maxDecodedBytes) {
        if (maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("maxDecodedBytes must be positive");
        }
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /**
     * Decodes an HTTP push body as Loki does: {@code Content-Encoding} gzip or deflate is undone
     * first; then {@code application/json} is the JSON form and any other content type (or none)
     * is snappy-compressed protobuf.
     */
    public List<LokiStream> decode(byte[] body, String contentType, String contentEncoding) {
        StreamCollector collector = new StreamCollector();
        decode(body, contentType, contentEncoding, collector);
        return collector.streams();
    }

    public void decode(byte[] body, String contentType, String contentEncoding, StreamSink sink) {
        byte[] decoded = undoContentEncoding(body, contentEncoding);
        if (JSON_MEDIA_TYPE.equals(mediaType(contentType))) {
            decodeJson(decoded, sink);
        } else {
            decodeSnappyProtobuf(decoded, sink);
        }
    }

    private static final String JSON_MEDIA_TYPE = LokiPushEncoder.JSON_CONTENT_TYPE;

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        String type = semi >= 0 ? contentType.substring(0, semi) : contentType;
        return type.trim().toLowerCase(Locale.ROOT);
    }

    private byte[] undoContentEncoding(byte[] body, String contentEncoding) {
        String enc = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        try {
            return switch (enc) {
                case "", "identity" -> body;
                case "gzip", "x-gzip" -> readBounded(new GZIPInputStream(new ByteArrayInputStream(body)));
                case "deflate" -> readBounded(new InflaterInputStream(new ByteArrayInputStream(body)));
                default -> throw new LokiFormatException("unsupported Content-Encoding: " + contentEncoding);
            };
        } catch (IOException e) {
            throw new LokiFormatException("cannot decompress " + enc + " body: " + e.getMessage(), e);
        }
    }

    private byte[] readBounded(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxDecodedBytes) {
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private LokiFormatException tooLarge() {
        return new LokiFormatException("push body exceeds " + maxDecodedBytes + " bytes after decompression");
    }

    // ---- protobuf ----

    public List<LokiStream> decodeSnappyProtobuf(byte[] body) {
        StreamCollector collector = new StreamCollector();
        decodeSnappyProtobuf(body, collector);
        return collector.streams();
    }

    /** Decodes a snappy-compressed (block format) {@code PushRequest}. */
    public void decodeSnappyProtobuf(byte[] body, StreamSink sink) {
        byte[] raw;
        try {
            // The block format starts with the uncompressed length, so a bomb is refused before
            // anything is allocated for it.
            int length = Snappy.uncompressedLength(body);
            if (length < 0 || length > maxDecodedBytes) {
                throw tooLarge();
            }
            raw = Snappy.uncompress(body);
        } catch (IOException e) {
            throw new LokiFormatException("body is not valid snappy (block format): " + e.getMessage(), e);
        }
        decodeProtobuf(raw, sink);
    }

    public List<LokiStream> decodeProtobuf(byte[] raw) {
        StreamCollector collector = new StreamCollector();
        decodeProtobuf(raw, collector);
        return collector.streams();
    }

    /** Decodes an uncompressed {@code PushRequest}. */
    public void decodeProtobuf(byte[] raw, StreamSink sink) {
        CodedInputStream in = CodedInputStream.newInstance(raw);
        // Streams that repeat a label string share one parsed Labels instance.
        Map<String, Labels> labelCache = new HashMap<>();
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (WireFormat.getTagFieldNumber(tag) == PUSH_REQUEST_STREAMS) {
                    int limit = pushMessage(in, tag, "PushRequest.streams");
                    readStream(in, labelCache, sink);
                    in.popLimit(limit);
                } else {
                    skip(in, tag);
                }
            }
        } catch (IOException e) {
            // InvalidProtocolBufferException and friends: truncated or garbled input.
            throw new LokiFormatException("invalid push protobuf: " + e.getMessage(), e);
        }
    }

    private static void readStream(CodedInputStream in, Map<String, Labels> labelCache, StreamSink sink)
            throws IOException {
        String labelString = "";
        // Entries may precede the labels on the wire (field order is not guaranteed), so they
        // are buffered until the stream message ends.
        List<LokiEntry> entries = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case STREAM_LABELS -> {
                    expectLengthDelimited(tag, "StreamAdapter.labels");
                    labelString = in.readString();
                }
                case STREAM_ENTRIES -> {
                    int limit = pushMessage(in, tag, "StreamAdapter.entries");
                    entries.add(readEntry(in));
                    in.popLimit(limit);
                }
                default -> skip(in, tag);
            }
        }
        Labels labels = labelCache.get(labelString);
        if (labels == null) {
            labels = LabelStrings.parse(labelString);
            labelCache.put(labelString, labels);
        }
        for (LokiEntry e : entries) {
            sink.entry(labels, e.timestampNanos(), e.line(), e.structuredMetadata());
        }
    }

    private static LokiEntry readEntry(CodedInputStream in) throws IOException {
        long timestamp = 0;
        String line = "";
        List<LabelPair> metadata = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ENTRY_TIMESTAMP -> {
                    int limit = pushMessage(in, tag, "EntryAdapter.timestamp");
                    timestamp = readTimestamp(in);
                    in.popLimit(limit);
                }
                case ENTRY_LINE -> {
                    expectLengthDelimited(tag, "EntryAdapter.line");
                    line = in.readString();
                }
                case ENTRY_STRUCTURED_METADATA -> {
                    int limit = pushMessage(in, tag, "EntryAdapter.structuredMetadata");
                    if (metadata == null) {
                        metadata = new ArrayList<>(4);
                    }
                    metadata.add(readPair(in));
                    in.popLimit(limit);
                }
                default -> skip(in, tag);
            }
        }
        return new LokiEntry(timestamp, line, metadata == null ? List.of() : metadata);
    }

    private static long readTimestamp(CodedInputStream in) throws IOException {
        long seconds = 0;
        long nanos = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TIMESTAMP_SECONDS -> {
                    expectVarint(tag, "Timestamp.seconds");
                    seconds = in.readInt64();
                }
                case TIMESTAMP_NANOS -> {
                    expectVarint(tag, "Timestamp.nanos");
                    nanos = in.readInt32();
                }
                default -> skip(in, tag);
            }
        }
        try {
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
        } catch (ArithmeticException e) {
            throw new LokiFormatException("timestamp out of range: " + seconds + "s " + nanos + "ns");
        }
    }

    private static LabelPair readPair(CodedInputStream in) throws IOException {
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case LABEL_PAIR_NAME -> {
                    expectLengthDelimited(tag, "LabelPairAdapter.name");
                    name = in.readString();
                }
                case LABEL_PAIR_VALUE -> {
                    expectLengthDelimited(tag, "LabelPairAdapter.value");
                    value = in.readString();
                }
                default -> skip(in, tag);
            }
        }
        return new LabelPair(name, value);
    }

    /** Enters a length-delimited sub-message; returns the old limit for popLimit. */
    private static int pushMessage(CodedInputStream in, int tag, String field) throws IOException {
        expectLengthDelimited(tag, field);
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new LokiFormatException("negative length for " + field);
        }
        return in.pushLimit(length);
    }

    private static void expectLengthDelimited(int tag, String field) {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw new LokiFormatException("wrong wire type " + WireFormat.getTagWireType(tag) + " for " + field);
        }
    }

    private static void expectVarint(int tag, String field) {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT) {
            throw new LokiFormatException("wrong wire type " + WireFormat.getTagWireType(tag) + " for " + field);
        }
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            // An end-group tag where no group was open.
            throw new LokiFormatException("unexpected end-group tag");
        }
    }

    // ---- JSON ----

    public List<LokiStream> decodeJson(byte[] json) {
        StreamCollector collector = new StreamCollector();
        decodeJson(json, collector);
        return collector.streams();
    }

    /** Decodes the JSON push form. Timestamps may be strings (as Loki sends) or integers. */
    public void decodeJson(byte[] json, StreamSink sink) {
        try (JsonParser p = LokiPushEncoder.JSON.createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the push body");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("streams") && t != JsonToken.VALUE_NULL) {
                    expect(p, t, JsonToken.START_ARRAY, "streams");
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        expect(p, t, JsonToken.START_OBJECT, "a stream");
                        readJsonStream(p, sink);
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new LokiFormatException("unexpected content after the push body");
            }
        } catch (JsonParseException e) {
            throw new LokiFormatException("invalid push JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new LokiFormatException("invalid push JSON: " + e.getMessage(), e);
        }
    }

    private static void readJsonStream(JsonParser p, StreamSink sink) throws IOException {
        Labels labels = Labels.EMPTY;
        List<LokiEntry> entries = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "stream" -> labels = readJsonLabels(p, t);
                case "values" -> entries = readJsonValues(p, t);
                default -> p.skipChildren();
            }
        }
        for (LokiEntry e : entries) {
            sink.entry(labels, e.timestampNanos(), e.line(), e.structuredMetadata());
        }
    }

    private static Labels readJsonLabels(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.START_OBJECT, "stream");
        Labels.Builder b = Labels.builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            expect(p, p.nextToken(), JsonToken.VALUE_STRING, "the value of stream label '" + name + "'");
            if (!LabelNames.isValid(name)) {
                throw new LokiFormatException("invalid label name '" + name + "'");
            }
            if (b.get(name) != null) {
                throw new LokiFormatException("duplicate label name '" + name + "'");
            }
            b.put(name, p.getText());
        }
        return b.build();
    }

    private static List<LokiEntry> readJsonValues(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.START_ARRAY, "values");
        List<LokiEntry> entries = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(p, t, JsonToken.START_ARRAY, "a value");
            long ts = readJsonTimestamp(p, p.nextToken());
            expect(p, p.nextToken(), JsonToken.VALUE_STRING, "a log line");
            String line = p.getText();
            List<LabelPair> metadata = List.of();
            t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                metadata = new ArrayList<>(4);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    expect(p, p.nextToken(), JsonToken.VALUE_STRING,
                            "the value of structured metadata '" + name + "'");
                    metadata.add(new LabelPair(name, p.getText()));
                }
                t = p.nextToken();
            } else if (t == JsonToken.VALUE_NULL) {
                t = p.nextToken();
            }
            expect(p, t, JsonToken.END_ARRAY, "the end of a value (at most three elements)");
            entries.add(new LokiEntry(ts, line, metadata));
        }
        return entries;
    }

    private static long readJsonTimestamp(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            try {
                return p.getLongValue();
            } catch (IOException e) {
                throw new LokiFormatException("timestamp out of range: " + p.getText(), e);
            }
        }
        expect(p, t, JsonToken.VALUE_STRING, "a timestamp");
        String text = p.getText();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new LokiFormatException("timestamp is not an integer count of nanoseconds: \"" + text + "\"");
        }
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String what) {
        if (actual != wanted) {
            throw new LokiFormatException("expected " + what + " to be " + describe(wanted) + " but found "
                    + describe(actual) + " at " + p.currentTokenLocation().offsetDescription());
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_ARRAY -> "']'";
            case END_OBJECT -> "'}'";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
