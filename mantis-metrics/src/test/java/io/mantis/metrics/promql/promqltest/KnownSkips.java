package io.mantis.metrics.promql.promqltest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The evals the engine is known not to pass yet, each with the reason, read from
 * {@code known-skips.txt} beside this class. One entry per line: {@code <file>:<line> <reason>}
 * for one eval (the line of its header), or {@code <file> <reason>} for a whole file; {@code #}
 * starts a comment line. The list is meant to shrink: each entry says what is missing.
 */
final class KnownSkips {

    static final String RESOURCE = "known-skips.txt";
    private static final Pattern ENTRY = Pattern.compile("(\\S+?\\.test)(?::([0-9]+))?\\s+(\\S.*)");

    private final Map<String, String> reasons;

    private KnownSkips(Map<String, String> reasons) {
        this.reasons = reasons;
    }

    /** The list shipped with the tests. */
    static KnownSkips load() {
        try (InputStream in = KnownSkips.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KnownSkips parse(String text) {
        Map<String, String> reasons = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher m = ENTRY.matcher(l);
            if (!m.matches()) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1)
                        + ": expected '<file>.test[:<line>] <reason>', got \"" + l + "\"");
            }
            String key = m.group(2) == null ? m.group(1) : m.group(1) + ":" + Integer.parseInt(m.group(2));
            if (reasons.put(key, m.group(3).strip()) != null) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + ": " + key + " is listed twice");
            }
        }
        return new KnownSkips(reasons);
    }

    /** Why the eval at {@code file:line} is skipped, if it is. */
    Optional<String> reason(String file, int line) {
        String r = reasons.get(file + ":" + line);
        return Optional.ofNullable(r != null ? r : reasons.get(file));
    }

    /** Every entry: {@code file} or {@code file:line}, with its reason. */
    Map<String, String> entries() {
        return java.util.Collections.unmodifiableMap(reasons);
    }
}
