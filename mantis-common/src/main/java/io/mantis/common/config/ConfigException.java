package io.mantis.common.config;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Carries every problem found, so that a person fixes them
 * all in one go instead of discovering them one start attempt at a time.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Source, then position; problems without a position come first within their source. */
    static final Comparator<ConfigProblem> ORDER = Comparator.comparing(ConfigProblem::source)
            .thenComparingInt(ConfigProblem::line)
            .thenComparingInt(ConfigProblem::column);

    private final List<ConfigProblem> problems;

    /** @param problems at least one problem; they are sorted by source, line and column */
    public ConfigException(List<ConfigProblem> problems) {
        super(render(sorted(problems)));
        this.problems = sorted(problems);
    }

    /** The problems, sorted by source, line and column. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        // List.sort is stable: problems at the same position keep the order they were found in.
        return problems.stream().sorted(ORDER).toList();
    }

    private static String render(List<ConfigProblem> problems) {
        Set<String> sources = problems.stream().map(ConfigProblem::source)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        int n = problems.size();
        StringBuilder sb = new StringBuilder()
                .append(String.join(", ", sources))
                .append(sources.size() == 1 ? " has " : " have ")
                .append(n).append(n == 1 ? " configuration problem:" : " configuration problems:");
        for (ConfigProblem p : problems) {
            sb.append(System.lineSeparator()).append("  ").append(p);
        }
        return sb.toString();
    }
}
