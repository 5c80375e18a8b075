package io.mantis.otlp.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Message;
import io.mantis.otlp.json.MessageSchema.Field;
import java.io.IOException;
import java.util.Base64;

/** Writes a protobuf message as OTLP/JSON, driven by its descriptor. */
final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final JsonGenerator g;
    /** Reused for ids, the most frequent non-text strings in trace and log bodies. */
    private final char[] hexBuffer = new char[64];

    private JsonWriter(JsonGenerator g) {
        this.g = g;
    }

    static void write(Message message, JsonGenerator g) throws IOException {
        new JsonWriter(g).writeMessage(message, MessageSchema.of(message.getDescriptorForType()));
    }

    private void writeMessage(Message m, MessageSchema schema) throws IOException {
        g.writeStartObject();
        for (Field f : schema.fields) {
            if (f.repeated) {
                int n = m.getRepeatedFieldCount(f.fd);
                if (n == 0) {
                    continue;
                }
                g.writeFieldName(f.jsonName);
                g.writeStartArray();
                for (int i = 0; i < n; i++) {
                    writeValue(f, m.getRepeatedField(f.fd, i));
                }
                g.writeEndArray();
            } else if (m.hasField(f.fd)) {
                // hasField is exactly proto3's "is it serialized" test: explicit presence (message
                // fields, optional scalars such as HistogramDataPoint.min, oneof members even when
                // zero, like AnyValue.intValue 0) or, for implicit presence, a non-default value.
                g.writeFieldName(f.jsonName);
                writeValue(f, m.getField(f.fd));
            }
        }
        g.writeEndObject();
    }

    private void writeValue(Field f, Object v) throws IOException {
        switch (f.kind) {
            case INT32 -> g.writeNumber((int) (Integer) v);
            case UINT32 -> g.writeNumber(Integer.toUnsignedLong((Integer) v));
            // 64-bit integers are strings: JavaScript and many JSON libraries read numbers as
            // doubles and would corrupt nanosecond timestamps.
            case INT64 -> g.writeString(Long.toString((Long) v));
            case UINT64 -> g.writeString(Long.toUnsignedString((Long) v));
            case DOUBLE -> writeDouble((Double) v);
            case FLOAT -> {
                float x = (Float) v;
                if (Float.isFinite(x)) {
                    g.writeNumber(x);
                } else {
                    g.writeString(nonFinite(x));
                }
            }
            case BOOL -> g.writeBoolean((Boolean) v);
            case STRING -> g.writeString((String) v);
            case BYTES -> g.writeString(
                    Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case HEX_ID -> writeHex((ByteString) v);
            case ENUM -> g.writeNumber(((EnumValueDescriptor) v).getNumber());
            case MESSAGE -> writeMessage((Message) v, f.messageSchema());
        }
    }

    private void writeDouble(double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeString(nonFinite(d));
        }
    }

    private static String nonFinite(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    private void writeHex(ByteString id) throws IOException {
        int n = id.size();
        char[] buf = n * 2 <= hexBuffer.length ? hexBuffer : new char[n * 2];
        for (int i = 0; i < n; i++) {
            int b = id.byteAt(i) & 0xff;
            buf[2 * i] = HEX[b >>> 4];
            buf[2 * i + 1] = HEX[b & 0xf];
        }
        g.writeString(buf, 0, n * 2);
    }
}
