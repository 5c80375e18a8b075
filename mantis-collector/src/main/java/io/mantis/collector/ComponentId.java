package io.mantis.collector;

import java.util.regex.Pattern;

/** A component id as written in the config: {@code type} or {@code type/name}. */
public record ComponentId(String type, String name) {
    private static final Pattern TYPE = Pattern.compile("[a-zA-Z][0-9a-zA-Z_]{0,62}");
    private static final Pattern NAME = Pattern.compile("[^/\\s]{1,1024}");

    public ComponentId {
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("'" + type + "' is not a valid component type");
        }
        if (name != null && !name.isEmpty() && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid component name");
        }
        name = name == null ? "" : name;
    }

    /** Parses {@code type[/name]}; throws IllegalArgumentException naming what is wrong. */
    public static ComponentId parse(String id) {
        int slash = id.indexOf('/');
        if (slash < 0) {
            return new ComponentId(id, "");
        }
        if (slash == id.length() - 1) {
            throw new IllegalArgumentException("'" + id + "' has an empty name after '/'");
        }
        return new ComponentId(id.substring(0, slash), id.substring(slash + 1));
    }

    @Override
    public String toString() {
        return name.isEmpty() ? type : type + "/" + name;
    }
}
