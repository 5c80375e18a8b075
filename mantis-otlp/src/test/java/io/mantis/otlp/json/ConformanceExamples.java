package io.mantis.otlp.json;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the official OTLP/JSON examples, which live outside the repository in the workspace's
 * shared/conformance/otlp (next to the checkout, or inside it). They are read in place, never copied
 * into the project; tests that need them are skipped when they are absent.
 */
final class ConformanceExamples {

    private static final String RELATIVE = "shared/conformance/otlp";

    private ConformanceExamples() {
    }

    /** The examples folder, or null. */
    static Path find() {
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

    /** The bytes of one example file; skips the calling test when the examples are not there. */
    static byte[] read(String name) throws IOException {
        Path dir = find();
        assumeTrue(dir != null, "OTLP/JSON conformance examples not found: looked for " + RELATIVE
                + " beside and inside the repository root (the folder with mvnw); skipping");
        Path file = dir.resolve(name);
        assumeTrue(Files.isRegularFile(file), "conformance example " + file + " is missing; skipping");
        return Files.readAllBytes(file);
    }
}
