package io.mantis.common.config;

/**
 * Thrown by a config record's constructor when a value is out of range or inconsistent with
 * another. The binder turns it into a problem located at the offending key's value.
 *
 * <p>It is an {@link IllegalArgumentException} because that is what it is when a record is built
 * in code rather than from YAML.
 */
public class ConfigValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /**
     * @param key the snake_case key within the record being constructed, or null when the problem
     *     concerns the record as a whole
     * @param reason what is wrong, e.g. "must be at least 1, got 0"
     */
    public ConfigValueException(String key, String reason) {
        super(key == null ? reason : "'" + key + "': " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** The snake_case key within the record, or null for the whole record. */
    public String key() {
        return key;
    }

    /** The message without the key. */
    public String reason() {
        return reason;
    }
}
