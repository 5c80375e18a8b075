package io.mantis.common.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a YAML configuration document into a {@link ConfigNode} tree.
 *
 * <p>It uses the YAML composer (nodes with marks) rather than a constructor (plain Java objects),
 * because every value must keep its file, line and column for error messages. All problems in a
 * document (duplicate keys, environment references) are collected and thrown together as one
 * {@link ConfigException}; YAML syntax errors stop parsing at the first one, as they must.
 */
public final class ConfigLoader {

    /** Configuration files are small; anything near this is a mistake or an attack. */
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    /** Bounds "billion laughs": aliases to collections, and nodes after alias expansion. */
    private static final int MAX_COLLECTION_ALIASES = 100;
    private static final int MAX_NODES = 1_000_000;
    private static final int MAX_DEPTH = 200;

    private ConfigLoader() {
    }

    /**
     * Reads a configuration file. Its name in messages is the path as given, so a user sees the
     * same name they passed on the command line.
     *
     * @throws ConfigException if the file cannot be read or has any problem
     */
    public static ConfigNode load(Path file, Map<String, String> env) {
        String source = file.toString();
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            // Strict decoding: a config silently mangled by a wrong encoding is worse than an error.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw single(source, "configuration file not found");
        } catch (CharacterCodingException e) {
            throw single(source, "configuration file is not valid UTF-8");
        } catch (IOException e) {
            throw single(source, "cannot read configuration file: " + e);
        }
        return parse(text, source, env);
    }

    /**
     * Parses configuration text. An empty document (or one that is only comments, or {@code ~})
     * yields an empty mapping; any other top level must be a mapping.
     *
     * @param sourceName the name used in locations, e.g. {@code "mantis.yaml"} or
     *     {@code "<built-in>"}
     * @param env the environment for {@code ${env:NAME}} references (usually {@code System.getenv()})
     * @throws ConfigException listing every problem found
     */
    public static ConfigNode parse(String yamlText, String sourceName, Map<String, String> env) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(env, "env");
        if (yamlText.startsWith("\uFEFF")) {
            yamlText = yamlText.substring(1);
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setUseMarks(true)
                // YAML 1.2 core schema (not the JSON default): "~", "Null" and "NULL" are null too.
                .setSchema(new CoreSchema())
                // Duplicates are detected below, where both locations can be named.
                .setAllowDuplicateKeys(true)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS)
                .build();

        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(yamlText);
        } catch (MarkedYamlEngineException e) {
            throw syntaxError(sourceName, e);
        } catch (YamlEngineException e) {
            throw single(sourceName, "invalid YAML: " + e.getMessage());
        } catch (StackOverflowError e) {
            // The composer recurses per nesting level; only a pathological document gets here.
            throw single(sourceName, "invalid YAML: document is nested too deeply");
        }

        ConfigProblems problems = new ConfigProblems();
        ConfigNode tree;
        if (root.isEmpty()) {
            tree = ConfigNode.emptyMapping(sourceName, "");
        } else {
            Converter converter = new Converter(sourceName, env, problems);
            try {
                tree = converter.convert(root.get(), "", 0);
            } catch (Abort abort) {
                problems.throwIfAny();
                throw new AssertionError("abort without a problem", abort);
            }
            if (tree.isScalar() && tree.isNull()) {
                tree = ConfigNode.emptyMapping(sourceName, "");
            } else if (!tree.isMapping()) {
                problems.add(tree, "the top level of a configuration file must be a mapping, got "
                        + tree.kindDescription());
            }
        }
        problems.throwIfAny();
        return tree;
    }

    /**
     * Lays {@code override} over {@code base}: mappings merge key by key, recursively; anything
     * else (scalars, sequences, or a kind change) is replaced whole by the override. A plain null in
     * the override keeps the base, matching the binder's "null means not given" rule, so that a
     * user's empty {@code processors:} line does not erase built-in defaults. Locations come from
     * whichever node won. Both trees are expected to be rooted at the same path.
     */
    public static ConfigNode merge(ConfigNode base, ConfigNode override) {
        if (override == null || (override.isScalar() && override.isNull())) {
            return base;
        }
        if (base == null || !base.isMapping() || !override.isMapping()) {
            return override;
        }
        List<ConfigNode.Entry> merged = new ArrayList<>();
        for (ConfigNode.Entry b : base.entries()) {
            ConfigNode o = override.get(b.key());
            if (o == null) {
                merged.add(b);
            } else {
                ConfigNode value = merge(b.value(), o);
                merged.add(new ConfigNode.Entry(b.key(),
                        value == b.value() ? b.keyNode() : override.keyNode(b.key()), value));
            }
        }
        for (ConfigNode.Entry o : override.entries()) {
            if (base.get(o.key()) == null) {
                merged.add(o);
            }
        }
        return ConfigNode.mapping(override.source(), override.line(), override.column(),
                override.path(), merged);
    }

    // ---- error helpers ----

    private static ConfigException single(String source, String message) {
        return new ConfigException(List.of(new ConfigProblem(source, 0, 0, "", message)));
    }

    private static ConfigException syntaxError(String source, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
        StringBuilder message = new StringBuilder("YAML syntax error: ")
                .append(e.getProblem() != null ? e.getProblem() : e.getMessage());
        if (e.getContext() != null) {
            message.append(" (").append(e.getContext());
            e.getContextMark().ifPresent(m -> message.append(" at line ").append(m.getLine() + 1));
            message.append(')');
        }
        int line = mark.map(m -> m.getLine() + 1).orElse(0);
        int column = mark.map(m -> m.getColumn() + 1).orElse(0);
        return new ConfigException(List.of(
                new ConfigProblem(source, line, column, "", message.toString())));
    }

    /** Stops conversion after a problem that makes the rest meaningless (the problem is added). */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(null, null, false, false);
        }
    }

    /** Turns composer nodes into ConfigNodes: paths, substitution, duplicates, aliases. */
    private static final class Converter {
        private final String source;
        private final Map<String, String> env;
        private final ConfigProblems problems;
        /** Collections being converted: an alias to one of them would expand forever. */
        private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
        private int nodes;

        Converter(String source, Map<String, String> env, ConfigProblems problems) {
            this.source = source;
            this.env = env;
            this.problems = problems;
        }

        ConfigNode convert(Node node, String path, int depth) {
            int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
            int column = node.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
            if (++nodes > MAX_NODES) {
                problems.add(new ConfigProblem(source, line, column, path,
                        "document too large: more than " + MAX_NODES + " nodes after alias expansion"));
                throw new Abort();
            }
            if (depth > MAX_DEPTH) {
                problems.add(new ConfigProblem(source, line, column, path,
                        "document nested more than " + MAX_DEPTH + " levels deep"));
                throw new Abort();
            }
            return switch (node) {
                case ScalarNode s -> convertScalar(s, path, line, column);
                case SequenceNode s -> {
                    enter(node, path, line, column);
                    List<ConfigNode> elements = new ArrayList<>(s.getValue().size());
                    for (Node element : s.getValue()) {
                        elements.add(convert(element, ConfigNode.indexPath(path, elements.size()), depth + 1));
                    }
                    inProgress.remove(node);
                    yield ConfigNode.sequence(source, line, column, path, elements);
                }
                case MappingNode m -> {
                    enter(node, path, line, column);
                    List<ConfigNode.Entry> entries = convertMapping(m, path, depth);
                    inProgress.remove(node);
                    yield ConfigNode.mapping(source, line, column, path, entries);
                }
                default -> throw new IllegalStateException("unexpected YAML node " + node.getNodeType());
            };
        }

        private void enter(Node node, String path, int line, int column) {
            if (!inProgress.add(node)) {
                problems.add(new ConfigProblem(source, line, column, path,
                        "recursive alias: this node contains itself"));
                throw new Abort();
            }
        }

        private ConfigNode convertScalar(ScalarNode s, String path, int line, int column) {
            // The resolver tags plain "", "~" and "null"/"Null"/"NULL" as null; quoted text is a string.
            if (Tag.NULL.equals(s.getTag())) {
                return ConfigNode.scalar(source, line, column, path, s.getValue(), true);
            }
            List<String> errors = new ArrayList<>(0);
            String value = EnvSubstitution.substitute(s.getValue(), env, errors);
            for (String error : errors) {
                problems.add(new ConfigProblem(source, line, column, path, error));
            }
            return ConfigNode.scalar(source, line, column, path, value, scalarType(s.getTag()));
        }

        private List<ConfigNode.Entry> convertMapping(MappingNode m, String path, int depth) {
            // "<<" merge keys were already flattened by the composer (core schema): merged entries
            // follow the explicit ones and are dropped where an explicit key exists, while explicit
            // duplicates are left in place for us to report.
            Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                Node keyNode = t.getKeyNode();
                String key = keyText(keyNode);
                String childPath = ConfigNode.childPath(path, key);
                int line = keyNode.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
                int column = keyNode.getStartMark().map(mk -> mk.getColumn() + 1).orElse(0);
                ConfigNode.Entry previous = entries.get(key);
                if (previous != null) {
                    String where = path.isEmpty() ? "at the top level" : "in '" + path + "'";
                    problems.add(new ConfigProblem(source, line, column, childPath,
                            "duplicate key '" + key + "' " + where + " (first defined at line "
                                    + previous.keyNode().line() + ")"));
                    continue;
                }
                ConfigNode keyConfigNode = ConfigNode.scalar(source, line, column, childPath, key, false);
                entries.put(key, new ConfigNode.Entry(key, keyConfigNode,
                        convert(t.getValueNode(), childPath, depth + 1)));
            }
            return new ArrayList<>(entries.values());
        }

        /** The resolver's tag: plain scalars get int, float or bool by the core schema, quoted ones str. */
        private static ConfigNode.ScalarType scalarType(Tag tag) {
            if (Tag.INT.equals(tag)) {
                return ConfigNode.ScalarType.INT;
            } else if (Tag.FLOAT.equals(tag)) {
                return ConfigNode.ScalarType.FLOAT;
            } else if (Tag.BOOL.equals(tag)) {
                return ConfigNode.ScalarType.BOOL;
            }
            return ConfigNode.ScalarType.STRING;
        }

        /** Keys are scalars (the composer rejects others); they are never substituted. */
        private static String keyText(Node key) {
            return key instanceof ScalarNode s ? s.getValue() : String.valueOf(key);
        }
    }
}
