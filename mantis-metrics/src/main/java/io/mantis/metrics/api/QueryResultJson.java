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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = PromJson.FACTORY.createGenerator(out)) {
            writeDocument(g, result, stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
                g.writeStartArray();
                for (int i = 0; i < v.size(); i++) {
                    writeSample(g, v.get(i));
                }
                g.writeEndArray();
            }
            case Matrix m -> {
                g.writeStartArray();
                for (int i = 0; i < m.size(); i++) {
                    writeSeries(g, m.get(i));
                }
                g.writeEndArray();
            }
        }
    }

    private static void writeSample(JsonGenerator g, Sample s) throws IOException {
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

    private static void writeSeries(JsonGenerator g, Series s) throws IOException {
        g.writeStartObject();
        g.writeFieldName("metric");
        PrometheusApi.writeLabels(g, s.metric());
        if (s.floatCount() > 0) {
            // The points are ASCII with nothing to escape: written as one raw value per series
            // instead of through the generator point by point (two Strings and an escaping pass
            // per point were most of a range query's encoding time).
            g.writeFieldName("values");
            PointsText points = POINTS.get();
            byte[] text = points.text(s);
            if (g.getOutputTarget() instanceof java.io.OutputStream os) {
                // Past the generator: it would widen the bytes to chars and encode them back.
                // The empty raw value writes the separator; the flush puts it before the points.
                g.writeRawValue("");
                g.flush();
                os.write(text, 0, points.length);
            } else {
                g.writeRawValue(new String(text, 0, points.length, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
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

    private static final ThreadLocal<PointsText> POINTS = ThreadLocal.withInitial(PointsText::new);

    /** A series' float points as ASCII {@code [[t,"v"],...]}, in a buffer reused from series to series. */
    private static final class PointsText {
        private byte[] buf = new byte[8192];
        int length;

        byte[] text(Series s) {
            length = 0;
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
            return buf;
        }

        private final StringBuilder number = new StringBuilder(32);

        private void putValue(double v) {
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

        // Every series of a range query has the same step times: their text is made once.
        private long[] timeKeys = new long[256];
        private byte[][] timeTexts = new byte[256][];

        private void putTime(long millis) {
            int slot = (int) (millis ^ (millis >>> 17)) & (timeKeys.length - 1);
            byte[] text = timeTexts[slot];
            if (text == null || timeKeys[slot] != millis) {
                text = PromFormat.seconds(millis).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                timeKeys[slot] = millis;
                timeTexts[slot] = text;
            }
            ensure(text.length);
            System.arraycopy(text, 0, buf, length, text.length);
            length += text.length;
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
