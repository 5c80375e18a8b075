package io.mantis.otlp.prometheus;

import static io.mantis.otlp.prometheus.RemoteWriteEncoder.EXEMPLAR_LABELS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.EXEMPLAR_TIMESTAMP;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.EXEMPLAR_VALUE;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_COUNT_FLOAT;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_COUNT_INT;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_CUSTOM_VALUES;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_NEGATIVE_COUNTS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_NEGATIVE_DELTAS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_NEGATIVE_SPANS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_POSITIVE_COUNTS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_POSITIVE_DELTAS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_POSITIVE_SPANS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_RESET_HINT;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_SCHEMA;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_SUM;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_TIMESTAMP;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_ZERO_COUNT_FLOAT;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_ZERO_COUNT_INT;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.HISTOGRAM_ZERO_THRESHOLD;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.LABEL_NAME;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.LABEL_VALUE;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.METADATA_FAMILY_NAME;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.METADATA_HELP;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.METADATA_TYPE;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.METADATA_UNIT;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.SAMPLE_TIMESTAMP;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.SAMPLE_VALUE;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.SPAN_LENGTH;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.SPAN_OFFSET;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.TIMESERIES_EXEMPLARS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.TIMESERIES_HISTOGRAMS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.TIMESERIES_LABELS;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.TIMESERIES_SAMPLES;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.WRITE_REQUEST_METADATA;
import static io.mantis.otlp.prometheus.RemoteWriteEncoder.WRITE_REQUEST_TIMESERIES;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Reads a remote-write 1.0 body (snappy block format around a {@code prometheus.WriteRequest})
 * into a {@link RemoteWriteRequest}: the receiving side of {@link RemoteWriteEncoder}, for a
 * store's {@code /api/v1/write} endpoint.
 *
 * <p>It accepts what protobuf allows senders to vary: fields in any order, unknown fields
 * (skipped), repeated scalars packed or not. Labels are sorted if the sender did not sort them.
 * Malformed input fails with an {@link IOException} whose message says what was wrong, so a
 * receiver can answer 400 with it. The uncompressed size is checked against a limit before any
 * buffer is allocated, so a small body cannot claim gigabytes.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RemoteWriteDecoder {

    /** Default cap on the uncompressed size of one body. */
    public static final int DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final int maxUncompressedBytes;

    public RemoteWriteDecoder() {
        this(DEFAULT_MAX_UNCOMPRESSED_BYTES);
    }

    /** @param maxUncompressedBytes largest uncompressed body accepted */
    public RemoteWriteDecoder(int maxUncompressedBytes) {
        if (maxUncompressedBytes <= 0) {
            throw new IllegalArgumentException("maxUncompressedBytes must be positive");
        }
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /** Decodes a snappy-compressed body. */
    public RemoteWriteRequest decodeSnappy(byte[] body) throws IOException {
        return decodeSnappy(body, 0, body.length);
    }

    /** Decodes a snappy-compressed body held in {@code body[offset, offset+length)}. */
    public RemoteWriteRequest decodeSnappy(byte[] body, int offset, int length) throws IOException {
        byte[] raw = uncompress(body, offset, length, maxUncompressedBytes);
        return decode(raw, 0, raw.length);
    }

    /** Decodes an uncompressed {@code WriteRequest}. */
    public RemoteWriteRequest decode(byte[] protobuf) throws IOException {
        return decode(protobuf, 0, protobuf.length);
    }

    /** Decodes an uncompressed {@code WriteRequest} held in {@code bytes[offset, offset+length)}. */
    public RemoteWriteRequest decode(byte[] bytes, int offset, int length) throws IOException {
        if (length > maxUncompressedBytes) {
            throw new IOException("write request of " + length + " bytes exceeds the limit of "
                    + maxUncompressedBytes);
        }
        CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
        in.setSizeLimit(Integer.MAX_VALUE);
        List<RemoteWriteRequest.TimeSeries> series = new ArrayList<>();
        List<RemoteWriteRequest.MetricMetadata> metadata = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == WRITE_REQUEST_TIMESERIES && isLengthDelimited(tag)) {
                int limit = in.pushLimit(in.readRawVarint32());
                series.add(readSeries(in));
                in.popLimit(limit);
            } else if (field == WRITE_REQUEST_METADATA && isLengthDelimited(tag)) {
                int limit = in.pushLimit(in.readRawVarint32());
                metadata.add(readMetadata(in));
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return new RemoteWriteRequest(series, metadata);
    }

    /**
     * The uncompressed size of a snappy body, checked against the limit, so a caller can
     * decompress into a buffer it reuses ({@link #uncompressInto}).
     */
    public int uncompressedLength(byte[] body, int offset, int length) throws IOException {
        int size;
        try {
            size = Snappy.uncompressedLength(body, offset, length);
        } catch (IOException e) {
            throw new IOException("body is not snappy block-format data: " + e.getMessage(), e);
        }
        if (size < 0 || size > maxUncompressedBytes) {
            throw new IOException("uncompressed body of " + size + " bytes exceeds the limit of "
                    + maxUncompressedBytes);
        }
        return size;
    }

    /** Decompresses into {@code out} (at least {@link #uncompressedLength} long); returns the length. */
    public int uncompressInto(byte[] body, int offset, int length, byte[] out) throws IOException {
        try {
            return Snappy.rawUncompress(body, offset, length, out, 0);
        } catch (IOException e) {
            throw new IOException("corrupt snappy body: " + e.getMessage(), e);
        }
    }

    /** Decodes one {@code TimeSeries} message held in {@code bytes[offset, offset+length)}. */
    public RemoteWriteRequest.TimeSeries decodeSeries(byte[] bytes, int offset, int length) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
        in.setSizeLimit(Integer.MAX_VALUE);
        return readSeries(in);
    }

    /** Snappy block-format decompression with a size check before allocating. */
    static byte[] uncompress(byte[] body, int offset, int length, int maxBytes) throws IOException {
        int size;
        try {
            size = Snappy.uncompressedLength(body, offset, length);
        } catch (IOException e) {
            throw new IOException("body is not snappy block-format data: " + e.getMessage(), e);
        }
        if (size < 0 || size > maxBytes) {
            throw new IOException("uncompressed body of " + size + " bytes exceeds the limit of " + maxBytes);
        }
        byte[] out = new byte[size];
        try {
            int n = Snappy.rawUncompress(body, offset, length, out, 0);
            return n == size ? out : Arrays.copyOf(out, n);
        } catch (IOException e) {
            throw new IOException("corrupt snappy body: " + e.getMessage(), e);
        }
    }

    private static boolean isLengthDelimited(int tag) {
        return WireFormat.getTagWireType(tag) == LENGTH_DELIMITED;
    }

    private static RemoteWriteRequest.TimeSeries readSeries(CodedInputStream in) throws IOException {
        LabelPairs labels = new LabelPairs();
        List<RemoteWriteRequest.Sample> samples = new ArrayList<>();
        List<RemoteWriteRequest.Exemplar> exemplars = new ArrayList<>(0);
        List<NativeHistogram> histograms = new ArrayList<>(0);
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (!isLengthDelimited(tag)) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            switch (field) {
                case TIMESERIES_LABELS -> readLabel(in, labels);
                case TIMESERIES_SAMPLES -> samples.add(readSample(in));
                case TIMESERIES_EXEMPLARS -> exemplars.add(readExemplar(in));
                case TIMESERIES_HISTOGRAMS -> histograms.add(readHistogram(in));
                default -> in.skipRawBytes(in.getBytesUntilLimit());
            }
            in.popLimit(limit);
        }
        return new RemoteWriteRequest.TimeSeries(labels.toLabels(), samples, exemplars, histograms);
    }

    private static void readLabel(CodedInputStream in, LabelPairs into) throws IOException {
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == LABEL_NAME && isLengthDelimited(tag)) {
                name = in.readStringRequireUtf8();
            } else if (field == LABEL_VALUE && isLengthDelimited(tag)) {
                value = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        if (name.isEmpty()) {
            throw new InvalidProtocolBufferException("label with an empty name");
        }
        into.add(name, value);
    }

    private static RemoteWriteRequest.Sample readSample(CodedInputStream in) throws IOException {
        double value = 0;
        long ts = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field == SAMPLE_VALUE && wire == WireFormat.WIRETYPE_FIXED64) {
                value = in.readDouble();
            } else if (field == SAMPLE_TIMESTAMP && wire == WireFormat.WIRETYPE_VARINT) {
                ts = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        return new RemoteWriteRequest.Sample(ts, value);
    }

    private static RemoteWriteRequest.Exemplar readExemplar(CodedInputStream in) throws IOException {
        LabelPairs labels = new LabelPairs();
        double value = 0;
        long ts = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field == EXEMPLAR_LABELS && wire == LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                readLabel(in, labels);
                in.popLimit(limit);
            } else if (field == EXEMPLAR_VALUE && wire == WireFormat.WIRETYPE_FIXED64) {
                value = in.readDouble();
            } else if (field == EXEMPLAR_TIMESTAMP && wire == WireFormat.WIRETYPE_VARINT) {
                ts = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        return new RemoteWriteRequest.Exemplar(labels.toLabels(), value, ts);
    }

    private static NativeHistogram readHistogram(CodedInputStream in) throws IOException {
        boolean floatCounts = false;
        long countInt = 0;
        double countFloat = 0;
        double sum = 0;
        int schema = 0;
        double zeroThreshold = 0;
        long zeroCountInt = 0;
        double zeroCountFloat = 0;
        List<NativeHistogram.BucketSpan> negativeSpans = new ArrayList<>();
        List<NativeHistogram.BucketSpan> positiveSpans = new ArrayList<>();
        LongList negativeDeltas = new LongList();
        LongList positiveDeltas = new LongList();
        DoubleList negativeCounts = new DoubleList();
        DoubleList positiveCounts = new DoubleList();
        DoubleList customValues = new DoubleList();
        NativeHistogram.ResetHint hint = NativeHistogram.ResetHint.UNKNOWN;
        long ts = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case HISTOGRAM_COUNT_INT -> {
                    countInt = in.readUInt64();
                    floatCounts = false;
                }
                case HISTOGRAM_COUNT_FLOAT -> {
                    countFloat = in.readDouble();
                    floatCounts = true;
                }
                case HISTOGRAM_SUM -> sum = in.readDouble();
                case HISTOGRAM_SCHEMA -> schema = in.readSInt32();
                case HISTOGRAM_ZERO_THRESHOLD -> zeroThreshold = in.readDouble();
                case HISTOGRAM_ZERO_COUNT_INT -> zeroCountInt = in.readUInt64();
                case HISTOGRAM_ZERO_COUNT_FLOAT -> zeroCountFloat = in.readDouble();
                case HISTOGRAM_NEGATIVE_SPANS -> negativeSpans.add(readSpan(in));
                case HISTOGRAM_POSITIVE_SPANS -> positiveSpans.add(readSpan(in));
                case HISTOGRAM_NEGATIVE_DELTAS -> readSInt64s(in, wire, negativeDeltas);
                case HISTOGRAM_POSITIVE_DELTAS -> readSInt64s(in, wire, positiveDeltas);
                case HISTOGRAM_NEGATIVE_COUNTS -> readDoubles(in, wire, negativeCounts);
                case HISTOGRAM_POSITIVE_COUNTS -> readDoubles(in, wire, positiveCounts);
                case HISTOGRAM_RESET_HINT -> hint = NativeHistogram.ResetHint.fromWire(in.readEnum());
                case HISTOGRAM_TIMESTAMP -> ts = in.readInt64();
                case HISTOGRAM_CUSTOM_VALUES -> readDoubles(in, wire, customValues);
                default -> in.skipField(tag);
            }
        }
        try {
            return floatCounts
                    ? NativeHistogram.ofFloats(ts, schema, zeroThreshold, zeroCountFloat, countFloat, sum,
                            positiveSpans, positiveCounts.toArray(), negativeSpans, negativeCounts.toArray(), hint,
                            customValues.toArray())
                    : NativeHistogram.ofIntegers(ts, schema, zeroThreshold, zeroCountInt, countInt, sum,
                            positiveSpans, positiveDeltas.toArray(), negativeSpans, negativeDeltas.toArray(), hint,
                            customValues.toArray());
        } catch (IllegalArgumentException e) {
            throw new InvalidProtocolBufferException("inconsistent native histogram: " + e.getMessage());
        }
    }

    private static NativeHistogram.BucketSpan readSpan(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        int offset = 0;
        int length = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == SPAN_OFFSET) {
                offset = in.readSInt32();
            } else if (field == SPAN_LENGTH) {
                length = in.readUInt32();
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        if (length < 0) {
            throw new InvalidProtocolBufferException("bucket span length " + Integer.toUnsignedString(length)
                    + " is too large");
        }
        return new NativeHistogram.BucketSpan(offset, length);
    }

    private static void readSInt64s(CodedInputStream in, int wire, LongList into) throws IOException {
        if (wire == LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readSInt64());
            }
            in.popLimit(limit);
        } else {
            into.add(in.readSInt64());
        }
    }

    private static void readDoubles(CodedInputStream in, int wire, DoubleList into) throws IOException {
        if (wire == LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readDouble());
            }
            in.popLimit(limit);
        } else {
            into.add(in.readDouble());
        }
    }

    private static RemoteWriteRequest.MetricMetadata readMetadata(CodedInputStream in) throws IOException {
        MetricType type = MetricType.UNKNOWN;
        String family = "";
        String help = "";
        String unit = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field == METADATA_TYPE && wire == WireFormat.WIRETYPE_VARINT) {
                type = MetricType.fromWire(in.readEnum());
            } else if (field == METADATA_FAMILY_NAME && wire == LENGTH_DELIMITED) {
                family = in.readStringRequireUtf8();
            } else if (field == METADATA_HELP && wire == LENGTH_DELIMITED) {
                help = in.readStringRequireUtf8();
            } else if (field == METADATA_UNIT && wire == LENGTH_DELIMITED) {
                unit = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return new RemoteWriteRequest.MetricMetadata(family, type, unit, help);
    }

    /** Growable name/value array for one label set. */
    private static final class LabelPairs {
        private String[] pairs = new String[16];
        private int n;

        void add(String name, String value) {
            if (n == pairs.length) {
                pairs = Arrays.copyOf(pairs, n * 2);
            }
            pairs[n++] = name;
            pairs[n++] = value;
        }

        Labels toLabels() {
            return Labels.fromUnsortedPairs(Arrays.copyOf(pairs, n));
        }
    }

    private static final class LongList {
        private long[] values = new long[8];
        private int n;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, n);
        }
    }

    private static final class DoubleList {
        private double[] values = new double[8];
        private int n;

        void add(double v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, n);
        }
    }
}
