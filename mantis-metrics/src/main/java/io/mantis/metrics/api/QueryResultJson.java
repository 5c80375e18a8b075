package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.promql.QueryStats;
import io.mantis.metrics.promql.value.Annotations;
import io.mantis.metrics.promql.value.BucketBounds;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryError;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.StringValue;
import io.mantis.metrics.promql.value.Value;
import io.mantis.metrics.promql.value.Vector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes query results byte for byte as Prometheus' {@code /api/v1/query} and
 * {@code /api/v1/query_range} do:
 *
 * <pre>
 * {"status":"success","data":{"resultType":"vector","result":[
 *     {"metric":{"__name__":"up","job":"api"},"value":[1435781451.781,"1"]},
 *     {"metric":{"__name__":"rpc_seconds"},"histogram":[1435781451.781,{"count":"2","sum":"0.3","buckets":[[0,"0.125","0.25","2"]]}]}]},
 *  "warnings":["..."],"infos":["..."]}
 * </pre>
 *
 * <p>Sample values are strings ({@code "NaN"}, {@code "+Inf"}, shortest round-trip digits),
 * timestamps are numbers of seconds with millisecond decimals. A matrix series has
 * {@code "values"} and/or {@code "histograms"}, each left out when empty. A histogram lists its
 * non-empty buckets from the lowest to the highest: negative buckets, the zero bucket, positive
 * buckets; each as {@code [boundaryRule, "lower", "upper", "count"]} where the rule says which
 * ends are inclusive: 0 upper only, 1 lower only, 2 neither, 3 both. At most ten warnings and ten
 * infos are written, then a line saying how many more were left out. A failed query is Prometheus'
 * error document, without annotations.
 */
public final class QueryResultJson {

    /** Prometheus' API caps each kind of annotation at this many texts per answer. */
    static final int MAX_ANNOTATIONS = 10;

    private QueryResultJson() {
    }

    /** The whole response body. */
    public static byte[] encode(QueryResult result) {
        return encode(result, null);
    }

    /**
     * The whole response body with Prometheus' {@code stats} object in {@code data}
     * ({@link QueryStatsJson}); without it when {@code stats} is null.
     */
    public static byte[] encode(QueryResult result, QueryStats stats) {
        Buffer out = BUFFERS.poll();
        if (out == null) {
            out = new Buffer();
        }
        out.reset();
        try (JsonGenerator g = PromJson.FACTORY.createGenerator(out)) {
            writeDocument(g, result, stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = out.toByteArray();
        if (out.capacity() <= Buffer.KEEP) {
            BUFFERS.offer(out); // one huge answer does not pin its buffer
        }
        return body;
    }

    /**
     * Answer buffers for reuse (growing one from a few hundred bytes copied each answer several
     * times). A small shared pool rather than one per thread: queries run on a blocking pool of up
     * to hundreds of threads, which would each keep their own.
     */
    private static final java.util.concurrent.ArrayBlockingQueue<Buffer> BUFFERS =
            new java.util.concurrent.ArrayBlockingQueue<>(4);

    private static final class Buffer extends ByteArrayOutputStream {
        static final int KEEP = 1 << 20;

        Buffer() {
            super(16 * 1024);
        }

        int capacity() {
            return buf.length;
        }
    }

    /** The HTTP status that goes with {@link #encode}: 200, or the error type's status. */
    public static int httpStatus(QueryResult result) {
        return result.failed() ? result.error().type().httpStatus() : 200;
    }

    /** The whole response document: status, data, warnings and infos (or the error). */
    public static void writeDocument(JsonGenerator g, QueryResult result) throws IOException {
        writeDocument(g, result, null);
    }

    /** {@link #writeDocument(JsonGenerator, QueryResult)} with {@code data.stats} unless {@code stats} is null. */
    public static void writeDocument(JsonGenerator g, QueryResult result, QueryStats stats) throws IOException {
        g.writeStartObject();
        if (result.failed()) {
            QueryError e = result.error();
            g.writeStringField("status", "error");
            g.writeStringField("errorType", e.type().wire());
            g.writeStringField("error", e.message());
            g.writeEndObject();
            return;
        }
        g.writeStringField("status", "success");
        g.writeFieldName("data");
        writeData(g, result.value(), stats);
        Annotations a = result.annotations();
        writeAnnotations(g, "warnings", a.warnings(), "warning");
        writeAnnotations(g, "infos", a.infos(), "info");
        g.writeEndObject();
    }

    private static void writeAnnotations(JsonGenerator g, String field, List<String> texts, String kind)
            throws IOException {
        if (texts.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        int n = Math.min(texts.size(), MAX_ANNOTATIONS);
        for (int i = 0; i < n; i++) {
            g.writeString(texts.get(i));
        }
        if (texts.size() > n) {
            g.writeString((texts.size() - n) + " more " + kind + " annotations omitted");
        }
        g.writeEndArray();
    }

    /** The {@code data} object: {@code {"resultType":"...","result":...}}. */
    public static void writeData(JsonGenerator g, Value value) throws IOException {
        writeData(g, value, null);
    }

    /** The {@code data} object with {@code "stats"} after the result, as Prometheus orders them. */
    public static void writeData(JsonGenerator g, Value value, QueryStats stats) throws IOException {
        g.writeStartObject();
        g.writeStringField("resultType", value.type().wire());
        g.writeFieldName("result");
        writeValue(g, value);
        if (stats != null) {
            g.writeFieldName("stats");
            QueryStatsJson.write(g, stats);
        }
        g.writeEndObject();
    }

    /** The {@code result} alone. */
    public static void writeValue(JsonGenerator g, Value value) throws IOException {
        switch (value) {
            case Scalar s -> {
                g.writeStartArray();
                writeTime(g, s.t());
                g.writeString(PromFormat.value(s.v()));
                g.writeEndArray();
            }
            case StringValue s -> {
                g.writeStartArray();
                writeTime(g, s.t());
                g.writeString(s.s());
                g.writeEndArray();
            }
            case Vector v -> {
                Text text = Text.take();
                g.writeStartArray();
                for (int i = 0; i < v.size(); i++) {
                    writeSample(g, v.get(i), text);
                }
                g.writeEndArray();
                text.giveBack();
            }
            case Matrix m -> {
                Text text = Text.take();
                g.writeStartArray();
                for (int i = 0; i < m.size(); i++) {
                    writeSeries(g, m.get(i), text);
                }
                g.writeEndArray();
                text.giveBack();
            }
        }
    }

    private static void writeSample(JsonGenerator g, Sample s, Text text) throws IOException {
        if (!s.isHistogram() && g.getOutputTarget() instanceof java.io.OutputStream os) {
            text.reset();
            text.put("{\"metric\":");
            text.labels(s.metric());
            text.put(",\"value\":[");
            text.putTime(s.t());
            text.put(",\"");
            text.putValue(s.v());
            text.put("\"]}");
            text.writeTo(g, os);
            return;
        }
        g.writeStartObject();
        g.writeFieldName("metric");
        PrometheusApi.writeLabels(g, s.metric());
        if (s.isHistogram()) {
            g.writeArrayFieldStart("histogram");
            writeTime(g, s.t());
            writeHistogram(g, s.h());
        } else {
            g.writeArrayFieldStart("value");
            writeTime(g, s.t());
            g.writeString(PromFormat.value(s.v()));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeSeries(JsonGenerator g, Series s, Text text) throws IOException {
        if (s.histogramCount() == 0 && g.getOutputTarget() instanceof java.io.OutputStream os) {
            text.reset();
            text.put("{\"metric\":");
            text.labels(s.metric());
            if (s.floatCount() > 0) {
                text.put(",\"values\":");
                text.points(s);
            }
            text.put('}');
            text.writeTo(g, os);
            return;
        }
        g.writeStartObject();
        g.writeFieldName("metric");
        PrometheusApi.writeLabels(g, s.metric());
        if (s.floatCount() > 0) {
            g.writeFieldName("values");
            text.reset();
            text.points(s);
            g.writeRawValue(new String(text.buf, 0, text.length, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (s.histogramCount() > 0) {
            g.writeArrayFieldStart("histograms");
            for (int i = 0; i < s.histogramCount(); i++) {
                g.writeStartArray();
                writeTime(g, s.histogramTimestamp(i));
                writeHistogram(g, s.histogram(i));
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }


    /**
     * A vector sample or matrix series with float points, as UTF-8 JSON text in a buffer reused
     * from element to element, written past the generator in one piece. Going through the
     * generator cost two Strings and an escaping pass per point, and its custom (Go) escapes
     * made every label string take its slow path; here a label string that is plain printable
     * ASCII is copied as is and any other goes through the generator's escaping, so the bytes
     * are the same as the generator's.
     */
    private static final class Text {
        /** Texts for reuse, with their label caches; a few shared, for the reason given at {@link #BUFFERS}. */
        private static final java.util.concurrent.ArrayBlockingQueue<Text> POOL =
                new java.util.concurrent.ArrayBlockingQueue<>(4);

        static Text take() {
            Text t = POOL.poll();
            return t != null ? t : new Text();
        }

        void giveBack() {
            if (buf.length <= (1 << 20)) {
                POOL.offer(this);
            }
        }

        byte[] buf = new byte[8192];
        int length;

        Text reset() {
            length = 0;
            return this;
        }

        /** Appends the text to the document as the next value of the generator's current context. */
        void writeTo(JsonGenerator g, java.io.OutputStream os) throws IOException {
            // The empty raw value writes the separator; the flush puts it before the text.
            g.writeRawValue("");
            g.flush();
            os.write(buf, 0, length);
        }

        void labels(io.mantis.otlp.prometheus.Labels labels) throws IOException {
            put('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                string(labels.name(i));
                put(':');
                string(labels.value(i));
            }
            put('}');
        }

        // Label strings repeat from series to series and query to query (the head keeps one
        // String per distinct name and value): their JSON text is kept by identity, hash-slotted.
        private final String[] cachedStrings = new String[1024];
        private final byte[][] cachedTexts = new byte[1024][];

        private void string(String str) throws IOException {
            int slot = str.hashCode() & (cachedStrings.length - 1);
            byte[] text = cachedTexts[slot];
            String key = cachedStrings[slot];
            if (key != str && (key == null || !key.equals(str))) {
                text = encode(str);
                if (text.length <= 256) {
                    cachedStrings[slot] = str;
                    cachedTexts[slot] = text;
                }
            }
            ensure(text.length);
            System.arraycopy(text, 0, buf, length, text.length);
            length += text.length;
        }

        /** A JSON string literal: plain printable ASCII as is, anything else as the generator escapes it. */
        private static byte[] encode(String str) throws IOException {
            int n = str.length();
            byte[] b = new byte[n + 2];
            b[0] = '"';
            for (int i = 0; i < n; i++) {
                char c = str.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 2 + 2);
                    try (JsonGenerator g = PromJson.FACTORY.createGenerator(out)) {
                        g.writeString(str);
                    }
                    return out.toByteArray();
                }
                b[i + 1] = (byte) c;
            }
            b[n + 1] = '"';
            return b;
        }

        /** A series' float points: {@code [[t,"v"],...]}. */
        void points(Series s) {
            put('[');
            for (int i = 0; i < s.floatCount(); i++) {
                if (i > 0) {
                    put(',');
                }
                put('[');
                putTime(s.floatTimestamp(i));
                put(',');
                put('"');
                putValue(s.floatValue(i));
                put('"');
                put(']');
            }
            put(']');
        }

        private final StringBuilder number = new StringBuilder(32);

        private void putValue(double v) {
            // Whole numbers below 1e15 (counters, gauges of counts): PromFormat.value's digits
            // without its String; -0 is left to it.
            if (v == Math.rint(v) && Math.abs(v) < 1e15 && Double.doubleToRawLongBits(v) != Long.MIN_VALUE) {
                putLong((long) v);
                return;
            }
            number.setLength(0);
            if (!PromFormat.appendPlain(v, number)) {
                number.append(PromFormat.value(v));
            }
            int n = number.length();
            ensure(n);
            for (int k = 0; k < n; k++) {
                buf[length++] = (byte) number.charAt(k);
            }
        }

        private static final byte[] PAIRS = new byte[200];

        static {
            for (int i = 0; i < 100; i++) {
                PAIRS[2 * i] = (byte) ('0' + i / 10);
                PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
            }
        }

        /** A whole number's digits, as Long.toString writes them. */
        private void putLong(long x) {
            if (x == Long.MIN_VALUE) {
                put(Long.toString(x));
                return;
            }
            ensure(20);
            if (x < 0) {
                buf[length++] = '-';
                x = -x;
            }
            putDigits(x);
        }

        /** A non-negative number, eight digits at a time with int arithmetic, two digits per division. */
        private void putDigits(long x) {
            if (x < 100_000_000L) {
                putUint((int) x);
                return;
            }
            long hi = x / 100_000_000L;
            putDigits(hi);
            put8((int) (x - hi * 100_000_000L));
        }

        private void putUint(int v) {
            int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5
                    : v < 1_000_000 ? 6 : v < 10_000_000 ? 7 : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
            int p = length + n;
            length = p;
            while (v >= 100) {
                int q = v / 100;
                int r = 2 * (v - q * 100);
                buf[--p] = PAIRS[r + 1];
                buf[--p] = PAIRS[r];
                v = q;
            }
            if (v >= 10) {
                buf[--p] = PAIRS[2 * v + 1];
                buf[--p] = PAIRS[2 * v];
            } else {
                buf[--p] = (byte) ('0' + v);
            }
        }

        /** Exactly eight digits, zero-padded. */
        private void put8(int v) {
            int p = length + 8;
            length = p;
            for (int k = 0; k < 4; k++) {
                int q = v / 100;
                int r = 2 * (v - q * 100);
                buf[--p] = PAIRS[r + 1];
                buf[--p] = PAIRS[r];
                v = q;
            }
        }

        private void ensure(int more) {
            if (length + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
            }
        }

        private void put(char c) {
            ensure(1);
            buf[length++] = (byte) c;
        }

        @SuppressWarnings("deprecation") // the low byte of each char is the point: the text is ASCII
        private void put(String str) {
            int n = str.length();
            ensure(n);
            str.getBytes(0, n, buf, length);
            length += n;
        }

        /** A time as {@link PromFormat#seconds} writes it: seconds, and a three-digit fraction unless whole. */
        private void putTime(long millis) {
            if (millis == Long.MIN_VALUE) {
                put(PromFormat.seconds(millis));
                return;
            }
            ensure(24);
            if (millis < 0) {
                // the sign, then the magnitude (-1500 ms is -1.500), as PromFormat.seconds
                buf[length++] = '-';
                millis = -millis;
            }
            long sec = millis / 1000;
            int ms = (int) (millis - sec * 1000);
            putDigits(sec);
            if (ms != 0) {
                buf[length++] = '.';
                buf[length++] = (byte) ('0' + ms / 100);
                buf[length++] = PAIRS[2 * (ms % 100)];
                buf[length++] = PAIRS[2 * (ms % 100) + 1];
            }
        }
    }

    private static void writeTime(JsonGenerator g, long millis) throws IOException {
        g.writeNumber(PromFormat.seconds(millis));
    }

    /**
     * One histogram: {@code {"count":"..","sum":"..","buckets":[...]}}, {@code buckets} left out
     * when every bucket is empty. Buckets at the zero bucket's edge are cut to its threshold, as
     * Prometheus does, so the printed ranges do not overlap it.
     */
    public static void writeHistogram(JsonGenerator g, FloatHistogram h) throws IOException {
        g.writeStartObject();
        g.writeStringField("count", PromFormat.value(h.count()));
        g.writeStringField("sum", PromFormat.value(h.sum()));
        BucketWriter w = new BucketWriter(g);
        double zt = h.zeroThreshold();
        FloatHistogram.Buckets neg = h.negative();
        int[] negIdx = neg.indexes(new int[neg.spanBucketTotal()]);
        int negCount = Math.min(neg.bucketCount(), neg.spanBucketTotal());
        for (int k = negCount - 1; k >= 0; k--) {
            int idx = negIdx[k];
            double lower = -BucketBounds.upper(h, idx);
            double upper = -BucketBounds.upper(h, idx - 1);
            boolean lowerInc = lower < 0;
            boolean upperInc = upper > 0;
            if (upper < 0 && upper > -zt) {
                upper = -zt;
            } else if (lower > 0 && lower < zt) {
                lower = zt;
            }
            w.bucket(lowerInc, upperInc, lower, upper, neg.count(k));
        }
        if (h.zeroCount() > 0) {
            w.bucket(true, true, -zt, zt, h.zeroCount());
        }
        FloatHistogram.Buckets pos = h.positive();
        int[] posIdx = pos.indexes(new int[pos.spanBucketTotal()]);
        int posCount = Math.min(pos.bucketCount(), pos.spanBucketTotal());
        boolean custom = h.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
        for (int k = 0; k < posCount; k++) {
            int idx = posIdx[k];
            double lower = BucketBounds.upper(h, idx - 1);
            double upper = BucketBounds.upper(h, idx);
            boolean lowerInc = custom ? idx == 0 : lower < 0;
            boolean upperInc = custom || upper > 0;
            if (lower > 0 && lower < zt) {
                lower = zt;
            } else if (upper < 0 && upper > -zt) {
                upper = -zt;
            }
            w.bucket(lowerInc, upperInc, lower, upper, pos.count(k));
        }
        w.finish();
        g.writeEndObject();
    }

    /** Opens the {@code buckets} array at the first non-empty bucket, so that none means no field. */
    private static final class BucketWriter {
        private final JsonGenerator g;
        private boolean open;

        BucketWriter(JsonGenerator g) {
            this.g = g;
        }

        void bucket(boolean lowerInclusive, boolean upperInclusive, double lower, double upper, double count)
                throws IOException {
            if (count == 0) {
                return;
            }
            if (!open) {
                g.writeArrayFieldStart("buckets");
                open = true;
            }
            int rule = lowerInclusive ? (upperInclusive ? 3 : 1) : (upperInclusive ? 0 : 2);
            g.writeStartArray();
            g.writeNumber(rule);
            g.writeString(PromFormat.value(lower));
            g.writeString(PromFormat.value(upper));
            g.writeString(PromFormat.value(count));
            g.writeEndArray();
        }

        void finish() throws IOException {
            if (open) {
                g.writeEndArray();
            }
        }
    }
}
