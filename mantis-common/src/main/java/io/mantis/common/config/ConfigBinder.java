package io.mantis.common.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds {@link ConfigNode} trees onto config records.
 *
 * <p>Each record component is read from the snake_case form of its name (or its
 * {@link ConfigKey}); a key that is absent or explicitly null takes the component's value in the
 * {@code defaults} record. Every problem (unknown key, wrong type, missing required key, a
 * constructor's validation) is reported with its location and path, and binding carries on so
 * that all of them are reported together: a half-bound configuration is never returned.
 *
 * <p>Supported component types: String; int, long, double and their boxes; boolean; Duration (Go
 * syntax, see {@link Durations}); {@link DataSize}; {@link Endpoint}; Path; enums;
 * {@code List<T>}; {@code Map<String, T>}; nested records; and {@link ConfigNode} for raw
 * sub-trees bound later (e.g. a component's settings bound by its factory).
 */
public final class ConfigBinder {

    /** Marks a value that could not be bound; its problem has been recorded. */
    private static final Object FAILED = new Object();

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern HEX_INTEGER = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern OCTAL_INTEGER = Pattern.compile("0o[0-7]+");
    /** YAML 1.2 core schema floats (the integer forms are accepted as well). */
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");
    /** YAML 1.1 booleans that YAML 1.2 (and so this binder) reads as plain strings. */
    private static final Set<String> YAML11_BOOLEANS =
            Set.of("yes", "no", "on", "off", "y", "n");

    private ConfigBinder() {
    }

    /**
     * Binds {@code node} onto a new {@code type}, throwing if there is any problem.
     *
     * @param node a mapping, or a plain null (treated as an empty mapping); use
     *     {@link ConfigNode#getOrEmpty(String)} or {@link ConfigNode#emptyMapping(String, String)}
     *     for a section the user did not write
     * @param defaults values for absent keys, or null for none
     * @throws ConfigException listing every problem
     * @throws IllegalArgumentException if {@code type} has a component type this binder cannot
     *     bind (a programming error, reported whether or not the key is present)
     */
    public static <R extends Record> R bind(ConfigNode node, Class<R> type, R defaults) {
        ConfigProblems problems = new ConfigProblems();
        R result = bind(node, type, defaults, problems);
        problems.throwIfAny();
        return result;
    }

    /**
     * Binds {@code node} onto a new {@code type}, adding problems to {@code problems} instead of
     * throwing, so that a caller can bind several sections and report everything at once.
     *
     * @return the bound record, or null if this binding added any problem
     */
    public static <R extends Record> R bind(ConfigNode node, Class<R> type, R defaults,
            ConfigProblems problems) {
        Objects.requireNonNull(node, "node (use ConfigNode.getOrEmpty for an optional section)");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(problems, "problems");
        checkSupported(type, type.getName(), new HashSet<>());
        Object result = convert(node, type, defaults, problems);
        return result == FAILED ? null : type.cast(result);
    }

    // ---- conversion ----

    /** Converts {@code node} to {@code type}; returns FAILED after recording a problem. */
    private static Object convert(ConfigNode node, Type type, Object defaults,
            ConfigProblems problems) {
        Class<?> raw = rawClass(type);
        if (raw == ConfigNode.class) {
            return node;
        }
        if (raw == List.class) {
            return bindList(node, type, problems);
        }
        if (raw == Map.class) {
            return bindMap(node, type, problems);
        }
        if (raw.isRecord() && !isScalarType(raw)) {
            return bindRecord(node, raw, defaults, problems);
        }
        if (!node.isScalar() || node.isNull()) {
            problems.add(node, "expected " + describe(type) + ", got " + node.kindDescription());
            return FAILED;
        }
        try {
            return parseScalar(node.scalar(), raw);
        } catch (IllegalArgumentException e) {
            problems.add(node, e.getMessage());
            return FAILED;
        }
    }

    private static Object parseScalar(String text, Class<?> type) {
        if (type == String.class) {
            return text;
        }
        if (type == int.class || type == Integer.class) {
            return (int) parseInteger(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (type == long.class || type == Long.class) {
            return parseInteger(text, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (type == double.class || type == Double.class) {
            return parseDouble(text);
        }
        if (type == boolean.class || type == Boolean.class) {
            return parseBoolean(text);
        }
        if (type == Duration.class) {
            return Durations.parse(text);
        }
        if (type == DataSize.class) {
            return DataSize.parse(text);
        }
        if (type == Endpoint.class) {
            return Endpoint.parse(text);
        }
        if (type == Path.class) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("expected a file path, got ''");
            }
            return Path.of(text);
        }
        if (type.isEnum()) {
            return parseEnum(text, type);
        }
        throw new IllegalStateException("unsupported type " + type); // checkSupported prevents this
    }

    private static long parseInteger(String text, long min, long max) {
        BigInteger value;
        if (DECIMAL_INTEGER.matcher(text).matches()) {
            value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        } else if (HEX_INTEGER.matcher(text).matches()) {
            value = new BigInteger(text.substring(2), 16);
        } else if (OCTAL_INTEGER.matcher(text).matches()) {
            value = new BigInteger(text.substring(2), 8);
        } else {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0
                || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException("expected an integer between " + min + " and " + max
                    + ", got '" + text + "'");
        }
        return value.longValueExact();
    }

    private static double parseDouble(String text) {
        if (FLOAT.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        if (INFINITY.matcher(text).matches()) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (NAN.matcher(text).matches()) {
            return Double.NaN;
        }
        if (HEX_INTEGER.matcher(text).matches() || OCTAL_INTEGER.matcher(text).matches()) {
            return (double) parseInteger(text, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        throw new IllegalArgumentException("expected a number, got '" + text + "'");
    }

    private static boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        String hint = YAML11_BOOLEANS.contains(text.toLowerCase(Locale.ROOT))
                ? " (YAML 1.2 reads yes/no/on/off as strings, not booleans)" : "";
        throw new IllegalArgumentException("expected true or false, got '" + text + "'" + hint);
    }

    private static Object parseEnum(String text, Class<?> type) {
        for (Object constant : type.getEnumConstants()) {
            Enum<?> e = (Enum<?>) constant;
            if (text.equalsIgnoreCase(e.name()) || text.equalsIgnoreCase(enumKey(e))) {
                return e;
            }
        }
        throw new IllegalArgumentException("expected " + describe(type) + ", got '" + text + "'");
    }

    private static String enumKey(Enum<?> constant) {
        try {
            ConfigKey key = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(ConfigKey.class);
            return key != null ? key.value() : constant.name().toLowerCase(Locale.ROOT);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e); // every constant is a public field
        }
    }

    private static Object bindList(ConfigNode node, Type type, ConfigProblems problems) {
        if (!node.isSequence()) {
            problems.add(node, "expected " + describe(type) + ", got " + node.kindDescription());
            return FAILED;
        }
        Type elementType = typeArgument(type, 0);
        List<Object> result = new ArrayList<>(node.size());
        boolean failed = false;
        for (ConfigNode element : node.elements()) {
            Object value = convert(element, elementType, null, problems);
            failed |= value == FAILED;
            result.add(value);
        }
        return failed ? FAILED : Collections.unmodifiableList(result);
    }

    private static Object bindMap(ConfigNode node, Type type, ConfigProblems problems) {
        if (node.isScalar() && node.isNull()) {
            node = emptyAt(node);
        }
        if (!node.isMapping()) {
            problems.add(node, "expected " + describe(type) + ", got " + node.kindDescription());
            return FAILED;
        }
        Type valueType = typeArgument(type, 1);
        // Insertion order matters: component maps (receivers, pipelines) are started in file order.
        Map<String, Object> result = new LinkedHashMap<>();
        boolean failed = false;
        for (ConfigNode.Entry entry : node.entries()) {
            Object value = convert(entry.value(), valueType, null, problems);
            failed |= value == FAILED;
            result.put(entry.key(), value);
        }
        return failed ? FAILED : Collections.unmodifiableMap(result);
    }

    private static Object bindRecord(ConfigNode node, Class<?> type, Object defaults,
            ConfigProblems problems) {
        if (node.isScalar() && node.isNull()) {
            node = emptyAt(node); // "server:" with nothing under it: all defaults
        }
        if (!node.isMapping()) {
            problems.add(node, "expected " + describe(type) + ", got " + node.kindDescription());
            return FAILED;
        }
        int problemsBefore = problems.size();
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = Arrays.stream(components).map(ConfigBinder::keyOf).toList();

        for (ConfigNode.Entry entry : node.entries()) {
            if (!keys.contains(entry.key())) {
                problems.add(entry.keyNode(), unknownKeyMessage(entry.key(), node.path(), keys));
            }
        }

        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String key = keys.get(i);
            ConfigNode value = node.get(key);
            Object componentDefault = defaults == null ? null : read(component, defaults);
            if (value == null || value.isScalar() && value.isNull()) {
                if (componentDefault == null && component.isAnnotationPresent(Required.class)) {
                    problems.add(node, key, "missing required key '" + key + "' (expected "
                            + describe(component.getGenericType()) + ")");
                }
                args[i] = componentDefault != null ? componentDefault : zeroValue(component.getType());
            } else {
                args[i] = convert(value, component.getGenericType(), componentDefault, problems);
            }
        }
        if (problems.size() > problemsBefore) {
            return FAILED; // never call the constructor with a half-bound set of arguments
        }
        return construct(node, type, components, args, problems);
    }

    /** Calls the canonical constructor, turning its validation failures into problems. */
    private static Object construct(ConfigNode node, Class<?> type, RecordComponent[] components,
            Object[] args, ConfigProblems problems) {
        Class<?>[] parameterTypes =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true); // config records need not be public
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            switch (e.getCause()) {
                case ConfigValueException invalid when invalid.key() != null -> {
                    ConfigNode value = node.get(invalid.key());
                    if (value != null) {
                        problems.add(value, invalid.reason());
                    } else {
                        // The value came from the defaults: point at the record, still naming the key.
                        problems.add(node, invalid.key(), invalid.reason());
                    }
                }
                case ConfigValueException invalid -> problems.add(node, invalid.reason());
                case IllegalArgumentException invalid -> problems.add(node,
                        invalid.getMessage() != null ? invalid.getMessage() : invalid.toString());
                // Anything else is a bug in the record, not a configuration problem: let it surface.
                case RuntimeException bug -> throw bug;
                case Error bug -> throw bug;
                default -> throw new IllegalStateException(
                        "constructor of " + type.getName() + " failed", e.getCause());
            }
            return FAILED;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    private static Object zeroValue(Class<?> type) {
        if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == double.class) {
            return 0.0;
        } else if (type == boolean.class) {
            return false;
        }
        return null;
    }

    private static ConfigNode emptyAt(ConfigNode node) {
        return ConfigNode.mapping(node.source(), node.line(), node.column(), node.path(), List.of());
    }

    // ---- keys ----

    /** The YAML key of a record component: its {@link ConfigKey}, or its name in snake_case. */
    static String keyOf(RecordComponent component) {
        ConfigKey key = component.getAnnotation(ConfigKey.class);
        return key != null ? key.value() : snakeCase(component.getName());
    }

    /**
     * {@code sendBatchSize} → {@code send_batch_size}, {@code httpURL} → {@code http_url},
     * {@code maxHTTPConns} → {@code max_http_conns}, {@code http2Enabled} → {@code http2_enabled}.
     */
    static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLowerOrDigit = i > 0
                        && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
                // The last capital of an acronym starts a new word when a lower-case letter follows.
                boolean endOfAcronym = i > 0 && Character.isUpperCase(name.charAt(i - 1))
                        && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (afterLowerOrDigit || endOfAcronym) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unknownKeyMessage(String key, String path, List<String> expected) {
        String where = path.isEmpty() ? "at the top level" : "in '" + path + "'";
        StringBuilder message = new StringBuilder("unknown key '").append(key).append("' ")
                .append(where);
        if (expected.isEmpty()) {
            message.append(" (no keys are allowed here)");
        } else {
            message.append(" (expected one of: ").append(String.join(", ", expected)).append(')');
        }
        String suggestion = suggest(key, expected);
        if (suggestion != null) {
            message.append("; did you mean '").append(suggestion).append("'?");
        }
        return message.toString();
    }

    /**
     * The expected key the user most likely meant: one spelled the same apart from case and
     * camelCase/kebab-case ({@code sendBatchSize}, {@code send-batch-size}), else the closest within
     * edit distance 2 (typos such as a dropped or swapped letter). Null if none is close.
     */
    static String suggest(String key, List<String> expected) {
        String normalized = snakeCase(key).replace('-', '_').toLowerCase(Locale.ROOT);
        for (String candidate : expected) {
            if (candidate.equals(normalized)) {
                return candidate;
            }
        }
        String best = null;
        int bestDistance = 3;
        for (String candidate : expected) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    // ---- types ----

    /**
     * What a value of type {@code t} looks like in YAML, for "expected ..." messages: "a string",
     * "an integer", "a duration like 30s", "a size like 512MiB", "one of [a, b]",
     * "a list of strings", "a mapping of names to integers", "a mapping with keys a, b".
     */
    public static String describe(Type t) {
        return describe(t, false);
    }

    private static String describe(Type t, boolean plural) {
        Class<?> raw = rawClass(t);
        if (raw == String.class) {
            return plural ? "strings" : "a string";
        } else if (raw == int.class || raw == Integer.class || raw == long.class
                || raw == Long.class) {
            return plural ? "integers" : "an integer";
        } else if (raw == double.class || raw == Double.class) {
            return plural ? "numbers" : "a number";
        } else if (raw == boolean.class || raw == Boolean.class) {
            return plural ? "booleans" : "true or false";
        } else if (raw == Duration.class) {
            return plural ? "durations like 30s" : Durations.EXPECTED;
        } else if (raw == DataSize.class) {
            return plural ? "sizes like 512MiB" : DataSize.EXPECTED;
        } else if (raw == Endpoint.class) {
            return plural ? "endpoints like host:port" : Endpoint.EXPECTED;
        } else if (raw == Path.class) {
            return plural ? "file paths" : "a file path";
        } else if (raw == ConfigNode.class) {
            return plural ? "values" : "a value";
        } else if (raw.isEnum()) {
            String values = Arrays.stream(raw.getEnumConstants())
                    .map(c -> enumKey((Enum<?>) c)).collect(Collectors.joining(", ", "[", "]"));
            return (plural ? "values in " : "one of ") + values;
        } else if (raw == List.class && t instanceof ParameterizedType) {
            return (plural ? "lists of " : "a list of ") + describe(typeArgument(t, 0), true);
        } else if (raw == Map.class && t instanceof ParameterizedType) {
            return (plural ? "mappings of names to " : "a mapping of names to ")
                    + describe(typeArgument(t, 1), true);
        } else if (raw.isRecord()) {
            String keys = Arrays.stream(raw.getRecordComponents()).map(ConfigBinder::keyOf)
                    .collect(Collectors.joining(", "));
            return (plural ? "mappings" : "a mapping") + (keys.isEmpty() ? "" : " with keys " + keys);
        }
        return t.getTypeName();
    }

    private static boolean isScalarType(Class<?> raw) {
        return raw == String.class || raw == int.class || raw == Integer.class || raw == long.class
                || raw == Long.class || raw == double.class || raw == Double.class
                || raw == boolean.class || raw == Boolean.class || raw == Duration.class
                || raw == DataSize.class || raw == Endpoint.class || raw == Path.class || raw.isEnum();
    }

    /**
     * Rejects record types the binder cannot fill, up front: a bad type is a programming error
     * and should fail every time, not only when someone happens to set that key.
     */
    private static void checkSupported(Type type, String where, Set<Class<?>> seen) {
        Class<?> raw = rawClass(type);
        if (raw == null) {
            throw unsupported(type, where);
        }
        if (isScalarType(raw) || raw == ConfigNode.class) {
            return;
        }
        if (raw == List.class || raw == Map.class) {
            if (!(type instanceof ParameterizedType)) {
                throw unsupported(type, where);
            }
            if (raw == Map.class && typeArgument(type, 0) != String.class) {
                throw unsupported(type, where);
            }
            checkSupported(typeArgument(type, raw == List.class ? 0 : 1), where, seen);
            return;
        }
        if (!raw.isRecord()) {
            throw unsupported(type, where);
        }
        if (seen.add(raw)) {
            for (RecordComponent c : raw.getRecordComponents()) {
                checkSupported(c.getGenericType(), raw.getName() + "." + c.getName(), seen);
            }
        }
    }

    private static IllegalArgumentException unsupported(Type type, String where) {
        return new IllegalArgumentException("ConfigBinder cannot bind " + type.getTypeName()
                + " (in " + where + "); supported: String, int, long, double, boolean, Duration, "
                + "DataSize, Endpoint, Path, enums, List<T>, Map<String, T>, records, ConfigNode");
    }

    /** The class of a plain or parameterized type; null for wildcards and type variables. */
    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    private static Type typeArgument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }
}
