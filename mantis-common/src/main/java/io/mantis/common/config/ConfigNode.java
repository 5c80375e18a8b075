package io.mantis.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable node of a parsed configuration tree, carrying where it came from.
 *
 * <p>Every node knows its source (the file name as the user gave it, or {@code "<built-in>"}),
 * its 1-based line and column, and its dotted key path from the document root, so that any
 * problem found later, possibly long after parsing (for example when a component factory binds
 * its raw sub-tree), can still be reported precisely. A line of {@code 0} means "no position":
 * such nodes are synthesised, for example by {@link #emptyMapping(String, String)} for a section
 * the user did not write.
 *
 * <p>Scalars are kept as strings (after environment substitution); conversion to numbers,
 * durations and so on is the binder's job, so that {@code port: ${env:PORT}} and
 * {@code port: 4317} bind identically.
 */
public final class ConfigNode {

    /** The three YAML node kinds; aliases are resolved away by the loader. */
    public enum Kind { MAPPING, SEQUENCE, SCALAR }

    /**
     * The type YAML's core schema gives a scalar as written: {@code 42} is an INT, {@code "42"} a
     * STRING. Binding to a typed record component ignores it; it matters for values whose type the
     * user chooses, such as an attribute value in a processor's config. A scalar produced by
     * environment substitution is typed by its reference, {@code ${env:X}}, so it is a STRING.
     */
    public enum ScalarType { STRING, INT, FLOAT, BOOL, NULL }

    /**
     * One key/value pair of a mapping. The key has its own node so that problems about the key
     * itself (unknown key, duplicate key) point at the key rather than at its value.
     *
     * @param key the key text
     * @param keyNode a scalar node holding the key text, located at the key, with the entry's path
     * @param value the value node
     */
    public record Entry(String key, ConfigNode keyNode, ConfigNode value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyNode, "keyNode");
            Objects.requireNonNull(value, "value");
        }
    }

    private final Kind kind;
    private final String source;
    private final int line;
    private final int column;
    private final String path;
    // Exactly one of these is meaningful, depending on kind.
    private final String scalar;
    private final boolean isNull;
    private final ScalarType scalarType;
    private final Map<String, Entry> entries;
    private final List<ConfigNode> elements;

    private ConfigNode(Kind kind, String source, int line, int column, String path, String scalar,
            boolean isNull, ScalarType scalarType, Map<String, Entry> entries, List<ConfigNode> elements) {
        this.kind = kind;
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.column = column;
        this.path = Objects.requireNonNull(path, "path");
        this.scalar = scalar;
        this.isNull = isNull;
        this.scalarType = scalarType;
        this.entries = entries;
        this.elements = elements;
    }

    // ---- factories (package-private: trees are built by the loader and by merge) ----

    static ConfigNode scalar(String source, int line, int column, String path, String value,
            boolean isNull) {
        return scalar(source, line, column, path, value, isNull ? ScalarType.NULL : ScalarType.STRING);
    }

    static ConfigNode scalar(String source, int line, int column, String path, String value,
            ScalarType type) {
        return new ConfigNode(Kind.SCALAR, source, line, column, path,
                Objects.requireNonNull(value, "value"), type == ScalarType.NULL,
                Objects.requireNonNull(type, "type"), null, null);
    }

    /** Entries must already have unique keys; their order is kept. */
    static ConfigNode mapping(String source, int line, int column, String path, List<Entry> entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (map.putIfAbsent(e.key(), e) != null) {
                throw new IllegalArgumentException("duplicate key '" + e.key() + "' at " + path);
            }
        }
        return new ConfigNode(Kind.MAPPING, source, line, column, path, null, false, null,
                Collections.unmodifiableMap(map), null);
    }

    static ConfigNode sequence(String source, int line, int column, String path,
            List<ConfigNode> elements) {
        return new ConfigNode(Kind.SEQUENCE, source, line, column, path, null, false, null, null,
                List.copyOf(elements));
    }

    /**
     * An empty mapping with no position, standing in for a section the user did not write, so
     * that binding it yields the defaults (and "missing required key" problems name the section).
     */
    public static ConfigNode emptyMapping(String source, String path) {
        return mapping(source, 0, 0, path, List.of());
    }

    // ---- kind ----

    public Kind kind() {
        return kind;
    }

    public boolean isMapping() {
        return kind == Kind.MAPPING;
    }

    public boolean isSequence() {
        return kind == Kind.SEQUENCE;
    }

    public boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    /**
     * True for a plain YAML null: {@code ~}, {@code null} (any YAML 1.2 capitalisation), or no
     * value at all. A quoted {@code "null"} or a value produced by environment substitution is a
     * string, never null.
     */
    public boolean isNull() {
        return isNull;
    }

    // ---- location ----

    /** The file name as given to the loader, or a label such as {@code "<built-in>"}. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 for a synthesised node with no position. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 for a synthesised node with no position. */
    public int column() {
        return column;
    }

    /**
     * Dotted key path from the root, list indices as {@code [i]}, e.g.
     * {@code collector.service.pipelines.traces.receivers[0]}; the root's path is empty.
     */
    public String path() {
        return path;
    }

    /** {@code "source:line:column"}, or just the source for a node with no position. */
    public String location() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }

    // ---- mapping access ----

    /** The value under {@code key}, or null if absent. Only valid on a mapping. */
    public ConfigNode get(String key) {
        Entry e = requireMapping("get").get(key);
        return e == null ? null : e.value();
    }

    /**
     * This mapping without {@code key} (the same node when the key is absent): used to drop a
     * built-in section that a user's file replaces whole.
     */
    public ConfigNode withoutKey(String key) {
        Map<String, Entry> entries = requireMapping("withoutKey");
        if (!entries.containsKey(key)) {
            return this;
        }
        List<Entry> kept = new ArrayList<>(entries.size() - 1);
        for (Entry e : entries.values()) {
            if (!e.key().equals(key)) {
                kept.add(e);
            }
        }
        return mapping(source, line, column, path, kept);
    }

    /**
     * The value under {@code key} if present and not null, else an empty mapping at the child's
     * path located at this node: the usual way to fetch a section before binding it.
     */
    public ConfigNode getOrEmpty(String key) {
        ConfigNode child = get(key);
        if (child != null && !child.isNull()) {
            return child;
        }
        return mapping(source, line, column, childPath(path, key), List.of());
    }

    /** The node of the key itself (for pointing at a key rather than its value), or null. */
    public ConfigNode keyNode(String key) {
        Entry e = requireMapping("keyNode").get(key);
        return e == null ? null : e.keyNode();
    }

    /** The keys in document order. Only valid on a mapping. */
    public List<String> keys() {
        return List.copyOf(requireMapping("keys").keySet());
    }

    /** The entries in document order. Only valid on a mapping. */
    public List<Entry> entries() {
        return List.copyOf(requireMapping("entries").values());
    }

    /** Number of entries of a mapping or elements of a sequence; 0 for a scalar. */
    public int size() {
        return switch (kind) {
            case MAPPING -> entries.size();
            case SEQUENCE -> elements.size();
            case SCALAR -> 0;
        };
    }

    // ---- sequence / scalar access ----

    /** The elements in document order. Only valid on a sequence. */
    public List<ConfigNode> elements() {
        if (kind != Kind.SEQUENCE) {
            throw wrongKind("elements", "a sequence");
        }
        return elements;
    }

    /**
     * The scalar text after environment substitution. For a plain null this is the text as
     * written ({@code ""}, {@code "~"} or {@code "null"}); check {@link #isNull()} first.
     */
    public String scalar() {
        if (kind != Kind.SCALAR) {
            throw wrongKind("scalar", "a scalar");
        }
        return scalar;
    }

    /** How YAML typed this scalar as written; see {@link ScalarType}. Only valid on a scalar. */
    public ScalarType scalarType() {
        if (kind != Kind.SCALAR) {
            throw wrongKind("scalarType", "a scalar");
        }
        return scalarType;
    }

    private Map<String, Entry> requireMapping(String op) {
        if (kind != Kind.MAPPING) {
            throw wrongKind(op, "a mapping");
        }
        return entries;
    }

    private IllegalStateException wrongKind(String op, String expected) {
        return new IllegalStateException(op + "() needs " + expected + ", but "
                + (path.isEmpty() ? "the root" : "'" + path + "'") + " at " + location() + " is "
                + kindDescription());
    }

    /** "a mapping", "a list", "null" or "a string": used in "expected X, got Y" messages. */
    String kindDescription() {
        return switch (kind) {
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
            case SCALAR -> isNull ? "null" : "a string";
        };
    }

    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String indexPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A compact flow-style rendering for debugging and test failure messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        render(sb);
        return sb.toString();
    }

    private void render(StringBuilder sb) {
        switch (kind) {
            case SCALAR -> {
                if (isNull) {
                    sb.append("null");
                } else {
                    sb.append('"').append(scalar.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
            case SEQUENCE -> {
                sb.append('[');
                for (int i = 0; i < elements.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    elements.get(i).render(sb);
                }
                sb.append(']');
            }
            case MAPPING -> {
                sb.append('{');
                boolean first = true;
                for (Entry e : entries.values()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    sb.append(e.key()).append(": ");
                    e.value().render(sb);
                }
                sb.append('}');
            }
        }
    }
}
