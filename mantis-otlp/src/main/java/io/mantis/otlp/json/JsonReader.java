package io.mantis.otlp.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Message;
import io.mantis.otlp.json.MessageSchema.Field;
import java.io.CharConversionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads one OTLP/JSON document into a protobuf builder, driven by the message descriptors. One
 * instance per document: it carries the JSON path of the value being read, which is only turned
 * into a string when something goes wrong.
 */
final class JsonReader {

    /*
     * protobuf-java refuses to parse binary messages nested more than 100 deep (CodedInputStream's
     * default recursion limit). Accepting deeper JSON would create a message that we could store or
     * forward but that no default protobuf parser could read back, so JSON gets the same limit.
     * It also bounds this reader's recursion. Only AnyValue's arrayValue and kvlistValue can nest
     * that far.
     */
    static final int MAX_MESSAGE_DEPTH = 100;

    private static final BigInteger UINT64_MAX =
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final int MAX_QUOTED = 64;
    private static final String NOT_A_DOUBLE =
            "expected a number or one of \"NaN\", \"Infinity\", \"-Infinity\", got ";

    private final JsonParser p;

    // The path as a stack of keys (as the sender spelled them) and array indexes (-1: none).
    private String[] pathKeys = new String[16];
    private int[] pathIndexes = new int[16];
    private int pathDepth;

    private JsonReader(JsonParser p) {
        this.p = p;
    }

    /**
     * Reads the single top-level object of {@code p} into {@code builder}.
     *
     * @throws IOException only when the underlying input fails; everything wrong with the text
     *     itself is an {@link OtlpJsonException}
     */
    static void read(JsonParser p, Message.Builder builder) throws OtlpJsonException, IOException {
        JsonReader r = new JsonReader(p);
        try {
            r.readDocument(builder);
        } catch (JsonProcessingException e) {
            // Malformed JSON (and Jackson's own limits): Jackson's message without its location
            // suffix, plus our path, plus the location in our format.
            throw r.wrap(e.getOriginalMessage(), e.getLocation());
        } catch (CharConversionException e) {
            // Undecodable UTF-16/32 input; Jackson reports it outside its exception hierarchy.
            throw r.wrap("invalid character encoding: " + e.getMessage(), p.currentLocation());
        }
    }

    private void readDocument(Message.Builder builder) throws IOException, OtlpJsonException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw error("expected a JSON object, got an empty document");
        }
        if (t != JsonToken.START_OBJECT) {
            throw error("expected a JSON object, got " + describe(t));
        }
        readMessage(MessageSchema.of(builder.getDescriptorForType()), builder, 0);
        t = p.nextToken();
        if (t != null) {
            // Jackson reads a whitespace-separated sequence of root values; a request is one.
            throw error("expected the end of the document after the top-level object, got "
                    + describe(t));
        }
    }

    /** Reads the object whose START_OBJECT is the current token, through its END_OBJECT. */
    private void readMessage(MessageSchema schema, Message.Builder b, int depth)
            throws IOException, OtlpJsonException {
        if (depth > MAX_MESSAGE_DEPTH) {
            throw error("messages nested more than " + MAX_MESSAGE_DEPTH + " deep");
        }
        // Which member of each oneof has been given a value, to reject two at once (proto3 JSON).
        Field[] oneofSet = schema.oneofCount == 0 ? null : new Field[schema.oneofCount];
        String key;
        while ((key = p.nextFieldName()) != null) {
            Field f = schema.field(key);
            JsonToken t = p.nextToken();
            if (f == null) {
                // Unknown field: OTLP requires receivers to ignore it, whatever its value's shape.
                p.skipChildren();
                continue;
            }
            if (t == JsonToken.VALUE_NULL) {
                // null means "default", which for a fresh builder is "leave it alone".
                continue;
            }
            push(key);
            if (f.oneofIndex >= 0) {
                Field other = oneofSet[f.oneofIndex];
                if (other != null && other != f) {
                    throw error("'" + other.fd.getJsonName() + "' is already set, and only one"
                            + " field of oneof '" + f.fd.getRealContainingOneof().getName()
                            + "' may be");
                }
                oneofSet[f.oneofIndex] = f;
            }
            if (f.repeated) {
                readRepeated(f, b, t, depth);
            } else if (f.kind == MessageSchema.Kind.MESSAGE) {
                expectObject(t);
                // getFieldBuilder merges into a value set earlier (a duplicate key), as protobuf's
                // binary parser merges a repeated occurrence of a message field.
                readMessage(f.messageSchema(), b.getFieldBuilder(f.fd), depth + 1);
            } else {
                b.setField(f.fd, readScalar(f, t));
            }
            pop();
        }
        // nextFieldName() returned null, so the current token is END_OBJECT: Jackson allows nothing
        // else inside an object.
    }

    private void readRepeated(Field f, Message.Builder b, JsonToken t, int depth)
            throws IOException, OtlpJsonException {
        if (t != JsonToken.START_ARRAY) {
            throw error("expected an array, got " + describe(t));
        }
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            pathIndexes[pathDepth - 1] = i++;
            if (t == JsonToken.VALUE_NULL) {
                // The proto3 JSON mapping has no meaning for a null element; guessing one would
                // silently shift or drop values (e.g. bucket counts), so refuse.
                throw error("null is not allowed as an array element");
            }
            if (f.kind == MessageSchema.Kind.MESSAGE) {
                expectObject(t);
                Message.Builder element = b.newBuilderForField(f.fd);
                readMessage(f.messageSchema(), element, depth + 1);
                b.addRepeatedField(f.fd, element.buildPartial());
            } else {
                b.addRepeatedField(f.fd, readScalar(f, t));
            }
        }
    }

    private void expectObject(JsonToken t) throws IOException, OtlpJsonException {
        if (t != JsonToken.START_OBJECT) {
            throw error("expected an object, got " + describe(t));
        }
    }

    private Object readScalar(Field f, JsonToken t) throws IOException, OtlpJsonException {
        return switch (f.kind) {
            case INT32, UINT32 -> (int) readIntegral(f.kind, t);
            case INT64, UINT64 -> readIntegral(f.kind, t);
            case DOUBLE -> readDouble(t);
            case FLOAT -> readFloat(t);
            case BOOL -> readBool(t);
            case STRING -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw error("expected a string, got " + describe(t));
                }
                yield p.getText();
            }
            case BYTES -> readBase64(t);
            case HEX_ID -> readHexId(f, t);
            case ENUM -> readEnum(f, t);
            case MESSAGE -> throw new IllegalStateException("message fields are not scalars");
        };
    }

    // ---- integers ----

    /**
     * Any integer kind, from a JSON number or a decimal string (proto3 JSON allows both; OTLP
     * writes 64-bit ones as strings because JavaScript numbers lose precision past 2^53). Exponent
     * and fraction forms are accepted when the value is integral, as protobuf's own JSON parser
     * does. Returns the value's low 64 bits (for uint64, the two's complement bits).
     */
    private long readIntegral(MessageSchema.Kind kind, JsonToken t)
            throws IOException, OtlpJsonException {
        switch (t) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() != NumberType.BIG_INTEGER) {
                    long v = p.getLongValue();
                    if (inRange(kind, v)) {
                        return v;
                    }
                    throw outOfRange(kind);
                }
                return fromBig(kind, p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return fromBig(kind, exactInteger(kind, p.getDecimalValue()));
            }
            case VALUE_STRING -> {
                String text = p.getText();
                try {
                    if (kind == MessageSchema.Kind.UINT64) {
                        if (!text.startsWith("-")) {
                            return Long.parseUnsignedLong(text);
                        }
                    } else {
                        long v = Long.parseLong(text);
                        if (inRange(kind, v)) {
                            return v;
                        }
                        throw outOfRange(kind);
                    }
                } catch (NumberFormatException e) {
                    // Not a plain integer in range: maybe "1e3" or "5.0", or too large; see below.
                }
                BigDecimal decimal;
                try {
                    decimal = new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw error("expected " + integerName(kind) + ", got " + describe(t));
                }
                return fromBig(kind, exactInteger(kind, decimal));
            }
            default -> throw error("expected " + integerName(kind) + ", got " + describe(t));
        }
    }

    private BigInteger exactInteger(MessageSchema.Kind kind, BigDecimal decimal)
            throws IOException, OtlpJsonException {
        BigDecimal d = decimal.stripTrailingZeros();
        if (d.scale() > 0) {
            throw error("expected " + integerName(kind) + ", got the fraction "
                    + quote(p.getText()));
        }
        // Checked before toBigInteger() so that "1e999999999" cannot make us build a huge number.
        if (d.precision() - d.scale() > 20) {
            throw outOfRange(kind);
        }
        return d.toBigInteger();
    }

    private long fromBig(MessageSchema.Kind kind, BigInteger v)
            throws IOException, OtlpJsonException {
        boolean ok = switch (kind) {
            case INT32 -> v.bitLength() < 32;
            case UINT32 -> v.signum() >= 0 && v.bitLength() <= 32;
            case INT64 -> v.compareTo(INT64_MIN) >= 0 && v.compareTo(INT64_MAX) <= 0;
            case UINT64 -> v.signum() >= 0 && v.compareTo(UINT64_MAX) <= 0;
            default -> throw new IllegalStateException(kind.name());
        };
        if (!ok) {
            throw outOfRange(kind);
        }
        return v.longValue();
    }

    private static boolean inRange(MessageSchema.Kind kind, long v) {
        return switch (kind) {
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
            case INT64 -> true;
            case UINT64 -> v >= 0;
            default -> throw new IllegalStateException(kind.name());
        };
    }

    private OtlpJsonException outOfRange(MessageSchema.Kind kind) throws IOException {
        return error("expected " + integerName(kind) + ", got " + describe(p.currentToken())
                + ", which is out of range");
    }

    private static String integerName(MessageSchema.Kind kind) {
        return switch (kind) {
            case INT32 -> "a 32-bit integer";
            case UINT32 -> "an unsigned 32-bit integer";
            case INT64 -> "a 64-bit integer";
            case UINT64 -> "an unsigned 64-bit integer";
            default -> throw new IllegalStateException(kind.name());
        };
    }

    // ---- floating point ----

    private double readDouble(JsonToken t) throws IOException, OtlpJsonException {
        double d;
        switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> d = p.getDoubleValue();
            case VALUE_STRING -> {
                String text = p.getText();
                Double special = nonFinite(text);
                if (special != null) {
                    return special;
                }
                if (!isJsonNumber(text)) {
                    throw error(NOT_A_DOUBLE + describe(t));
                }
                d = Double.parseDouble(text);
            }
            default -> throw error("expected a number, got " + describe(t));
        }
        if (Double.isInfinite(d)) {
            // A finite literal that overflows: infinity has its own spelling, so this is an error.
            throw error("number out of range for a double: " + quote(p.getText()));
        }
        return d;
    }

    private float readFloat(JsonToken t) throws IOException, OtlpJsonException {
        String text;
        switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> text = p.getText();
            case VALUE_STRING -> {
                text = p.getText();
                Double special = nonFinite(text);
                if (special != null) {
                    return special.floatValue();
                }
                if (!isJsonNumber(text)) {
                    throw error(NOT_A_DOUBLE + describe(t));
                }
            }
            default -> throw error("expected a number, got " + describe(t));
        }
        // Straight from the decimal text: going through double first can round twice.
        float f = Float.parseFloat(text);
        if (Float.isInfinite(f)) {
            throw error("number out of range for a float: " + quote(text));
        }
        return f;
    }

    private static Double nonFinite(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /**
     * True if {@code s} is a number by JSON's grammar. Double.parseDouble alone would also take
     * "0x1p3", "1d", " 1" and "Infinity"-like spellings that proto3 JSON does not allow in a
     * string.
     */
    static boolean isJsonNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        int digits = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == digits || (s.charAt(digits) == '0' && i - digits > 1)) {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            int frac = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == frac) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == exp) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- other scalars ----

    private boolean readBool(JsonToken t) throws IOException, OtlpJsonException {
        switch (t) {
            case VALUE_TRUE -> {
                return true;
            }
            case VALUE_FALSE -> {
                return false;
            }
            case VALUE_STRING -> {
                // Protobuf's own JSON parser takes the quoted forms too; the leniency is free.
                String text = p.getText();
                if (text.equals("true")) {
                    return true;
                }
                if (text.equals("false")) {
                    return false;
                }
            }
            default -> {
                // fall through to the error
            }
        }
        throw error("expected true or false, got " + describe(t));
    }

    private ByteString readBase64(JsonToken t) throws IOException, OtlpJsonException {
        if (t != JsonToken.VALUE_STRING) {
            throw error("expected a base64 string, got " + describe(t));
        }
        String text = p.getText();
        // proto3 JSON accepts the standard and the URL-safe alphabet, padded or not; java.util's
        // decoders treat padding as optional, so only the alphabet needs choosing.
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
            return ByteString.copyFrom(bytes);
        } catch (IllegalArgumentException e) {
            throw error("expected a base64 string, got " + describe(t));
        }
    }

    private ByteString readHexId(Field f, JsonToken t) throws IOException, OtlpJsonException {
        if (t != JsonToken.VALUE_STRING) {
            throw error("expected a hex string, got " + describe(t));
        }
        int len = p.getTextLength();
        if (len == 0) {
            // OTLP: an empty id is an absent id (e.g. the parentSpanId of a root span).
            return ByteString.EMPTY;
        }
        int digits = f.idBytes * 2;
        if (len != digits) {
            throw error("expected " + digits + " hex digits, got " + quote(p.getText()));
        }
        // Decoded from Jackson's buffer: ids are a large share of a trace body's strings.
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        byte[] out = new byte[f.idBytes];
        for (int i = 0; i < out.length; i++) {
            int hi = hexValue(chars[off + 2 * i]);
            int lo = hexValue(chars[off + 2 * i + 1]);
            if (hi < 0 || lo < 0) {
                throw error("expected " + digits + " hex digits, got " + quote(p.getText()));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return ByteString.copyFrom(out);
    }

    /** ASCII only: Character.digit would also take other scripts' digits and fullwidth letters. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private EnumValueDescriptor readEnum(Field f, JsonToken t)
            throws IOException, OtlpJsonException {
        EnumDescriptor type = f.fd.getEnumType();
        if (t == JsonToken.VALUE_STRING) {
            // OTLP says integers; the proto3 JSON mapping also allows the value's name.
            EnumValueDescriptor named = type.findValueByName(p.getText());
            if (named != null) {
                return named;
            }
            if (!isJsonNumber(p.getText())) {
                throw error("expected an integer or a value name of enum " + type.getName()
                        + ", got " + describe(t));
            }
            // A quoted number: fall through to the integer rules below.
        } else if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error("expected an integer or a value name of enum " + type.getName()
                    + ", got " + describe(t));
        }
        int number = (int) readIntegral(MessageSchema.Kind.INT32, t);
        if (type.isClosed()) {
            EnumValueDescriptor known = type.findValueByNumber(number);
            if (known == null) {
                throw error("unknown value " + number + " of closed enum " + type.getName());
            }
            return known;
        }
        // proto3 enums are open: a value from a newer schema must survive, as in the binary format.
        return type.findValueByNumberCreatingIfUnknown(number);
    }

    // ---- path and errors ----

    private void push(String key) {
        if (pathDepth == pathKeys.length) {
            pathKeys = Arrays.copyOf(pathKeys, pathDepth * 2);
            pathIndexes = Arrays.copyOf(pathIndexes, pathDepth * 2);
        }
        pathKeys[pathDepth] = key;
        pathIndexes[pathDepth] = -1;
        pathDepth++;
    }

    private void pop() {
        pathDepth--;
    }

    private String path() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pathDepth; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(pathKeys[i]);
            if (pathIndexes[i] >= 0) {
                sb.append('[').append(pathIndexes[i]).append(']');
            }
        }
        return sb.toString();
    }

    private OtlpJsonException error(String reason) {
        return wrap(reason, p.currentTokenLocation());
    }

    private OtlpJsonException wrap(String reason, JsonLocation where) {
        int line = where == null ? -1 : where.getLineNr();
        int column = where == null ? -1 : where.getColumnNr();
        return new OtlpJsonException(path(), reason, line, column);
    }

    private String describe(JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "string " + quote(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + abbreviate(p.getText());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    /** Single-quoted, shortened and with control characters escaped: it ends up in logs. */
    private static String quote(String s) {
        return "'" + abbreviate(s) + "'";
    }

    private static String abbreviate(String s) {
        String cut = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) : s;
        StringBuilder sb = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (cut.length() < s.length()) {
            sb.append("... (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }
}
