package io.mantis.otlp.prometheus;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * A {@link SeriesSink} that builds Prometheus remote-write 1.0 requests: a protobuf
 * {@code prometheus.WriteRequest}, snappy-compressed in the block format, to be POSTed with
 * {@link #headers(String)}.
 *
 * <p>Series are merged by label set (the translator opens one per data point) and each series'
 * samples, histograms and exemplars are put in time order on output, as the protocol requires.
 * Metadata is kept once per family name (first wins). The protobuf is written by hand with
 * {@link CodedOutputStream} from the prompb field numbers (see the constants below), sizes first
 * and bytes second, into a buffer reused across batches; call {@link #reset()} between batches to
 * reuse the series buffers too.
 *
 * <p>Not thread-safe: one encoder per exporting thread.
 */
public final class RemoteWriteEncoder implements SeriesSink {

    /** {@code Content-Type} of a remote-write 1.0 body. */
    public static final String CONTENT_TYPE = "application/x-protobuf";
    /** {@code Content-Encoding} of a remote-write 1.0 body (snappy block format). */
    public static final String CONTENT_ENCODING = "snappy";
    /** Header naming the protocol version. */
    public static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
    /** The remote-write 1.0 version value. */
    public static final String VERSION = "0.1.0";

    // prometheus.WriteRequest
    static final int WRITE_REQUEST_TIMESERIES = 1;
    static final int WRITE_REQUEST_METADATA = 3;
    // prometheus.TimeSeries
    static final int TIMESERIES_LABELS = 1;
    static final int TIMESERIES_SAMPLES = 2;
    static final int TIMESERIES_EXEMPLARS = 3;
    static final int TIMESERIES_HISTOGRAMS = 4;
    // prometheus.Label
    static final int LABEL_NAME = 1;
    static final int LABEL_VALUE = 2;
    // prometheus.Sample
    static final int SAMPLE_VALUE = 1;
    static final int SAMPLE_TIMESTAMP = 2;
    // prometheus.Exemplar
    static final int EXEMPLAR_LABELS = 1;
    static final int EXEMPLAR_VALUE = 2;
    static final int EXEMPLAR_TIMESTAMP = 3;
    // prometheus.Histogram
    static final int HISTOGRAM_COUNT_INT = 1;
    static final int HISTOGRAM_COUNT_FLOAT = 2;
    static final int HISTOGRAM_SUM = 3;
    static final int HISTOGRAM_SCHEMA = 4;
    static final int HISTOGRAM_ZERO_THRESHOLD = 5;
    static final int HISTOGRAM_ZERO_COUNT_INT = 6;
    static final int HISTOGRAM_ZERO_COUNT_FLOAT = 7;
    static final int HISTOGRAM_NEGATIVE_SPANS = 8;
    static final int HISTOGRAM_NEGATIVE_DELTAS = 9;
    static final int HISTOGRAM_NEGATIVE_COUNTS = 10;
    static final int HISTOGRAM_POSITIVE_SPANS = 11;
    static final int HISTOGRAM_POSITIVE_DELTAS = 12;
    static final int HISTOGRAM_POSITIVE_COUNTS = 13;
    static final int HISTOGRAM_RESET_HINT = 14;
    static final int HISTOGRAM_TIMESTAMP = 15;
    static final int HISTOGRAM_CUSTOM_VALUES = 16;
    // prometheus.BucketSpan
    static final int SPAN_OFFSET = 1;
    static final int SPAN_LENGTH = 2;
    // prometheus.MetricMetadata
    static final int METADATA_TYPE = 1;
    static final int METADATA_FAMILY_NAME = 2;
    static final int METADATA_HELP = 4;
    static final int METADATA_UNIT = 5;

    private final boolean sendMetadata;
    private final Map<Labels, SeriesBuffer> series = new LinkedHashMap<>();
    private final Map<String, RemoteWriteRequest.MetricMetadata> metadata = new LinkedHashMap<>();
    private final ArrayDeque<SeriesBuffer> pool = new ArrayDeque<>();
    private SeriesBuffer current;
    private int dropped;
    private byte[] protoBuffer = new byte[64 * 1024];
    private byte[] snappyBuffer = new byte[0];

    /** An encoder that also sends metric metadata. */
    public RemoteWriteEncoder() {
        this(true);
    }

    /** @param sendMetadata whether to put metric metadata into the requests */
    public RemoteWriteEncoder(boolean sendMetadata) {
        this.sendMetadata = sendMetadata;
    }

    /** The HTTP headers a remote-write 1.0 POST carries, in a stable order. */
    public static Map<String, String> headers(String userAgent) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Encoding", CONTENT_ENCODING);
        h.put("Content-Type", CONTENT_TYPE);
        h.put(VERSION_HEADER, VERSION);
        h.put("User-Agent", userAgent);
        return h;
    }

    // ---- SeriesSink ----

    @Override
    public void metadata(String family, MetricType type, String unit, String help) {
        if (sendMetadata) {
            metadata.putIfAbsent(family, new RemoteWriteRequest.MetricMetadata(family, type,
                    unit == null ? "" : unit, help == null ? "" : help));
        }
    }

    @Override
    public void series(Labels labels) {
        SeriesBuffer s = series.get(labels);
        if (s == null) {
            s = pool.isEmpty() ? new SeriesBuffer() : pool.pop();
            s.labels = labels;
            series.put(labels, s);
        }
        current = s;
    }

    @Override
    public void sample(long timestampMillis, double value) {
        requireSeries().addSample(timestampMillis, value);
    }

    @Override
    public void histogram(NativeHistogram histogram) {
        requireSeries().histograms.add(histogram);
    }

    @Override
    public void exemplar(Labels labels, double value, long timestampMillis) {
        requireSeries().exemplars.add(new RemoteWriteRequest.Exemplar(labels, value, timestampMillis));
    }

    @Override
    public void dropped(String metric, String reason) {
        dropped++;
    }

    private SeriesBuffer requireSeries() {
        if (current == null) {
            throw new IllegalStateException("series(labels) must be called before adding data");
        }
        return current;
    }

    // ---- state ----

    /** Distinct series collected since the last reset. */
    public int seriesCount() {
        return series.size();
    }

    /** Float samples collected since the last reset. */
    public int sampleCount() {
        int n = 0;
        for (SeriesBuffer s : series.values()) {
            n += s.sampleCount;
        }
        return n;
    }

    /** {@link #dropped} calls since the last reset. */
    public int droppedCount() {
        return dropped;
    }

    /** Whether nothing (no series, no metadata) was collected since the last reset. */
    public boolean isEmpty() {
        return series.isEmpty() && metadata.isEmpty();
    }

    /** Forgets collected data, keeping buffers for the next batch. */
    public void reset() {
        for (SeriesBuffer s : series.values()) {
            s.clear();
            pool.push(s);
        }
        series.clear();
        metadata.clear();
        current = null;
        dropped = 0;
    }

    // ---- output ----

    /** The uncompressed {@code WriteRequest} bytes of everything collected. */
    public byte[] toProtobuf() {
        List<SeriesBuffer> list = prepare();
        List<RemoteWriteRequest.MetricMetadata> md = List.copyOf(metadata.values());
        int n = encode(list, 0, list.size(), md, 0, md.size());
        return Arrays.copyOf(protoBuffer, n);
    }

    /** The snappy-compressed {@code WriteRequest}: a remote-write 1.0 body. */
    public byte[] toSnappy() {
        List<SeriesBuffer> list = prepare();
        List<RemoteWriteRequest.MetricMetadata> md = List.copyOf(metadata.values());
        return compressBuffer(encode(list, 0, list.size(), md, 0, md.size()));
    }

    /**
     * The collected data split into remote-write bodies whose uncompressed protobuf is at most
     * {@code maxUncompressedBytes} each, where possible (a single series larger than that gets a
     * body of its own). A series is never split across bodies; metadata follows the series.
     */
    public List<byte[]> toSnappyBatches(int maxUncompressedBytes) {
        if (maxUncompressedBytes <= 0) {
            throw new IllegalArgumentException("maxUncompressedBytes must be positive");
        }
        List<SeriesBuffer> list = prepare();
        List<RemoteWriteRequest.MetricMetadata> md = List.copyOf(metadata.values());
        List<byte[]> out = new ArrayList<>();
        int total = list.size() + md.size();
        int start = 0;
        long size = 0;
        for (int i = 0; i < total; i++) {
            long item = i < list.size()
                    ? fieldSize(WRITE_REQUEST_TIMESERIES, list.get(i).bodySize)
                    : fieldSize(WRITE_REQUEST_METADATA, metadataSize(md.get(i - list.size())));
            if (i > start && size + item > maxUncompressedBytes) {
                out.add(encodeItems(list, md, start, i));
                start = i;
                size = 0;
            }
            size += item;
        }
        if (total > start || out.isEmpty()) {
            out.add(encodeItems(list, md, start, total));
        }
        return out;
    }

    /** Snappy block-format compression of a protobuf body (what remote write sends). */
    public static byte[] compress(byte[] protobuf) {
        try {
            return Snappy.compress(protobuf);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    private byte[] encodeItems(List<SeriesBuffer> list, List<RemoteWriteRequest.MetricMetadata> md, int from, int to) {
        int sFrom = Math.min(from, list.size());
        int sTo = Math.min(to, list.size());
        int mFrom = Math.max(0, from - list.size());
        int mTo = Math.max(0, to - list.size());
        return compressBuffer(encode(list, sFrom, sTo, md, mFrom, mTo));
    }

    private byte[] compressBuffer(int length) {
        try {
            int max = Snappy.maxCompressedLength(length);
            if (snappyBuffer.length < max) {
                snappyBuffer = new byte[max];
            }
            int n = Snappy.rawCompress(protoBuffer, 0, length, snappyBuffer, 0);
            return Arrays.copyOf(snappyBuffer, n);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    /** Sorts each series' data by time and computes its encoded size. */
    private List<SeriesBuffer> prepare() {
        List<SeriesBuffer> list = new ArrayList<>(series.values());
        for (SeriesBuffer s : list) {
            s.sortByTime();
            s.bodySize = seriesSize(s);
        }
        return list;
    }

    /** Writes the selected items into {@link #protoBuffer}; returns the byte count. */
    private int encode(List<SeriesBuffer> list, int sFrom, int sTo,
            List<RemoteWriteRequest.MetricMetadata> md, int mFrom, int mTo) {
        long size = 0;
        for (int i = sFrom; i < sTo; i++) {
            size += fieldSize(WRITE_REQUEST_TIMESERIES, list.get(i).bodySize);
        }
        for (int i = mFrom; i < mTo; i++) {
            size += fieldSize(WRITE_REQUEST_METADATA, metadataSize(md.get(i)));
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("write request of " + size + " bytes is too large; use toSnappyBatches");
        }
        int n = (int) size;
        if (protoBuffer.length < n) {
            protoBuffer = new byte[Math.max(n, protoBuffer.length * 2)];
        }
        CodedOutputStream out = CodedOutputStream.newInstance(protoBuffer, 0, n);
        try {
            for (int i = sFrom; i < sTo; i++) {
                SeriesBuffer s = list.get(i);
                out.writeTag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(s.bodySize);
                writeSeries(out, s);
            }
            for (int i = mFrom; i < mTo; i++) {
                RemoteWriteRequest.MetricMetadata m = md.get(i);
                out.writeTag(WRITE_REQUEST_METADATA, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(metadataSize(m));
                writeMetadata(out, m);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            // Only reachable if a size computation disagrees with what was written: a bug here.
            throw new IllegalStateException("protobuf size mismatch while encoding a write request", e);
        }
        return n;
    }

    // ---- sizes ----

    private static long fieldSize(int field, int bodySize) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bodySize)
                + (long) bodySize;
    }

    private static int labelSize(String name, String value) {
        return CodedOutputStream.computeStringSize(LABEL_NAME, name)
                + CodedOutputStream.computeStringSize(LABEL_VALUE, value);
    }

    private static int labelsSize(int field, Labels labels) {
        int size = 0;
        for (int i = 0; i < labels.size(); i++) {
            size += (int) fieldSize(field, labelSize(labels.name(i), labels.value(i)));
        }
        return size;
    }

    private static int sampleSize(long ts, double v) {
        return CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, v)
                + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, ts);
    }

    private static int exemplarSize(RemoteWriteRequest.Exemplar e) {
        return labelsSize(EXEMPLAR_LABELS, e.labels())
                + CodedOutputStream.computeDoubleSize(EXEMPLAR_VALUE, e.value())
                + CodedOutputStream.computeInt64Size(EXEMPLAR_TIMESTAMP, e.timestampMillis());
    }

    private static int seriesSize(SeriesBuffer s) {
        long size = labelsSize(TIMESERIES_LABELS, s.labels);
        for (int i = 0; i < s.sampleCount; i++) {
            size += fieldSize(TIMESERIES_SAMPLES, sampleSize(s.timestamps[i], s.values[i]));
        }
        for (RemoteWriteRequest.Exemplar e : s.exemplars) {
            size += fieldSize(TIMESERIES_EXEMPLARS, exemplarSize(e));
        }
        for (NativeHistogram h : s.histograms) {
            size += fieldSize(TIMESERIES_HISTOGRAMS, histogramSize(h));
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("series " + s.labels + " encodes to " + size + " bytes");
        }
        return (int) size;
    }

    private static int spanSize(NativeHistogram.BucketSpan span) {
        return CodedOutputStream.computeSInt32Size(SPAN_OFFSET, span.offset())
                + CodedOutputStream.computeUInt32Size(SPAN_LENGTH, span.length());
    }

    private static int spansSize(int field, List<NativeHistogram.BucketSpan> spans) {
        int size = 0;
        for (NativeHistogram.BucketSpan span : spans) {
            size += (int) fieldSize(field, spanSize(span));
        }
        return size;
    }

    private static int packedSInt64Size(long[] values) {
        int size = 0;
        for (long v : values) {
            size += CodedOutputStream.computeSInt64SizeNoTag(v);
        }
        return size;
    }

    private static int packedFieldSize(int field, int dataSize) {
        return dataSize == 0 ? 0 : (int) fieldSize(field, dataSize);
    }

    private static int histogramSize(NativeHistogram h) {
        int size = h.isFloatHistogram()
                ? CodedOutputStream.computeDoubleSize(HISTOGRAM_COUNT_FLOAT, h.countFloat())
                : CodedOutputStream.computeUInt64Size(HISTOGRAM_COUNT_INT, h.count());
        size += CodedOutputStream.computeDoubleSize(HISTOGRAM_SUM, h.sum());
        size += CodedOutputStream.computeSInt32Size(HISTOGRAM_SCHEMA, h.schema());
        size += CodedOutputStream.computeDoubleSize(HISTOGRAM_ZERO_THRESHOLD, h.zeroThreshold());
        size += h.isFloatHistogram()
                ? CodedOutputStream.computeDoubleSize(HISTOGRAM_ZERO_COUNT_FLOAT, h.zeroCountFloat())
                : CodedOutputStream.computeUInt64Size(HISTOGRAM_ZERO_COUNT_INT, h.zeroCount());
        size += spansSize(HISTOGRAM_NEGATIVE_SPANS, h.negativeSpans());
        size += packedFieldSize(HISTOGRAM_NEGATIVE_DELTAS, packedSInt64Size(h.negativeDeltas()));
        size += packedFieldSize(HISTOGRAM_NEGATIVE_COUNTS, 8 * h.negativeCounts().length);
        size += spansSize(HISTOGRAM_POSITIVE_SPANS, h.positiveSpans());
        size += packedFieldSize(HISTOGRAM_POSITIVE_DELTAS, packedSInt64Size(h.positiveDeltas()));
        size += packedFieldSize(HISTOGRAM_POSITIVE_COUNTS, 8 * h.positiveCounts().length);
        size += CodedOutputStream.computeEnumSize(HISTOGRAM_RESET_HINT, h.resetHint().wireValue());
        size += CodedOutputStream.computeInt64Size(HISTOGRAM_TIMESTAMP, h.timestampMillis());
        size += packedFieldSize(HISTOGRAM_CUSTOM_VALUES, 8 * h.customValues().length);
        return size;
    }

    private static int metadataSize(RemoteWriteRequest.MetricMetadata m) {
        int size = CodedOutputStream.computeEnumSize(METADATA_TYPE, m.type().wireValue())
                + CodedOutputStream.computeStringSize(METADATA_FAMILY_NAME, m.familyName());
        if (!m.help().isEmpty()) {
            size += CodedOutputStream.computeStringSize(METADATA_HELP, m.help());
        }
        if (!m.unit().isEmpty()) {
            size += CodedOutputStream.computeStringSize(METADATA_UNIT, m.unit());
        }
        return size;
    }

    // ---- writers ----

    private static void writeLabels(CodedOutputStream out, int field, Labels labels) throws IOException {
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            String value = labels.value(i);
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(labelSize(name, value));
            out.writeString(LABEL_NAME, name);
            out.writeString(LABEL_VALUE, value);
        }
    }

    private static void writeSeries(CodedOutputStream out, SeriesBuffer s) throws IOException {
        writeLabels(out, TIMESERIES_LABELS, s.labels);
        for (int i = 0; i < s.sampleCount; i++) {
            long ts = s.timestamps[i];
            double v = s.values[i];
            out.writeTag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(sampleSize(ts, v));
            // writeDouble goes through doubleToRawLongBits, so the stale-marker NaN keeps its bits.
            out.writeDouble(SAMPLE_VALUE, v);
            out.writeInt64(SAMPLE_TIMESTAMP, ts);
        }
        for (RemoteWriteRequest.Exemplar e : s.exemplars) {
            out.writeTag(TIMESERIES_EXEMPLARS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(exemplarSize(e));
            writeLabels(out, EXEMPLAR_LABELS, e.labels());
            out.writeDouble(EXEMPLAR_VALUE, e.value());
            out.writeInt64(EXEMPLAR_TIMESTAMP, e.timestampMillis());
        }
        for (NativeHistogram h : s.histograms) {
            out.writeTag(TIMESERIES_HISTOGRAMS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(histogramSize(h));
            writeHistogram(out, h);
        }
    }

    private static void writeHistogram(CodedOutputStream out, NativeHistogram h) throws IOException {
        // Fields go out in field-number order, the canonical protobuf layout. The oneof members
        // are written even when zero: their presence is what tells integer from float histograms.
        if (h.isFloatHistogram()) {
            out.writeDouble(HISTOGRAM_COUNT_FLOAT, h.countFloat());
        } else {
            out.writeUInt64(HISTOGRAM_COUNT_INT, h.count());
        }
        out.writeDouble(HISTOGRAM_SUM, h.sum());
        out.writeSInt32(HISTOGRAM_SCHEMA, h.schema());
        out.writeDouble(HISTOGRAM_ZERO_THRESHOLD, h.zeroThreshold());
        if (h.isFloatHistogram()) {
            out.writeDouble(HISTOGRAM_ZERO_COUNT_FLOAT, h.zeroCountFloat());
        } else {
            out.writeUInt64(HISTOGRAM_ZERO_COUNT_INT, h.zeroCount());
        }
        writeSpans(out, HISTOGRAM_NEGATIVE_SPANS, h.negativeSpans());
        writePackedSInt64(out, HISTOGRAM_NEGATIVE_DELTAS, h.negativeDeltas());
        writePackedDouble(out, HISTOGRAM_NEGATIVE_COUNTS, h.negativeCounts());
        writeSpans(out, HISTOGRAM_POSITIVE_SPANS, h.positiveSpans());
        writePackedSInt64(out, HISTOGRAM_POSITIVE_DELTAS, h.positiveDeltas());
        writePackedDouble(out, HISTOGRAM_POSITIVE_COUNTS, h.positiveCounts());
        out.writeEnum(HISTOGRAM_RESET_HINT, h.resetHint().wireValue());
        out.writeInt64(HISTOGRAM_TIMESTAMP, h.timestampMillis());
        writePackedDouble(out, HISTOGRAM_CUSTOM_VALUES, h.customValues());
    }

    private static void writeSpans(CodedOutputStream out, int field, List<NativeHistogram.BucketSpan> spans)
            throws IOException {
        for (NativeHistogram.BucketSpan span : spans) {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(spanSize(span));
            out.writeSInt32(SPAN_OFFSET, span.offset());
            out.writeUInt32(SPAN_LENGTH, span.length());
        }
    }

    private static void writePackedSInt64(CodedOutputStream out, int field, long[] values) throws IOException {
        if (values.length == 0) {
            return;
        }
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(packedSInt64Size(values));
        for (long v : values) {
            out.writeSInt64NoTag(v);
        }
    }

    private static void writePackedDouble(CodedOutputStream out, int field, double[] values) throws IOException {
        if (values.length == 0) {
            return;
        }
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(8 * values.length);
        for (double v : values) {
            out.writeDoubleNoTag(v);
        }
    }

    private static void writeMetadata(CodedOutputStream out, RemoteWriteRequest.MetricMetadata m) throws IOException {
        out.writeEnum(METADATA_TYPE, m.type().wireValue());
        out.writeString(METADATA_FAMILY_NAME, m.familyName());
        if (!m.help().isEmpty()) {
            out.writeString(METADATA_HELP, m.help());
        }
        if (!m.unit().isEmpty()) {
            out.writeString(METADATA_UNIT, m.unit());
        }
    }

    /** One series' data, kept in growable primitive arrays and reused after {@link #reset()}. */
    private static final class SeriesBuffer {
        private static final Comparator<RemoteWriteRequest.Exemplar> EXEMPLAR_TIME =
                Comparator.comparingLong(RemoteWriteRequest.Exemplar::timestampMillis);
        private static final Comparator<NativeHistogram> HISTOGRAM_TIME =
                Comparator.comparingLong(NativeHistogram::timestampMillis);

        Labels labels;
        long[] timestamps = new long[4];
        double[] values = new double[4];
        int sampleCount;
        boolean samplesSorted = true;
        final List<RemoteWriteRequest.Exemplar> exemplars = new ArrayList<>(0);
        final List<NativeHistogram> histograms = new ArrayList<>(0);
        int bodySize;

        void addSample(long ts, double v) {
            if (sampleCount == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
                values = Arrays.copyOf(values, sampleCount * 2);
            }
            if (sampleCount > 0 && ts < timestamps[sampleCount - 1]) {
                samplesSorted = false;
            }
            timestamps[sampleCount] = ts;
            values[sampleCount] = v;
            sampleCount++;
        }

        /** Stable sort by timestamp; the common already-ordered case costs one flag check. */
        void sortByTime() {
            if (!samplesSorted) {
                Integer[] idx = new Integer[sampleCount];
                for (int i = 0; i < sampleCount; i++) {
                    idx[i] = i;
                }
                long[] ts = timestamps;
                Arrays.sort(idx, Comparator.comparingLong(i -> ts[i]));
                long[] newTs = new long[timestamps.length];
                double[] newValues = new double[values.length];
                for (int i = 0; i < sampleCount; i++) {
                    newTs[i] = timestamps[idx[i]];
                    newValues[i] = values[idx[i]];
                }
                timestamps = newTs;
                values = newValues;
                samplesSorted = true;
            }
            if (exemplars.size() > 1) {
                exemplars.sort(EXEMPLAR_TIME);
            }
            if (histograms.size() > 1) {
                histograms.sort(HISTOGRAM_TIME);
            }
        }

        void clear() {
            labels = null;
            sampleCount = 0;
            samplesSorted = true;
            exemplars.clear();
            histograms.clear();
            bodySize = 0;
        }
    }
}
