package io.mantis.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Accumulates configuration problems so that loading and binding can carry on past the first
 * one and report everything at once. Not thread-safe: configuration is read on one thread.
 */
public final class ConfigProblems {

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** A problem located at {@code at}, under its path. */
    public void add(ConfigNode at, String message) {
        add(new ConfigProblem(at.source(), at.line(), at.column(), at.path(), message));
    }

    /**
     * A problem about {@code key} of the mapping {@code at}, located at the mapping: for keys that
     * are absent (e.g. missing required keys) and so have no position of their own.
     */
    public void add(ConfigNode at, String key, String message) {
        add(new ConfigProblem(at.source(), at.line(), at.column(),
                ConfigNode.childPath(at.path(), key), message));
    }

    public void add(ConfigProblem problem) {
        problems.add(Objects.requireNonNull(problem, "problem"));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** The problems in the order they were found. */
    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem, sorted by source and position. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
