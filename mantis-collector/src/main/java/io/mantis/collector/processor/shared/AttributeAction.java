package io.mantis.collector.processor.shared;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Required;

/**
 * One entry of the {@code actions} list of the attributes processor (the {@code attributes} list of
 * the resource processor), with the collector's rules for which fields each action takes.
 *
 * @param key the attribute acted on
 * @param value the value to write, typed as YAML types it ({@code 42} an int, {@code "42"} a string)
 * @param fromAttribute take the value from this attribute of the same item instead
 * @param fromContext the collector's request-metadata source: rejected, see the constructor
 * @param pattern for {@code extract}: a regex whose named groups become attributes; for
 *     {@code delete} and {@code hash}: a regex selecting attribute keys
 * @param convertedType for {@code convert}: the target type
 */
public record AttributeAction(String key, @Required Action action, ConfigNode value, String fromAttribute,
                              String fromContext, String pattern, ConvertedType convertedType) {

    /** What an action does; YAML accepts any case, as the collector does. */
    public enum Action { INSERT, UPDATE, UPSERT, DELETE, HASH, EXTRACT, CONVERT }

    public enum ConvertedType { INT, DOUBLE, STRING }

    public AttributeAction {
        if (action == null) {
            throw new ConfigValueException("action", "is required: one of insert, update, upsert, delete, hash,"
                    + " extract, convert");
        }
        key = emptyToNull(key);
        fromAttribute = emptyToNull(fromAttribute);
        fromContext = emptyToNull(fromContext);
        pattern = emptyToNull(pattern);
        if (value != null && value.isScalar() && value.isNull()) {
            value = null;
        }
        String name = action.name().toLowerCase(java.util.Locale.ROOT);
        if (fromContext != null) {
            throw new ConfigValueException("from_context", "is not supported: processors in Mantis do not see the"
                    + " request's metadata (client address, headers, auth); use value or from_attribute");
        }
        switch (action) {
            case INSERT, UPDATE, UPSERT -> {
                requireKey(key, name);
                if (value == null && fromAttribute == null) {
                    throw new ConfigValueException("value", "action " + name + " needs value or from_attribute");
                }
                if (value != null && fromAttribute != null) {
                    throw new ConfigValueException("from_attribute", "only one of value and from_attribute may be"
                            + " set for action " + name);
                }
                notUsed("pattern", pattern, name);
                notUsed("converted_type", convertedType, name);
            }
            case DELETE, HASH -> {
                if (key == null && pattern == null) {
                    throw new ConfigValueException("key", "action " + name + " needs key, pattern or both");
                }
                notUsed("value", value, name);
                notUsed("from_attribute", fromAttribute, name);
                notUsed("converted_type", convertedType, name);
                if (pattern != null) {
                    compilePattern(pattern);
                }
            }
            case EXTRACT -> {
                requireKey(key, name);
                notUsed("value", value, name);
                notUsed("from_attribute", fromAttribute, name);
                notUsed("converted_type", convertedType, name);
                if (pattern == null) {
                    throw new ConfigValueException("pattern", "is required for action extract: a regular expression"
                            + " whose named groups, (?P<name>...), become attributes");
                }
                GoRegex re = compilePattern(pattern);
                if (re.groupNames().isEmpty()) {
                    throw new ConfigValueException("pattern", "has no named groups: each (?P<name>...) names the"
                            + " attribute it extracts");
                }
                if (re.groupNames().contains(null)) {
                    throw new ConfigValueException("pattern", "has an unnamed group: every group must be named,"
                            + " (?P<name>...); use (?:...) to group without capturing");
                }
            }
            case CONVERT -> {
                requireKey(key, name);
                notUsed("value", value, name);
                notUsed("from_attribute", fromAttribute, name);
                notUsed("pattern", pattern, name);
                if (convertedType == null) {
                    throw new ConfigValueException("converted_type", "is required for action convert: int, double"
                            + " or string");
                }
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void requireKey(String key, String action) {
        if (key == null) {
            throw new ConfigValueException("key", "is required for action " + action);
        }
    }

    private static void notUsed(String field, Object value, String action) {
        if (value != null) {
            throw new ConfigValueException(field, "is not used by action " + action + "; remove it");
        }
    }

    static GoRegex compilePattern(String pattern) {
        try {
            return GoRegex.compile(pattern);
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException("pattern", e.getMessage());
        }
    }
}
