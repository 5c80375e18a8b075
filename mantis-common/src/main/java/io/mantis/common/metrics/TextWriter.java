package io.mantis.common.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetricSink} that formats Prometheus text 0.0.4 or OpenMetrics 1.0.0 as the calls arrive.
 *
 * <p>Lines are appended to a small {@link StringBuilder} which is flushed to the target whenever it
 * passes {@link #FLUSH_THRESHOLD} at a line end, so memory stays bounded whatever the number of
 * series. For byte targets the chunk is UTF-8 encoded into a reused array. Flushing only at line
 * ends also guarantees a surrogate pair is never split across chunks.
 *
 * <p>The writer never emits what a parser would reject: a family with an invalid name or whose
 * names clash with an earlier family's, a sample call that does not fit the family type, and
 * invalid labels are dropped and reported in one warning per scrape. The family header is written
 * lazily with the first sample, so families without series produce no output, as in the
 * Prometheus clients.
 *
 * <p>I/O errors are not thrown into collectors (whose interface has no checked exceptions): the
 * first one is remembered, further output is discarded, and {@link #finish} rethrows it.
 */
final class TextWriter implements MetricSink {

    private static final Logger log = LoggerFactory.getLogger(TextWriter.class);

    static final int FLUSH_THRESHOLD = 8 * 1024;

    private final boolean openMetrics;
    private final Appendable chars;   // exactly one of chars / bytes is set
    private final OutputStream bytes;
    private final StringBuilder buf = new StringBuilder(FLUSH_THRESHOLD + 512);
    private byte[] encoded = new byte[0];
    private IOException failure;

    private final Set<String> namesSeen = new HashSet<>(); // exposed names of families so far
    private String familyName;       // null: no valid family open, so samples are dropped
    private boolean skippingFamily;  // the open family was dropped: ignore its samples silently
    private MetricType familyType;
    private String familyHelp;
    private String familyUnit;
    private boolean headerWritten;
    private String[] checkedLabelNames; // last label-name array validated for the open family

    private int dropped;
    private String firstDropReason;

    private TextWriter(boolean openMetrics, Appendable chars, OutputStream bytes) {
        this.openMetrics = openMetrics;
        this.chars = chars;
        this.bytes = bytes;
    }

    static TextWriter to(Appendable out, boolean openMetrics) {
        return new TextWriter(openMetrics, out, null);
    }

    static TextWriter to(OutputStream out, boolean openMetrics) {
        return new TextWriter(openMetrics, null, out);
    }

    // ---------------------------------------------------------------- MetricSink

    @Override
    public void family(String name, MetricType type, String help, String unit) {
        familyName = null;
        skippingFamily = true;
        checkedLabelNames = null;
        if (!MetricNames.isValidMetricName(name) || type == null) {
            drop("invalid family name '" + name + "' or null type");
            return;
        }
        if (type == MetricType.COUNTER && name.endsWith("_total")) {
            drop("counter family " + name + " must be named without _total");
            return;
        }
        List<String> exposed = MetricNames.exposedNames(name, type);
        for (String exposedName : exposed) {
            if (namesSeen.contains(exposedName)) {
                drop("family " + name + " clashes with an earlier family over '" + exposedName + "'");
                return;
            }
        }
        namesSeen.addAll(exposed);
        if (unit != null && !unit.isEmpty() && !(isValidUnit(unit) && name.endsWith("_" + unit))) {
            drop("unit '" + unit + "' of " + name + " (the name must end with _<unit>); unit omitted");
            unit = null;
        }
        familyName = name;
        skippingFamily = false;
        familyType = type;
        familyHelp = help == null ? "" : help;
        familyUnit = unit == null || unit.isEmpty() ? null : unit;
        headerWritten = false;
    }

    @Override
    public void sample(String[] labelNames, String[] labelValues, double value, long timestampMillis) {
        if (!accepts("sample()", familyType != MetricType.HISTOGRAM && familyType != MetricType.SUMMARY)) {
            return;
        }
        String suffix = familyType == MetricType.COUNTER ? "_total" : "";
        writeSample(suffix, labelNames, labelValues, null, 0, value, timestampMillis);
    }

    @Override
    public void bucket(String[] labelNames, String[] labelValues, double upperBound, double cumulativeCount) {
        if (!accepts("bucket()", familyType == MetricType.HISTOGRAM && !Double.isNaN(upperBound))) {
            return;
        }
        writeSample("_bucket", labelNames, labelValues, "le", upperBound, cumulativeCount, NO_TIMESTAMP);
    }

    @Override
    public void quantile(String[] labelNames, String[] labelValues, double quantile, double value) {
        if (!accepts("quantile()", familyType == MetricType.SUMMARY && quantile >= 0 && quantile <= 1)) {
            return;
        }
        writeSample("", labelNames, labelValues, "quantile", quantile, value, NO_TIMESTAMP);
    }

    @Override
    public void count(String[] labelNames, String[] labelValues, double count) {
        if (!accepts("count()", familyType == MetricType.HISTOGRAM || familyType == MetricType.SUMMARY)) {
            return;
        }
        writeSample("_count", labelNames, labelValues, null, 0, count, NO_TIMESTAMP);
    }

    @Override
    public void sum(String[] labelNames, String[] labelValues, double sum) {
        if (!accepts("sum()", familyType == MetricType.HISTOGRAM || familyType == MetricType.SUMMARY)) {
            return;
        }
        writeSample("_sum", labelNames, labelValues, null, 0, sum, NO_TIMESTAMP);
    }

    /** Closes the open family; samples until the next {@link #family} call are dropped. */
    void endFamily() {
        familyName = null;
        familyType = null;
        skippingFamily = false;
        checkedLabelNames = null;
    }

    /** Ends the exposition, flushes, reports drops, and rethrows the first I/O error if any. */
    void finish() throws IOException {
        if (openMetrics) {
            buf.append("# EOF\n");
        }
        flush();
        if (dropped > 0) {
            log.warn("Dropped {} invalid metric items from the exposition; first: {}", dropped, firstDropReason);
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- formatting

    private void writeSample(String suffix, String[] labelNames, String[] labelValues,
                             String extraLabel, double extraValue, double value, long timestampMillis) {
        if (!checkLabels(labelNames, labelValues)) {
            return;
        }
        if (!headerWritten) {
            writeHeader();
            headerWritten = true;
        }
        StringBuilder b = buf;
        b.append(familyName).append(suffix);
        if (labelNames.length > 0 || extraLabel != null) {
            b.append('{');
            for (int i = 0; i < labelNames.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(labelNames[i]).append("=\"");
                appendEscaped(b, labelValues[i], true);
                b.append('"');
            }
            if (extraLabel != null) {
                if (labelNames.length > 0) {
                    b.append(',');
                }
                b.append(extraLabel).append("=\"");
                appendLabelFloat(b, extraValue);
                b.append('"');
            }
            b.append('}');
        }
        b.append(' ');
        appendValue(b, value);
        if (timestampMillis != NO_TIMESTAMP) {
            b.append(' ');
            appendTimestamp(b, timestampMillis);
        }
        b.append('\n');
        if (b.length() >= FLUSH_THRESHOLD) {
            flush();
        }
    }

    private void writeHeader() {
        StringBuilder b = buf;
        if (openMetrics) {
            // Order as in the OpenMetrics spec examples: TYPE, UNIT, HELP.
            b.append("# TYPE ").append(familyName).append(' ').append(familyType.openMetricsName()).append('\n');
            if (familyUnit != null) {
                b.append("# UNIT ").append(familyName).append(' ').append(familyUnit).append('\n');
            }
            if (!familyHelp.isEmpty()) {
                b.append("# HELP ").append(familyName).append(' ');
                appendEscaped(b, familyHelp, true);
                b.append('\n');
            }
        } else {
            // 0.0.4 has no family/sample name distinction for counters: the metadata names the
            // sample, as the Prometheus client libraries do (# TYPE foo_total counter).
            String suffix = familyType == MetricType.COUNTER ? "_total" : "";
            if (!familyHelp.isEmpty()) {
                b.append("# HELP ").append(familyName).append(suffix).append(' ');
                appendEscaped(b, familyHelp, false);
                b.append('\n');
            }
            b.append("# TYPE ").append(familyName).append(suffix).append(' ')
                    .append(familyType.text004Name()).append('\n');
        }
    }

    private boolean checkLabels(String[] labelNames, String[] labelValues) {
        if (labelNames == null || labelValues == null || labelNames.length != labelValues.length) {
            drop("label names and values of " + familyName + " differ in length or are null");
            return false;
        }
        for (String v : labelValues) {
            if (v == null) {
                drop("null label value in " + familyName);
                return false;
            }
        }
        // Families pass the same names array for every sample, so validate once per array.
        if (labelNames == checkedLabelNames) {
            return true;
        }
        String reserved = MetricNames.reservedLabel(familyType);
        Set<String> seen = labelNames.length > 1 ? new HashSet<>() : null;
        for (String name : labelNames) {
            if (!MetricNames.isValidLabelName(name) || name.equals(reserved) || (seen != null && !seen.add(name))) {
                drop("invalid, reserved or repeated label name '" + name + "' in " + familyName);
                return false;
            }
        }
        checkedLabelNames = labelNames;
        return true;
    }

    /**
     * Whether a sample call may be written: a family must be open and {@code fitsType} true.
     * Samples of a dropped family are ignored without counting each one again.
     */
    private boolean accepts(String call, boolean fitsType) {
        if (familyName == null) {
            if (!skippingFamily) {
                drop(call + " without a preceding family()");
            }
            return false;
        }
        if (!fitsType) {
            drop(call + " is not valid for " + familyType.openMetricsName() + " family " + familyName
                    + " (or its le/quantile is out of range)");
            return false;
        }
        return true;
    }

    private void drop(String reason) {
        if (dropped++ == 0) {
            firstDropReason = reason;
        }
    }

    /**
     * Sample values: integral values print without a fraction ("3", as the Prometheus clients do
     * for counts), everything else in Java's shortest round-trip form ("0.25", "1.0E-5"), which
     * both the 0.0.4 and the OpenMetrics grammars accept.
     */
    static void appendValue(StringBuilder b, double v) {
        long asLong = (long) v;
        if (asLong == v && asLong != Long.MAX_VALUE && asLong != Long.MIN_VALUE) {
            b.append(asLong); // -0.0 lands here too and prints as "0"
        } else {
            appendSpecialOrDouble(b, v);
        }
    }

    /**
     * {@code le} and {@code quantile} values: always a float ("1.0", "0.005", "+Inf"). OpenMetrics
     * wants a canonical float here, and the Prometheus clients print 0.0.4 the same way, so bucket
     * series keep one identity whichever format is scraped.
     */
    static void appendLabelFloat(StringBuilder b, double v) {
        appendSpecialOrDouble(b, v == 0 ? 0.0 : v); // no "-0.0"
    }

    private static void appendSpecialOrDouble(StringBuilder b, double v) {
        if (Double.isNaN(v)) {
            b.append("NaN");
        } else if (v == Double.POSITIVE_INFINITY) {
            b.append("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            b.append("-Inf");
        } else {
            b.append(v);
        }
    }

    /** 0.0.4 timestamps are integer milliseconds; OpenMetrics ones are seconds, here with 3 decimals. */
    private void appendTimestamp(StringBuilder b, long millis) {
        if (!openMetrics) {
            b.append(millis);
            return;
        }
        if (millis < 0) {
            b.append('-');
            millis = -millis; // NO_TIMESTAMP (MIN_VALUE) never gets here
        }
        long frac = millis % 1000;
        b.append(millis / 1000).append('.');
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    /**
     * Escapes backslash and line feed, and the double quote when {@code quote} is set: label values
     * in both formats and OpenMetrics help text. 0.0.4 help text must not escape quotes, since its
     * parser knows only {@code \\} and {@code \n} there.
     */
    static void appendEscaped(StringBuilder b, String s, boolean quote) {
        int n = s.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String replacement;
            if (c == '\\') {
                replacement = "\\\\";
            } else if (c == '\n') {
                replacement = "\\n";
            } else if (c == '"' && quote) {
                replacement = "\\\"";
            } else {
                continue;
            }
            b.append(s, start, i).append(replacement);
            start = i + 1;
        }
        b.append(s, start, n);
    }

    private static boolean isValidUnit(String unit) {
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- output

    private void flush() {
        if (failure == null && !buf.isEmpty()) {
            try {
                if (chars != null) {
                    chars.append(buf);
                } else {
                    int n = encodeUtf8(buf);
                    bytes.write(encoded, 0, n);
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        buf.setLength(0);
    }

    /** Encodes into {@link #encoded}, growing it as needed; unpaired surrogates become '?'. */
    private int encodeUtf8(CharSequence s) {
        int n = s.length();
        if (encoded.length < n * 3) {
            encoded = new byte[Math.max(n * 3, FLUSH_THRESHOLD * 2)];
        }
        byte[] out = encoded;
        int pos = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | (c >> 6));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[pos++] = (byte) (0xF0 | (cp >> 18));
                out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[pos++] = '?';
            } else {
                out[pos++] = (byte) (0xE0 | (c >> 12));
                out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }
}
