package io.mantis.collector.processor.shared;

import io.mantis.collector.model.AnyValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled list of attribute actions, applied in order to one item's attributes, with the
 * OpenTelemetry Collector's semantics:
 *
 * <ul>
 *   <li>insert: only when the key is absent; update: only when present; upsert: either;</li>
 *   <li>from_attribute: when that attribute is absent, the action does nothing;</li>
 *   <li>delete / hash: the key, and every key the pattern matches (unanchored);</li>
 *   <li>hash: SHA-256, lower-case hex, of the value's bytes: UTF-8 for strings, 8 little-endian
 *       bytes for ints and doubles, one byte (1 or 0) for bools; other types, and the empty string,
 *       become "";</li>
 *   <li>extract: only from a string; each named group of the first match is upserted as a string
 *       ("" for a group that did not take part);</li>
 *   <li>convert: int, double or string; a value that does not convert is left as it is.</li>
 * </ul>
 *
 * <p>Attribute lists are rewritten only when an action changes them: {@link #apply} returns the
 * very list it was given otherwise, so callers can keep untouched messages.
 */
public final class AttributeActions {
    private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern GO_DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern GO_HEX_FLOAT = Pattern.compile(
            "[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");
    private static final Pattern GO_SPECIAL = Pattern.compile("(?i)[+-]?(inf|infinity|nan)");

    private record Step(AttributeAction.Action action, String key, AnyValue value, String fromAttribute,
                        GoRegex regex, AttributeAction.ConvertedType convertedType) {
    }

    private final List<Step> steps;

    private AttributeActions(List<Step> steps) {
        this.steps = steps;
    }

    public static AttributeActions of(List<AttributeAction> actions) {
        List<Step> steps = new ArrayList<>(actions.size());
        for (AttributeAction a : actions) {
            steps.add(new Step(a.action(), a.key(), a.value() == null ? null : AnyValues.fromConfig(a.value()),
                    a.fromAttribute(), a.pattern() == null ? null : GoRegex.compile(a.pattern()),
                    a.convertedType()));
        }
        return new AttributeActions(List.copyOf(steps));
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The attributes after every action; {@code attributes} itself when nothing changed. */
    public List<KeyValue> apply(List<KeyValue> attributes) {
        Editor e = new Editor(attributes);
        for (Step s : steps) {
            switch (s.action()) {
                case INSERT -> {
                    AnyValue v = source(s, e);
                    if (v != null && e.indexOf(s.key()) < 0) {
                        e.put(s.key(), v);
                    }
                }
                case UPDATE -> {
                    AnyValue v = source(s, e);
                    if (v != null && e.indexOf(s.key()) >= 0) {
                        e.put(s.key(), v);
                    }
                }
                case UPSERT -> {
                    AnyValue v = source(s, e);
                    if (v != null) {
                        e.put(s.key(), v);
                    }
                }
                case DELETE -> {
                    if (s.key() != null) {
                        e.remove(s.key());
                    }
                    if (s.regex() != null) {
                        for (String k : e.keysMatching(s.regex())) {
                            e.remove(k);
                        }
                    }
                }
                case HASH -> {
                    if (s.key() != null) {
                        hash(e, s.key());
                    }
                    if (s.regex() != null) {
                        for (String k : e.keysMatching(s.regex())) {
                            hash(e, k);
                        }
                    }
                }
                case EXTRACT -> extract(e, s);
                case CONVERT -> {
                    AnyValue v = e.get(s.key());
                    if (v != null) {
                        e.put(s.key(), convert(v, s.convertedType()));
                    }
                }
            }
        }
        return e.current();
    }

    private static AnyValue source(Step s, Editor e) {
        return s.value() != null ? s.value() : e.get(s.fromAttribute());
    }

    private static void hash(Editor e, String key) {
        AnyValue v = e.get(key);
        if (v != null) {
            e.put(key, AnyValues.of(hash(v)));
        }
    }

    /** The hex SHA-256 of a value's bytes, as the collector's hash action computes it. */
    public static String hash(AnyValue v) {
        byte[] data = switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue().getBytes(StandardCharsets.UTF_8);
            case BOOL_VALUE -> new byte[] {(byte) (v.getBoolValue() ? 1 : 0)};
            case INT_VALUE -> littleEndian(v.getIntValue());
            case DOUBLE_VALUE -> littleEndian(Double.doubleToRawLongBits(v.getDoubleValue()));
            default -> new byte[0];
        };
        if (data.length == 0) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] littleEndian(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static void extract(Editor e, Step s) {
        AnyValue v = e.get(s.key());
        if (v == null || v.getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
            return;
        }
        Matcher m = s.regex().matcher(v.getStringValue());
        if (!m.find()) {
            return;
        }
        List<String> names = s.regex().groupNames();
        for (int g = 1; g <= names.size(); g++) {
            String text = m.group(g);
            e.put(names.get(g - 1), AnyValues.of(text == null ? "" : text));
        }
    }

    /** The collector's convert action: the converted value, or {@code v} when it does not convert. */
    public static AnyValue convert(AnyValue v, AttributeAction.ConvertedType to) {
        return switch (to) {
            case STRING -> v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v : AnyValues.of(AnyValues.asString(v));
            case INT -> switch (v.getValueCase()) {
                case DOUBLE_VALUE -> AnyValues.of(goFloatToInt(v.getDoubleValue()));
                case BOOL_VALUE -> AnyValues.of(v.getBoolValue() ? 1L : 0L);
                case STRING_VALUE -> {
                    Long n = parseGoInt(v.getStringValue());
                    yield n == null ? v : AnyValues.of(n);
                }
                default -> v;
            };
            case DOUBLE -> switch (v.getValueCase()) {
                case INT_VALUE -> AnyValues.of((double) v.getIntValue());
                case BOOL_VALUE -> AnyValues.of(v.getBoolValue() ? 1.0 : 0.0);
                case STRING_VALUE -> {
                    Double d = parseGoFloat(v.getStringValue());
                    yield d == null ? v : AnyValues.of(d);
                }
                default -> v;
            };
        };
    }

    /** Go's int64(f): truncation toward zero; out of range, the JVM saturates where Go leaves it undefined. */
    private static long goFloatToInt(double d) {
        return (long) d;
    }

    /** Go's strconv.ParseInt(s, 10, 64): ASCII digits with an optional sign, in range. */
    static Long parseGoInt(String s) {
        if (!GO_INT.matcher(s).matches()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Go's strconv.ParseFloat(s, 64): decimal and hex floats, inf/infinity/nan in any case; no
     * surrounding blanks or Java's type suffixes, and a value out of range is an error.
     */
    static Double parseGoFloat(String s) {
        if (GO_SPECIAL.matcher(s).matches()) {
            String t = s.toLowerCase(java.util.Locale.ROOT);
            if (t.endsWith("nan")) {
                return Double.NaN;
            }
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!GO_DECIMAL.matcher(s).matches() && !GO_HEX_FLOAT.matcher(s).matches()) {
            return null;
        }
        double d = Double.parseDouble(s);
        return Double.isInfinite(d) ? null : d;
    }

    /** Copy-on-write view of an attribute list. */
    private static final class Editor {
        private final List<KeyValue> original;
        private List<KeyValue> copy;

        Editor(List<KeyValue> original) {
            this.original = original;
        }

        List<KeyValue> current() {
            return copy != null ? copy : original;
        }

        private List<KeyValue> mutable() {
            if (copy == null) {
                copy = new ArrayList<>(original);
            }
            return copy;
        }

        int indexOf(String key) {
            List<KeyValue> l = current();
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).getKey().equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        AnyValue get(String key) {
            int i = indexOf(key);
            return i < 0 ? null : current().get(i).getValue();
        }

        void put(String key, AnyValue v) {
            int i = indexOf(key);
            if (i < 0) {
                mutable().add(AnyValues.kv(key, v));
            } else if (!current().get(i).getValue().equals(v)) {
                mutable().set(i, AnyValues.kv(key, v));
            }
        }

        void remove(String key) {
            if (indexOf(key) >= 0) {
                mutable().removeIf(kv -> kv.getKey().equals(key));
            }
        }

        List<String> keysMatching(GoRegex re) {
            List<String> keys = new ArrayList<>();
            for (KeyValue kv : current()) {
                if (re.find(kv.getKey())) {
                    keys.add(kv.getKey());
                }
            }
            return keys;
        }
    }
}
