package io.mantis.otlp.json;

import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-message-type lookup tables for the JSON codec, built once per descriptor and cached, so that
 * the hot loops do a hash lookup and a switch instead of walking descriptors and re-deriving the
 * OTLP special cases for every value.
 */
final class MessageSchema {

    /** How a field's value is spelled in JSON; the switch key of the reader and the writer. */
    enum Kind {
        /** int32, sint32, sfixed32: a JSON number. */
        INT32,
        /** uint32, fixed32: a JSON number, unsigned. */
        UINT32,
        /** int64, sint64, sfixed64: a decimal string (numbers accepted on input). */
        INT64,
        /** uint64, fixed64: an unsigned decimal string (numbers accepted on input). */
        UINT64,
        DOUBLE,
        FLOAT,
        BOOL,
        STRING,
        /** bytes: base64. */
        BYTES,
        /** The OTLP exception to the bytes rule: trace and span ids are hex. */
        HEX_ID,
        /** An integer on output; the integer or the value's name on input. */
        ENUM,
        MESSAGE,
    }

    private static final Map<Descriptor, MessageSchema> CACHE = new ConcurrentHashMap<>();

    /*
     * OTLP's JSON encoding says trace and span ids are hex "in all OTLP Protobuf messages". Rather
     * than list Span, Span.Link, LogRecord and Exemplar (and miss the next message that gains an
     * id), any bytes field with one of these names is taken to be an id.
     */
    private static final Set<String> HEX_ID_FIELDS =
            Set.of("trace_id", "span_id", "parent_span_id");

    final Descriptor descriptor;
    /** In declaration order, which is the order the writer emits them in. */
    final Field[] fields;
    /** By lowerCamelCase JSON name and by original proto name. */
    private final Map<String, Field> byName;
    /** Number of real (non-synthetic) oneofs, i.e. the size of the reader's conflict table. */
    final int oneofCount;

    private MessageSchema(Descriptor descriptor) {
        this.descriptor = descriptor;
        List<FieldDescriptor> fds = descriptor.getFields();
        this.fields = new Field[fds.size()];
        Map<String, Field> names = new HashMap<>(fds.size() * 4);
        for (int i = 0; i < fds.size(); i++) {
            Field f = new Field(fds.get(i));
            fields[i] = f;
            names.put(f.fd.getJsonName(), f);
            // The proto3 JSON mapping lets parsers accept the original name too (see package docs).
            names.putIfAbsent(f.fd.getName(), f);
        }
        this.byName = names;
        this.oneofCount = descriptor.getRealOneofs().size();
    }

    static MessageSchema of(Descriptor descriptor) {
        // The plain get first: after warm-up every lookup hits, and CHM.get never locks. The
        // constructor does not recurse into other schemas (message fields resolve lazily), so
        // computeIfAbsent cannot hit a recursive update.
        MessageSchema schema = CACHE.get(descriptor);
        return schema != null ? schema : CACHE.computeIfAbsent(descriptor, MessageSchema::new);
    }

    Field field(String jsonKey) {
        return byName.get(jsonKey);
    }

    /** One field of a message type, with everything the codec needs precomputed. */
    static final class Field {

        final FieldDescriptor fd;
        final Kind kind;
        final boolean repeated;
        /** The name the writer emits, pre-quoted for Jackson. */
        final SerializedString jsonName;
        /** Index among the message's real oneofs, or -1. */
        final int oneofIndex;
        /** For HEX_ID: the exact number of bytes an id of this field has (16 or 8). */
        final int idBytes;
        /** For MESSAGE: resolved on first use, because OTLP's AnyValue is recursive. */
        private MessageSchema messageSchema;

        private Field(FieldDescriptor fd) {
            if (fd.isMapField()) {
                // OTLP defines no map fields; the JSON form of a map (an object keyed by the map
                // key) is not implemented, and silently writing it as a list would be wrong.
                throw new IllegalArgumentException(
                        "map fields are not supported by the OTLP/JSON codec: " + fd.getFullName());
            }
            this.fd = fd;
            this.repeated = fd.isRepeated();
            this.jsonName = new SerializedString(fd.getJsonName());
            OneofDescriptor oneof = fd.getRealContainingOneof();
            this.oneofIndex = oneof == null ? -1 : oneof.getIndex();
            boolean hexId = fd.getType() == FieldDescriptor.Type.BYTES
                    && HEX_ID_FIELDS.contains(fd.getName());
            this.idBytes = !hexId ? 0 : fd.getName().equals("trace_id") ? 16 : 8;
            this.kind = hexId ? Kind.HEX_ID : kindOf(fd);
        }

        MessageSchema messageSchema() {
            MessageSchema s = messageSchema;
            if (s == null) {
                // A benign race: every thread computes the same cached instance, whose fields are
                // all final, so an unsynchronized publication is safe.
                s = MessageSchema.of(fd.getMessageType());
                messageSchema = s;
            }
            return s;
        }

        private static Kind kindOf(FieldDescriptor fd) {
            return switch (fd.getType()) {
                case INT32, SINT32, SFIXED32 -> Kind.INT32;
                case UINT32, FIXED32 -> Kind.UINT32;
                case INT64, SINT64, SFIXED64 -> Kind.INT64;
                case UINT64, FIXED64 -> Kind.UINT64;
                case DOUBLE -> Kind.DOUBLE;
                case FLOAT -> Kind.FLOAT;
                case BOOL -> Kind.BOOL;
                case STRING -> Kind.STRING;
                case BYTES -> Kind.BYTES;
                case ENUM -> Kind.ENUM;
                case MESSAGE -> Kind.MESSAGE;
                // Proto2 groups: not in OTLP, which is proto3 throughout.
                case GROUP -> throw new IllegalArgumentException(
                        "group fields are not supported by the OTLP/JSON codec: "
                                + fd.getFullName());
            };
        }
    }
}
