package io.mantis.metrics.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.ast.Expr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every query of every {@code eval} in Prometheus' PromQL acceptance scripts (the shared
 * conformance folder, {@code conformance/promql/testdata/*.test}) parses with the features those
 * scripts run with, and prints to text that parses to the same tree. The scripts require every
 * query to parse, failing evals included (their failures are evaluation errors); an expected
 * failure message that is a parse error is compared with ours.
 */
class PromqlTestdataParseTest {

    record Eval(String file, int line, String query, String expectedFailure) {
        @Override
        public String toString() {
            return file + ":" + line + " " + query;
        }
    }

    static Path testdata() {
        String configured = System.getProperty("mantis.promql.testdata");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/conformance/promql/testdata");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static List<Eval> evals(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Eval> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            String[] words = l.split("\\s+");
            if (!words[0].startsWith("eval") || words.length < 2) {
                continue;
            }
            // eval instant at T <query> | eval range from S to E step P <query>
            int skip = words[1].equals("instant") ? 4 : words[1].equals("range") ? 8 : -1;
            if (skip < 0 || words.length <= skip) {
                continue;
            }
            String rest = l;
            for (int k = 0; k < skip; k++) {
                rest = rest.substring(rest.indexOf(words[k]) + words[k].length());
            }
            String failure = null;
            for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
                String body = lines.get(j).trim();
                if (body.startsWith("#")) {
                    break;
                }
                if (body.startsWith("expect fail msg:")) {
                    failure = body.substring("expect fail msg:".length()).trim();
                }
            }
            out.add(new Eval(file.getFileName().toString(), i + 1, rest.trim(), failure));
        }
        return out;
    }

    static List<Path> files() throws IOException {
        Path dir = testdata();
        Assumptions.assumeTrue(dir != null,
                "the shared PromQL conformance folder (shared/conformance/promql/testdata) is not next to this checkout");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".test")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyEvalQueryParsesAndRoundTrips() throws IOException {
        return files().stream().map(f -> DynamicContainer.dynamicContainer(f.getFileName().toString(),
                evals(f).stream().map(e -> DynamicTest.dynamicTest(e.line() + " " + e.query(), () -> check(e)))));
    }

    private static void check(Eval e) throws ParseException {
        if (e.expectedFailure() != null && e.expectedFailure().contains("parse error")) {
            // None of the current scripts expects a parse error; should one come, the message must be ours.
            try {
                Parser.parse(e.query(), ParserOptions.ALL);
            } catch (ParseException pe) {
                assertThat(pe.getMessage()).isEqualTo(e.expectedFailure());
                return;
            }
            throw new AssertionError("expected the parse error " + e.expectedFailure());
        }
        Expr parsed = Parser.parse(e.query(), ParserOptions.ALL);
        String printed = parsed.toString();
        Expr reparsed = Parser.parse(printed, ParserOptions.ALL);
        assertThat(reparsed.toString()).as("printed twice").isEqualTo(printed);
        assertThat(Trees.normalize(reparsed)).as("tree of %s", printed).isEqualTo(Trees.normalize(parsed));
    }

    /** Guards the folder's shape: a runner that found no eval would pass vacuously. */
    @Test
    void scriptsHoldTheExpectedNumberOfEvals() throws IOException {
        int n = 0;
        for (Path f : files()) {
            n += evals(f).size();
        }
        assertThat(n).isGreaterThan(2000);
    }
}
