package io.mantis.metrics.tsdb.record;

import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.NativeHistogram.BucketSpan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Encodes and decodes the metrics store's WAL records, laid out as docs/format/wal.md, "Metrics
 * store records", says.
 *
 * <p>Encoding writes into a caller's reusable {@link RecordBuffer} and returns its view, ready for
 * {@code WriteAheadLog.append}. Decoding fills a caller's reusable holder (cleared first) and
 * consumes the buffer; it allocates only what the decoded values are made of (label and
 * metadata strings, {@link Labels}, histograms). Holds scratch state: one instance per thread.
 *
 * <p>Label sets are rebuilt with {@link Labels#of(String...)}, which drops labels with empty
 * values, so a set holding one (possible only for sets built by the remote-write decoder) comes
 * back without it.
 */
public final class RecordCodec {

    /** Records smaller than this are written as they are: compressing them saves next to nothing. */
    static final int COMPRESS_FROM_BYTES = 256;
    /** Upper bound on a compressed record's stated size, so a damaged length cannot claim gigabytes. */
    private static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;

    private final RecordInput in = new RecordInput();
    private final RecordBuffer packed = new RecordBuffer();
    private byte[] source = new byte[0];
    private byte[] unpacked = new byte[4096];
    private ByteBuffer unpackedView = ByteBuffer.wrap(unpacked);
    private final boolean compress;

    /** A codec that compresses records (the default for writing). */
    public RecordCodec() {
        this(true);
    }

    /** @param compress whether encoded records of {@value #COMPRESS_FROM_BYTES} bytes or more are compressed */
    public RecordCodec(boolean compress) {
        this.compress = compress;
    }

    // ---- encoding ----

    /** Encodes a SERIES record. */
    public ByteBuffer encode(SeriesBatch series, RecordBuffer out) {
        out.clear();
        out.putByte(RecordType.SERIES.code());
        out.putUvarint(series.size());
        long prevRef = 0;
        for (int i = 0; i < series.size(); i++) {
            out.putVarint(series.ref(i) - prevRef);
            prevRef = series.ref(i);
            putLabels(out, series.labels(i));
        }
        return pack(out);
    }

    /** Encodes a SAMPLES record. */
    public ByteBuffer encode(SampleBatch samples, RecordBuffer out) {
        out.clear();
        out.putByte(RecordType.SAMPLES.code());
        out.putUvarint(samples.size());
        long prevRef = 0;
        long prevT = 0;
        for (int i = 0; i < samples.size(); i++) {
            out.putVarint(samples.ref(i) - prevRef);
            out.putVarint(samples.timestamp(i) - prevT);
            out.putDouble(samples.value(i));
            prevRef = samples.ref(i);
            prevT = samples.timestamp(i);
        }
        return pack(out);
    }

    /** Encodes a TOMBSTONES record. */
    public ByteBuffer encode(TombstoneBatch tombstones, RecordBuffer out) {
        out.clear();
        out.putByte(RecordType.TOMBSTONES.code());
        out.putUvarint(tombstones.size());
        long prevRef = 0;
        for (int i = 0; i < tombstones.size(); i++) {
            out.putVarint(tombstones.ref(i) - prevRef);
            out.putVarint(tombstones.mint(i));
            out.putVarint(tombstones.maxt(i));
            prevRef = tombstones.ref(i);
        }
        return pack(out);
    }

    /** Encodes an EXEMPLARS record. */
    public ByteBuffer encode(ExemplarBatch exemplars, RecordBuffer out) {
        out.clear();
        out.putByte(RecordType.EXEMPLARS.code());
        out.putUvarint(exemplars.size());
        long prevRef = 0;
        long prevT = 0;
        for (int i = 0; i < exemplars.size(); i++) {
            out.putVarint(exemplars.ref(i) - prevRef);
            out.putVarint(exemplars.timestamp(i) - prevT);
            out.putDouble(exemplars.value(i));
            putLabels(out, exemplars.labels(i));
            prevRef = exemplars.ref(i);
            prevT = exemplars.timestamp(i);
        }
        return pack(out);
    }

    /** Encodes a METADATA record. */
    public ByteBuffer encode(MetadataBatch metadata, RecordBuffer out) {
        out.clear();
        out.putByte(RecordType.METADATA.code());
        out.putUvarint(metadata.size());
        long prevRef = 0;
        for (int i = 0; i < metadata.size(); i++) {
            out.putVarint(metadata.ref(i) - prevRef);
            out.putByte(metadata.type(i).wireValue());
            out.putString(metadata.unit(i));
            out.putString(metadata.help(i));
            prevRef = metadata.ref(i);
        }
        return pack(out);
    }

    /**
     * Encodes a HISTOGRAM_SAMPLES record if every histogram has integer counts, or a
     * FLOAT_HISTOGRAM_SAMPLES record if every one has float counts; when every one has custom
     * buckets (schema -53), the CUSTOM_BUCKETS_ variant of that type, whose entries carry their
     * bounds.
     *
     * @throws IllegalArgumentException the batch mixes integer and float counts, or custom-bucket
     *     and exponential histograms, or is empty (its type would be undecidable; don't write
     *     empty records)
     */
    public ByteBuffer encode(HistogramBatch histograms, RecordBuffer out) {
        if (histograms.size() == 0) {
            throw new IllegalArgumentException("an empty histogram batch has no record type");
        }
        boolean floats = histograms.histogram(0).isFloatHistogram();
        boolean custom = histograms.histogram(0).usesCustomBuckets();
        for (int i = 1; i < histograms.size(); i++) {
            if (histograms.histogram(i).isFloatHistogram() != floats) {
                throw new IllegalArgumentException("a histogram record holds integer or float histograms, not both;"
                        + " entry " + i + " differs from entry 0");
            }
            if (histograms.histogram(i).usesCustomBuckets() != custom) {
                throw new IllegalArgumentException("a histogram record holds custom-bucket or exponential histograms,"
                        + " not both; entry " + i + " differs from entry 0");
            }
        }
        out.clear();
        out.putByte(histogramType(floats, custom).code());
        out.putUvarint(histograms.size());
        long prevRef = 0;
        long prevT = 0;
        for (int i = 0; i < histograms.size(); i++) {
            NativeHistogram h = histograms.histogram(i);
            out.putVarint(histograms.ref(i) - prevRef);
            out.putVarint(h.timestampMillis() - prevT);
            putHistogram(out, h);
            if (custom) {
                putDoubles(out, h.customValues());
            }
            prevRef = histograms.ref(i);
            prevT = h.timestampMillis();
        }
        return pack(out);
    }

    private static RecordType histogramType(boolean floats, boolean custom) {
        if (custom) {
            return floats ? RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES : RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES;
        }
        return floats ? RecordType.FLOAT_HISTOGRAM_SAMPLES : RecordType.HISTOGRAM_SAMPLES;
    }

    private static void putLabels(RecordBuffer out, Labels labels) {
        out.putUvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            out.putString(labels.name(i));
            out.putString(labels.value(i));
        }
    }

    private static void putHistogram(RecordBuffer out, NativeHistogram h) {
        boolean floats = h.isFloatHistogram();
        out.putByte(h.resetHint().wireValue());
        out.putVarint(h.schema());
        out.putDouble(h.zeroThreshold());
        if (floats) {
            out.putDouble(h.zeroCountFloat());
            out.putDouble(h.countFloat());
        } else {
            out.putUvarint(h.zeroCount());
            out.putUvarint(h.count());
        }
        out.putDouble(h.sum());
        putSpans(out, h.positiveSpans());
        if (floats) {
            putDoubles(out, h.positiveCounts());
        } else {
            putDeltas(out, h.positiveDeltas());
        }
        putSpans(out, h.negativeSpans());
        if (floats) {
            putDoubles(out, h.negativeCounts());
        } else {
            putDeltas(out, h.negativeDeltas());
        }
    }

    private static void putSpans(RecordBuffer out, List<BucketSpan> spans) {
        out.putUvarint(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            BucketSpan s = spans.get(i);
            out.putVarint(s.offset());
            out.putUvarint(s.length());
        }
    }

    private static void putDeltas(RecordBuffer out, long[] deltas) {
        out.putUvarint(deltas.length);
        for (long d : deltas) {
            out.putVarint(d);
        }
    }

    private static void putDoubles(RecordBuffer out, double[] counts) {
        out.putUvarint(counts.length);
        for (double c : counts) {
            out.putDouble(c);
        }
    }

    /**
     * The record in {@code out}, compressed in place when that makes it at least an eighth smaller:
     * first byte type | {@link RecordType#COMPRESSED}, uvarint length of the rest, then the rest in
     * snappy's block format.
     */
    private ByteBuffer pack(RecordBuffer out) {
        int size = out.size();
        if (!compress || size < COMPRESS_FROM_BYTES) {
            return out.buffer();
        }
        byte[] raw = out.array();
        int payload = size - 1;
        packed.clear();
        packed.putByte((raw[0] & 0xFF) | RecordType.COMPRESSED);
        packed.putUvarint(payload);
        int at = packed.size();
        packed.reserve(Snappy.maxCompressedLength(payload));
        int n;
        try {
            n = Snappy.rawCompress(raw, 1, payload, packed.array(), at);
        } catch (IOException e) {
            return out.buffer(); // the uncompressed record is as good, only larger
        }
        if (at + n > size - size / 8) {
            return out.buffer();
        }
        packed.advance(n);
        out.clear();
        out.putBytes(packed.array(), 0, packed.size());
        return out.buffer();
    }

    /** The record to read: itself, or its decompressed form (type byte first) when compressed. */
    private ByteBuffer unpack(ByteBuffer record) {
        int first = record.get(record.position()) & 0xFF;
        if ((first & RecordType.COMPRESSED) == 0) {
            return record;
        }
        in.reset(record).getByte();
        long size = in.getUvarint();
        if (size > MAX_RECORD_BYTES) {
            throw new MalformedRecordException("compressed record claims " + size + " bytes");
        }
        int len = record.remaining();
        byte[] src;
        int off;
        if (record.hasArray()) {
            src = record.array();
            off = record.arrayOffset() + record.position();
        } else {
            if (source.length < len) {
                source = new byte[Math.max(len, 2 * source.length)];
            }
            record.get(record.position(), source, 0, len);
            src = source;
            off = 0;
        }
        if (unpacked.length < size + 1) {
            unpacked = new byte[(int) Math.max(size + 1, 2L * unpacked.length)];
            unpackedView = ByteBuffer.wrap(unpacked);
        }
        unpacked[0] = (byte) (first & ~RecordType.COMPRESSED);
        try {
            if (!Snappy.isValidCompressedBuffer(src, off, len)
                    || Snappy.uncompressedLength(src, off, len) != size) {
                throw new MalformedRecordException("compressed record does not decompress to the " + size
                        + " bytes it states (cut short, damaged, or bytes left over)");
            }
            Snappy.rawUncompress(src, off, len, unpacked, 1);
        } catch (IOException e) {
            throw new MalformedRecordException("compressed record cannot be decompressed: " + e.getMessage());
        }
        record.position(record.limit());
        return unpackedView.clear().limit((int) size + 1);
    }

    // ---- decoding ----

    /** Decodes a SERIES record into {@code into} (cleared first). */
    public SeriesBatch decode(ByteBuffer record, SeriesBatch into) {
        start(record, RecordType.SERIES);
        into.clear();
        int n = in.getCount(2);
        long ref = 0;
        for (int i = 0; i < n; i++) {
            ref += in.getVarint();
            into.add(ref, getLabels());
        }
        finish();
        return into;
    }

    /** Decodes a SAMPLES record into {@code into} (cleared first). */
    public SampleBatch decode(ByteBuffer record, SampleBatch into) {
        start(record, RecordType.SAMPLES);
        into.clear();
        int n = in.getCount(10);
        long ref = 0;
        long t = 0;
        for (int i = 0; i < n; i++) {
            ref += in.getVarint();
            t += in.getVarint();
            into.add(ref, t, in.getDouble());
        }
        finish();
        return into;
    }

    /** Decodes a TOMBSTONES record into {@code into} (cleared first). */
    public TombstoneBatch decode(ByteBuffer record, TombstoneBatch into) {
        start(record, RecordType.TOMBSTONES);
        into.clear();
        int n = in.getCount(3);
        long ref = 0;
        for (int i = 0; i < n; i++) {
            ref += in.getVarint();
            long mint = in.getVarint();
            into.add(ref, mint, in.getVarint());
        }
        finish();
        return into;
    }

    /** Decodes an EXEMPLARS record into {@code into} (cleared first). */
    public ExemplarBatch decode(ByteBuffer record, ExemplarBatch into) {
        start(record, RecordType.EXEMPLARS);
        into.clear();
        int n = in.getCount(11);
        long ref = 0;
        long t = 0;
        for (int i = 0; i < n; i++) {
            ref += in.getVarint();
            t += in.getVarint();
            double v = in.getDouble();
            into.add(ref, t, v, getLabels());
        }
        finish();
        return into;
    }

    /** Decodes a METADATA record into {@code into} (cleared first). */
    public MetadataBatch decode(ByteBuffer record, MetadataBatch into) {
        start(record, RecordType.METADATA);
        into.clear();
        int n = in.getCount(4);
        long ref = 0;
        for (int i = 0; i < n; i++) {
            ref += in.getVarint();
            MetricType type = MetricType.fromWire(in.getByte());
            String unit = in.getString();
            into.add(ref, type, unit, in.getString());
        }
        finish();
        return into;
    }

    /** Decodes a record of any of the four histogram types into {@code into} (cleared first). */
    public HistogramBatch decode(ByteBuffer record, HistogramBatch into) {
        RecordType type = RecordType.of(record);
        if (!type.isHistogram()) {
            throw new MalformedRecordException("expected a histogram record, got " + type);
        }
        start(record, type);
        into.clear();
        boolean floats = type == RecordType.FLOAT_HISTOGRAM_SAMPLES
                || type == RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES;
        boolean custom = type == RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES
                || type == RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES;
        int n = in.getCount(1);
        long ref = 0;
        long t = 0;
        for (int i = 0; i < n; i++) {
            ref += in.getVarint();
            t += in.getVarint();
            into.add(ref, getHistogram(t, floats, custom));
        }
        finish();
        return into;
    }

    private void start(ByteBuffer record, RecordType expected) {
        RecordType type = RecordType.of(record);
        if (type != expected) {
            throw new MalformedRecordException("expected a " + expected + " record, got " + type);
        }
        in.reset(unpack(record)).getByte();
    }

    private void finish() {
        if (in.hasRemaining()) {
            throw new MalformedRecordException("bytes left over after the last entry");
        }
    }

    private Labels getLabels() {
        int n = in.getCount(2);
        if (n == 0) {
            return Labels.empty();
        }
        String[] pairs = new String[2 * n];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = in.getString();
        }
        return Labels.of(pairs);
    }

    private NativeHistogram getHistogram(long t, boolean floats, boolean custom) {
        NativeHistogram.ResetHint hint = NativeHistogram.ResetHint.fromWire(in.getByte());
        long schema = in.getVarint();
        if (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE) {
            throw new MalformedRecordException("histogram schema " + schema + " out of range");
        }
        double zeroThreshold = in.getDouble();
        try {
            if (floats) {
                double zeroCount = in.getDouble();
                double count = in.getDouble();
                double sum = in.getDouble();
                List<BucketSpan> posSpans = getSpans();
                double[] pos = getDoubles();
                List<BucketSpan> negSpans = getSpans();
                double[] neg = getDoubles();
                double[] bounds = custom ? getDoubles() : null;
                return NativeHistogram.ofFloats(t, (int) schema, zeroThreshold, zeroCount, count, sum, posSpans, pos,
                        negSpans, neg, hint, bounds);
            }
            long zeroCount = in.getUvarint();
            long count = in.getUvarint();
            double sum = in.getDouble();
            List<BucketSpan> posSpans = getSpans();
            long[] pos = getDeltas();
            List<BucketSpan> negSpans = getSpans();
            long[] neg = getDeltas();
            double[] bounds = custom ? getDoubles() : null;
            return NativeHistogram.ofIntegers(t, (int) schema, zeroThreshold, zeroCount, count, sum, posSpans, pos,
                    negSpans, neg, hint, bounds);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("invalid histogram: " + e.getMessage());
        }
    }

    private List<BucketSpan> getSpans() {
        int k = in.getCount(2);
        List<BucketSpan> spans = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            long offset = in.getVarint();
            long length = in.getUvarint();
            if (offset != (int) offset || length > Integer.MAX_VALUE) {
                throw new MalformedRecordException("bucket span out of range");
            }
            spans.add(new BucketSpan((int) offset, (int) length));
        }
        return spans;
    }

    private long[] getDeltas() {
        long[] d = new long[in.getCount(1)];
        for (int i = 0; i < d.length; i++) {
            d[i] = in.getVarint();
        }
        return d;
    }

    private double[] getDoubles() {
        double[] d = new double[in.getCount(8)];
        for (int i = 0; i < d.length; i++) {
            d[i] = in.getDouble();
        }
        return d;
    }
}
