package io.mantis.collector.exporter.mantis;

/**
 * The {@code mantis} exporter's config.
 *
 * @param whenAbsent what a signal's data does when its store does not run in this process:
 *     {@code debug} logs it like the debug exporter (with one warning at start), {@code error}
 *     refuses to start
 */
public record MantisExporterConfig(WhenAbsent whenAbsent) {
    public static final MantisExporterConfig DEFAULTS = new MantisExporterConfig(WhenAbsent.DEBUG);

    public enum WhenAbsent { DEBUG, ERROR }
}
