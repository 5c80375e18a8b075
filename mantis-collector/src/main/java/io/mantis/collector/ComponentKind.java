package io.mantis.collector;

/** The sections of the collector config, singular. */
public enum ComponentKind {
    RECEIVER("receivers"),
    PROCESSOR("processors"),
    EXPORTER("exporters"),
    CONNECTOR("connectors"),
    EXTENSION("extensions");

    private final String section;

    ComponentKind(String section) {
        this.section = section;
    }

    /** The config section that defines components of this kind. */
    public String section() {
        return section;
    }

    /** {@code receiver}, {@code processor}, ... as used in messages and metric labels. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
