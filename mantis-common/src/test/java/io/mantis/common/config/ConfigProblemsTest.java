package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigProblemsTest {

    private static final String NL = System.lineSeparator();

    @Test
    void problemToStringHasTheCompilerShape() {
        assertThat(new ConfigProblem("mantis.yaml", 3, 5, "server.port", "bad"))
                .hasToString("mantis.yaml:3:5: server.port: bad");
        assertThat(new ConfigProblem("mantis.yaml", 0, 0, "server.port", "bad"))
                .hasToString("mantis.yaml: server.port: bad");
        assertThat(new ConfigProblem("mantis.yaml", 1, 1, "", "bad"))
                .hasToString("mantis.yaml:1:1: bad");
    }

    @Test
    void addLocatesAtTheNodeAndAddWithKeyExtendsThePath() {
        ConfigNode root = ConfigLoader.parse("server:\n  port: 1\n", "mantis.yaml", Map.of());
        ConfigProblems problems = new ConfigProblems();
        problems.add(root.get("server").get("port"), "too small");
        problems.add(root.get("server"), "host", "missing");
        assertThat(problems.isEmpty()).isFalse();
        assertThat(problems.list()).extracting(ConfigProblem::toString).containsExactly(
                "mantis.yaml:2:9: server.port: too small",
                "mantis.yaml:2:3: server.host: missing");
    }

    @Test
    void throwIfAnyDoesNothingWhenEmpty() {
        ConfigProblems problems = new ConfigProblems();
        assertThat(problems.isEmpty()).isTrue();
        problems.throwIfAny();
    }

    @Test
    void exceptionListsEveryProblemSortedBySourceThenPosition() {
        ConfigProblems problems = new ConfigProblems();
        problems.add(new ConfigProblem("mantis.yaml", 9, 1, "c", "third"));
        problems.add(new ConfigProblem("mantis.yaml", 2, 7, "b", "second"));
        problems.add(new ConfigProblem("mantis.yaml", 2, 3, "a", "first"));
        assertThatThrownBy(problems::throwIfAny)
                .isInstanceOf(ConfigException.class)
                .hasMessage("mantis.yaml has 3 configuration problems:" + NL
                        + "  mantis.yaml:2:3: a: first" + NL
                        + "  mantis.yaml:2:7: b: second" + NL
                        + "  mantis.yaml:9:1: c: third")
                .extracting(e -> ((ConfigException) e).problems())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .extracting(p -> ((ConfigProblem) p).message())
                .containsExactly("first", "second", "third");
        // The accumulator keeps the order problems were found in.
        assertThat(problems.list()).extracting(ConfigProblem::message)
                .containsExactly("third", "second", "first");
    }

    @Test
    void exceptionNamesEverySourceAndUsesTheSingularForOne() {
        ConfigException two = new ConfigException(List.of(
                new ConfigProblem("mantis.yaml", 1, 1, "a", "x"),
                new ConfigProblem("<built-in>", 4, 1, "b", "y")));
        assertThat(two.getMessage()).startsWith("<built-in>, mantis.yaml have 2 configuration problems:"
                + NL + "  <built-in>:4:1: b: y");
        ConfigException one = new ConfigException(List.of(
                new ConfigProblem("mantis.yaml", 1, 1, "a", "x")));
        assertThat(one.getMessage()).isEqualTo("mantis.yaml has 1 configuration problem:" + NL
                + "  mantis.yaml:1:1: a: x");
        assertThatThrownBy(() -> new ConfigException(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
