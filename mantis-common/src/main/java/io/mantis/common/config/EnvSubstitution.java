package io.mantis.common.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Environment references in scalar values, following the OpenTelemetry Collector's confmap
 * syntax so that a collector configuration can be pasted into Mantis unchanged:
 *
 * <ul>
 *   <li>{@code ${env:NAME}}, or the shorthand {@code ${NAME}}: the variable's value; an unset
 *       variable is an error (a silently empty endpoint or key is worse than refusing to start);
 *   <li>{@code ${env:NAME:-default}}, {@code ${NAME:-default}}: the default when the variable is
 *       unset or empty; the default is taken literally;
 *   <li>{@code $$}: a literal {@code $}, so {@code $${env:X}} yields the text {@code ${env:X}};
 *   <li>any other {@code $} is literal (e.g. {@code price$5}).
 * </ul>
 *
 * <p>It runs on each scalar after YAML parsing rather than on the raw text, so substituted values
 * can never change the document's structure and every location stays exact.
 */
final class EnvSubstitution {

    /** POSIX-portable environment variable names, as the collector requires. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvSubstitution() {
    }

    /**
     * Returns {@code text} with references replaced. Problems are appended to {@code errors}
     * (all of them, not just the first); the result is meaningless if any were added.
     */
    static String substitute(String text, Map<String, String> env, List<String> errors) {
        if (text.indexOf('$') < 0) {
            return text; // the common case: nothing to do
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    errors.add("unterminated reference '" + text.substring(i)
                            + "' (missing '}'; write $$ for a literal $)");
                    return text;
                }
                String reference = text.substring(i, close + 1);
                String value = resolve(reference, text.substring(i + 2, close), env, errors);
                if (value != null) {
                    out.append(value);
                }
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Resolves the inside of one {@code ${...}}; null (with an error added) if it cannot. */
    private static String resolve(String reference, String body, Map<String, String> env,
            List<String> errors) {
        String name = body;
        String fallback = null;
        int colon = body.indexOf(':');
        if (colon >= 0 && !body.startsWith(":-", colon)) {
            // "scheme:rest". Only the env provider exists in Mantis; other collector providers
            // (file, http, yaml) would fetch configuration from elsewhere and are deliberately absent.
            String scheme = body.substring(0, colon);
            if (!scheme.equals("env")) {
                errors.add("unsupported reference '" + reference + "': only ${env:NAME} and ${NAME}"
                        + " are supported");
                return null;
            }
            name = body.substring(colon + 1);
            colon = name.indexOf(':');
            if (colon >= 0 && !name.startsWith(":-", colon)) {
                errors.add("malformed reference '" + reference
                        + "': write ${env:NAME} or ${env:NAME:-default}");
                return null;
            }
        }
        int dash = name.indexOf(":-");
        if (dash >= 0) {
            fallback = name.substring(dash + 2);
            name = name.substring(0, dash);
            if (fallback.contains("${")) {
                errors.add("malformed reference '" + reference
                        + "': nested references are not supported in defaults");
                return null;
            }
        }
        if (name.isEmpty()) {
            errors.add("malformed reference '" + reference + "': empty variable name");
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            errors.add("malformed reference '" + reference + "': '" + name
                    + "' is not a valid environment variable name");
            return null;
        }
        String value = env.get(name);
        if (fallback != null) {
            return value == null || value.isEmpty() ? fallback : value;
        }
        if (value == null) {
            errors.add("environment variable '" + name + "' is not set (referenced as " + reference
                    + "; set it, or give a default: ${env:" + name + ":-value})");
            return null;
        }
        return value;
    }
}
