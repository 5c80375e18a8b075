package io.mantis.common.metrics;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a registry in the Prometheus text format 0.0.4 or in OpenMetrics 1.0.0.
 *
 * <p>The two differ in a few details, all handled here: counters are announced as
 * {@code # TYPE foo_total counter} in 0.0.4 but {@code # TYPE foo counter} in OpenMetrics (the
 * sample is {@code foo_total} in both); OpenMetrics escapes double quotes in help text, has
 * {@code # UNIT} lines, timestamps in seconds rather than milliseconds, and ends with {@code # EOF}.
 * Output is streamed (see {@link TextWriter}); the byte variants write UTF-8 and do not close or
 * flush the stream.
 *
 * <p>Note that a {@link java.io.PrintStream} is both an {@link Appendable} and an
 * {@link OutputStream}, so passing one needs a cast to pick the overload.
 */
public final class TextFormat {

    public static final String CONTENT_TYPE_004 = "text/plain; version=0.0.4; charset=utf-8";
    public static final String CONTENT_TYPE_OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private TextFormat() {}

    public static void write004(MetricRegistry registry, Appendable out) throws IOException {
        write(registry, TextWriter.to(out, false));
    }

    public static void write004(MetricRegistry registry, OutputStream out) throws IOException {
        write(registry, TextWriter.to(out, false));
    }

    public static void writeOpenMetrics(MetricRegistry registry, Appendable out) throws IOException {
        write(registry, TextWriter.to(out, true));
    }

    public static void writeOpenMetrics(MetricRegistry registry, OutputStream out) throws IOException {
        write(registry, TextWriter.to(out, true));
    }

    private static void write(MetricRegistry registry, TextWriter writer) throws IOException {
        registry.collect(writer);
        writer.finish();
    }
}
