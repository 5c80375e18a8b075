package io.mantis.collector.model;

import io.mantis.common.config.ConfigNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * OTLP attribute values as the collector's pdata treats them: the string form ({@code AsString}),
 * equality, and values written in a config file. Processors use these so that a value matches,
 * hashes and converts exactly as it would in the OpenTelemetry Collector.
 */
public final class AnyValues {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private AnyValues() {
    }

    public static AnyValue of(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    public static AnyValue of(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    public static AnyValue of(double v) {
        return AnyValue.newBuilder().setDoubleValue(v).build();
    }

    public static AnyValue of(boolean v) {
        return AnyValue.newBuilder().setBoolValue(v).build();
    }

    /**
     * The value a config node stands for, typed as YAML typed it: {@code 42} an int, {@code "42"} a
     * string, {@code 1.5} a double, {@code true} a bool, lists arrays and mappings key/value lists.
     * A null gives an empty value.
     */
    public static AnyValue fromConfig(ConfigNode node) {
        return switch (node.kind()) {
            case SEQUENCE -> {
                ArrayValue.Builder b = ArrayValue.newBuilder();
                for (ConfigNode e : node.elements()) {
                    b.addValues(fromConfig(e));
                }
                yield AnyValue.newBuilder().setArrayValue(b).build();
            }
            case MAPPING -> {
                KeyValueList.Builder b = KeyValueList.newBuilder();
                for (ConfigNode.Entry e : node.entries()) {
                    b.addValues(KeyValue.newBuilder().setKey(e.key()).setValue(fromConfig(e.value())));
                }
                yield AnyValue.newBuilder().setKvlistValue(b).build();
            }
            case SCALAR -> scalar(node);
        };
    }

    private static AnyValue scalar(ConfigNode node) {
        String text = node.scalar();
        return switch (node.scalarType()) {
            case NULL -> AnyValue.getDefaultInstance();
            case STRING -> of(text);
            case BOOL -> of(text.equalsIgnoreCase("true"));
            case INT -> {
                BigInteger v = parseYamlInt(text);
                // YAML ints beyond 64 bits cannot be an OTLP int; a double keeps their magnitude.
                yield v.compareTo(LONG_MIN) < 0 || v.compareTo(LONG_MAX) > 0 ? of(v.doubleValue())
                        : of(v.longValueExact());
            }
            case FLOAT -> of(parseYamlFloat(text));
        };
    }

    private static BigInteger parseYamlInt(String text) {
        String t = text.startsWith("+") ? text.substring(1) : text;
        if (t.startsWith("0x")) {
            return new BigInteger(t.substring(2), 16);
        }
        if (t.startsWith("0o")) {
            return new BigInteger(t.substring(2), 8);
        }
        return new BigInteger(t);
    }

    private static double parseYamlFloat(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith(".inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (t.equals(".nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(text);
    }

    /** The type name pdata uses: Empty, Str, Int, Double, Bool, Bytes, Map, Slice. */
    public static String typeName(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> "Str";
            case INT_VALUE -> "Int";
            case DOUBLE_VALUE -> "Double";
            case BOOL_VALUE -> "Bool";
            case BYTES_VALUE -> "Bytes";
            case KVLIST_VALUE -> "Map";
            case ARRAY_VALUE -> "Slice";
            // A string-table index only means something inside a profile; elsewhere it is no value.
            case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> "Empty";
        };
    }

    /**
     * The value as a string, as pdata's {@code AsString}: strings as they are, numbers and bools in
     * their usual text, bytes in base64, maps and lists as JSON, an empty value as "".
     */
    public static String asString(AnyValue v) {
        // One rendering for the whole product: the one the Loki mapping uses, shared in mantis-otlp.
        return io.mantis.otlp.loki.AnyValues.asString(v);
    }

    /**
     * A double as pdata prints it: the shortest digits that read back to the same value, plain
     * between 1e-6 and 1e21, else with an unpadded exponent ({@code 1e+21}).
     */
    public static String formatDouble(double d) {
        return io.mantis.otlp.loki.AnyValues.formatDouble(d);
    }

    /**
     * A double as Go's {@code strconv.FormatFloat(d, 'f', -1, 64)}: the shortest round-tripping
     * digits, never with an exponent.
     */
    public static String formatDoublePlain(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Orders strings as Go does (by UTF-8 bytes, which is code point order), not by UTF-16 units. */
    public static int compareCodePoints(String a, String b) {
        return io.mantis.otlp.loki.AnyValues.compareCodePoints(a, b);
    }

    /**
     * pdata's {@code Value.Equal}: same type and value; maps are equal when they have the same keys
     * with equal values, whatever the order; NaN equals nothing.
     */
    public static boolean equal(AnyValue a, AnyValue b) {
        if (a.getValueCase() != b.getValueCase()) {
            return false;
        }
        return switch (a.getValueCase()) {
            case STRING_VALUE -> a.getStringValue().equals(b.getStringValue());
            case INT_VALUE -> a.getIntValue() == b.getIntValue();
            case DOUBLE_VALUE -> a.getDoubleValue() == b.getDoubleValue();
            case BOOL_VALUE -> a.getBoolValue() == b.getBoolValue();
            case BYTES_VALUE -> a.getBytesValue().equals(b.getBytesValue());
            case ARRAY_VALUE -> {
                List<AnyValue> x = a.getArrayValue().getValuesList();
                List<AnyValue> y = b.getArrayValue().getValuesList();
                if (x.size() != y.size()) {
                    yield false;
                }
                for (int i = 0; i < x.size(); i++) {
                    if (!equal(x.get(i), y.get(i))) {
                        yield false;
                    }
                }
                yield true;
            }
            case KVLIST_VALUE -> equalMaps(a.getKvlistValue().getValuesList(), b.getKvlistValue().getValuesList());
            case VALUE_NOT_SET -> true;
            case STRING_VALUE_STRINDEX -> a.getStringValueStrindex() == b.getStringValueStrindex();
        };
    }

    /** Key/value lists compared as maps. */
    public static boolean equalMaps(List<KeyValue> x, List<KeyValue> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (KeyValue kv : x) {
            AnyValue other = get(y, kv.getKey());
            if (other == null || !equal(kv.getValue(), other)) {
                return false;
            }
        }
        return true;
    }

    /** The value of the first attribute named {@code key}, or null. */
    public static AnyValue get(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return null;
    }

    public static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    public static KeyValue kv(String key, String value) {
        return kv(key, of(value));
    }
}
