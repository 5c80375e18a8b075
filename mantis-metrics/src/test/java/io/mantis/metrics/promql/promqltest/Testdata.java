package io.mantis.metrics.promql.promqltest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the promqltest scripts, which live outside the repository in the workspace's
 * {@code shared/conformance/promql/testdata} (beside the checkout, or inside it). They are read in
 * place, never copied. The system property {@code mantis.promqltest.dir} names another folder.
 */
final class Testdata {

    static final String RELATIVE = "shared/conformance/promql/testdata";

    private Testdata() {
    }

    /** The scripts' folder, or null when there is none. */
    static Path find() {
        String override = System.getProperty("mantis.promqltest.dir");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isDirectory(p) ? p : null;
        }
        // Surefire runs in the module folder; the repository root is the nearest folder with mvnw.
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw"))) {
                List<Path> candidates = new ArrayList<>();
                if (d.getParent() != null) {
                    candidates.add(d.getParent().resolve(RELATIVE));
                }
                candidates.add(d.resolve(RELATIVE));
                for (Path c : candidates) {
                    if (Files.isDirectory(c)) {
                        return c;
                    }
                }
                return null;
            }
        }
        return null;
    }

    static String missingMessage() {
        return "promqltest scripts not found: looked for " + RELATIVE + " beside and inside the repository root "
                + "(the folder with mvnw), or -Dmantis.promqltest.dir; skipping";
    }

    /** The {@code .test} files of {@code dir}, by name. */
    static List<Path> scripts(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".test")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Script parse(Path file) {
        try {
            return ScriptParser.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ScriptException e) {
            throw new ScriptException(e.line(), file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
