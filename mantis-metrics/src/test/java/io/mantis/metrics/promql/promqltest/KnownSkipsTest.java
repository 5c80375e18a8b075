package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KnownSkipsTest {

    @Test
    void entriesNameAnEvalOrAWholeFileWithAReason() {
        KnownSkips s = KnownSkips.parse("""
                # comment
                functions.test:2072  label_replace onto an existing label is not built yet

                info.test   info() is experimental
                """);
        assertThat(s.reason("functions.test", 2072)).hasValue("label_replace onto an existing label is not built yet");
        assertThat(s.reason("functions.test", 2075)).isEmpty();
        assertThat(s.reason("info.test", 1)).hasValue("info() is experimental");
        assertThat(s.entries()).containsOnlyKeys("functions.test:2072", "info.test");
    }

    @Test
    void malformedOrRepeatedEntriesAreRejected() {
        assertThatThrownBy(() -> KnownSkips.parse("functions.test:12")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> KnownSkips.parse("functions:12 why")).hasMessageContaining("expected");
        assertThatThrownBy(() -> KnownSkips.parse("a.test:1 x\na.test:01 y")).hasMessageContaining("twice");
    }

    @Test
    void theShippedListNamesExistingScriptsAndEvalLines() {
        KnownSkips skips = KnownSkips.load();
        assertThat(skips.entries()).containsKey("start_timestamps.test");
        Path dir = Testdata.find();
        assumeTrue(dir != null, Testdata.missingMessage());
        for (Map.Entry<String, String> e : skips.entries().entrySet()) {
            String[] parts = e.getKey().split(":");
            Path file = dir.resolve(parts[0]);
            assertThat(Files.isRegularFile(file)).as(e.getKey() + " names a script").isTrue();
            if (parts.length == 2) {
                Set<Integer> evalLines = Testdata.parse(file).evals().stream().map(Script.Eval::line)
                        .collect(Collectors.toSet());
                assertThat(evalLines).as(e.getKey() + " is the line of an eval header").contains(Integer.parseInt(parts[1]));
            }
        }
    }
}
