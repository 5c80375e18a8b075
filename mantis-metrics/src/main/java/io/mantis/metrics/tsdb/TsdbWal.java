package io.mantis.metrics.tsdb;

import io.mantis.common.wal.WalCorruptionException;
import io.mantis.common.wal.WriteAheadLog;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.head.Head;
import io.mantis.metrics.tsdb.head.HeadLog;
import io.mantis.metrics.tsdb.head.PendingWrite;
import io.mantis.metrics.tsdb.record.ExemplarBatch;
import io.mantis.metrics.tsdb.record.HistogramBatch;
import io.mantis.metrics.tsdb.record.MetadataBatch;
import io.mantis.metrics.tsdb.record.RecordBuffer;
import io.mantis.metrics.tsdb.record.RecordCodec;
import io.mantis.metrics.tsdb.record.RecordType;
import io.mantis.metrics.tsdb.record.SampleBatch;
import io.mantis.metrics.tsdb.record.SeriesBatch;
import io.mantis.otlp.prometheus.NativeHistogram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's log: encodes each commit as WAL records (series, samples, histograms, exemplars,
 * metadata; docs/format/wal.md) appended as one batch, and replays them into a head on start-up.
 */
final class TsdbWal implements HeadLog {

    private static final Logger log = LoggerFactory.getLogger(TsdbWal.class);

    private final WriteAheadLog wal;

    /** Per-thread encoding state: the batches and one buffer per record of a commit. */
    private static final class Encoder {
        final RecordCodec codec = new RecordCodec();
        final SeriesBatch series = new SeriesBatch();
        final SampleBatch samples = new SampleBatch();
        final HistogramBatch intHistograms = new HistogramBatch();
        final HistogramBatch floatHistograms = new HistogramBatch();
        final HistogramBatch intCustomHistograms = new HistogramBatch();
        final HistogramBatch floatCustomHistograms = new HistogramBatch();
        final ExemplarBatch exemplars = new ExemplarBatch();
        final MetadataBatch metadata = new MetadataBatch();
        // series, samples, four histogram kinds, exemplars, metadata
        final RecordBuffer[] buffers = new RecordBuffer[8];
        final ByteBuffer[] out = new ByteBuffer[8];

        Encoder() {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new RecordBuffer();
            }
        }
    }

    private final ThreadLocal<Encoder> encoders = ThreadLocal.withInitial(Encoder::new);

    TsdbWal(WriteAheadLog wal) {
        this.wal = wal;
    }

    @Override
    public void write(PendingWrite w) throws IOException {
        Encoder e = encoders.get();
        int n = 0;
        if (w.seriesCount() > 0) {
            e.series.clear();
            for (int i = 0; i < w.seriesCount(); i++) {
                e.series.add(w.seriesRef(i), w.seriesLabels(i));
            }
            e.out[n] = e.codec.encode(e.series, e.buffers[n]);
            n++;
        }
        if (w.floatCount() > 0) {
            e.samples.clear();
            for (int i = 0; i < w.floatCount(); i++) {
                e.samples.add(w.floatRef(i), w.floatTimestamp(i), w.floatValue(i));
            }
            e.out[n] = e.codec.encode(e.samples, e.buffers[n]);
            n++;
        }
        if (w.histogramCount() > 0) {
            e.intHistograms.clear();
            e.floatHistograms.clear();
            e.intCustomHistograms.clear();
            e.floatCustomHistograms.clear();
            for (int i = 0; i < w.histogramCount(); i++) {
                NativeHistogram nh = toNative(w.histogramTimestamp(i), w.histogram(i));
                HistogramBatch into = nh.usesCustomBuckets()
                        ? (nh.isFloatHistogram() ? e.floatCustomHistograms : e.intCustomHistograms)
                        : (nh.isFloatHistogram() ? e.floatHistograms : e.intHistograms);
                into.add(w.histogramRef(i), nh);
            }
            n = encodeIfAny(e, e.intHistograms, n);
            n = encodeIfAny(e, e.floatHistograms, n);
            n = encodeIfAny(e, e.intCustomHistograms, n);
            n = encodeIfAny(e, e.floatCustomHistograms, n);
        }
        if (w.exemplarCount() > 0) {
            e.exemplars.clear();
            for (int i = 0; i < w.exemplarCount(); i++) {
                e.exemplars.add(w.exemplarRef(i), w.exemplarTimestamp(i), w.exemplarValue(i), w.exemplarLabels(i));
            }
            e.out[n] = e.codec.encode(e.exemplars, e.buffers[n]);
            n++;
        }
        if (w.metadataCount() > 0) {
            e.metadata.clear();
            for (int i = 0; i < w.metadataCount(); i++) {
                e.metadata.add(w.metadataRef(i), w.metadataType(i), w.metadataUnit(i), w.metadataHelp(i));
            }
            e.out[n] = e.codec.encode(e.metadata, e.buffers[n]);
            n++;
        }
        if (n > 0) {
            wal.append(java.util.Arrays.copyOf(e.out, n));
        }
    }

    private static int encodeIfAny(Encoder e, HistogramBatch b, int n) {
        if (b.size() == 0) {
            return n;
        }
        e.out[n] = e.codec.encode(b, e.buffers[n]);
        return n + 1;
    }

    @Override
    public void writeTombstones(long[] refs, int count, long mint, long maxt) throws IOException {
        Encoder e = encoders.get();
        io.mantis.metrics.tsdb.record.TombstoneBatch batch = new io.mantis.metrics.tsdb.record.TombstoneBatch();
        for (int i = 0; i < count; i++) {
            batch.add(refs[i], mint, maxt);
        }
        wal.append(e.codec.encode(batch, e.buffers[0]));
    }

    /** The WAL's histogram records hold remote-write histograms; integer counts become deltas. */
    static NativeHistogram toNative(long t, FloatHistogram h) {
        NativeHistogram.ResetHint hint = switch (h.counterResetHint()) {
            case RESET -> NativeHistogram.ResetHint.YES;
            case NOT_RESET -> NativeHistogram.ResetHint.NO;
            case GAUGE -> NativeHistogram.ResetHint.GAUGE;
            default -> NativeHistogram.ResetHint.UNKNOWN;
        };
        List<NativeHistogram.BucketSpan> pos = spans(h.positive());
        List<NativeHistogram.BucketSpan> neg = spans(h.negative());
        double[] bounds = new double[h.customBoundCount()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = h.customBound(i);
        }
        if (h.hasIntegerCounts()) {
            return NativeHistogram.ofIntegers(t, h.schema(), h.zeroThreshold(), (long) h.zeroCount(), (long) h.count(),
                    h.sum(), pos, deltas(h.positive()), neg, deltas(h.negative()), hint, bounds);
        }
        return NativeHistogram.ofFloats(t, h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(),
                pos, counts(h.positive()), neg, counts(h.negative()), hint, bounds);
    }

    private static List<NativeHistogram.BucketSpan> spans(FloatHistogram.Buckets b) {
        List<NativeHistogram.BucketSpan> out = new ArrayList<>(b.spanCount());
        for (int i = 0; i < b.spanCount(); i++) {
            out.add(new NativeHistogram.BucketSpan(b.spanOffset(i), b.spanLength(i)));
        }
        return out;
    }

    private static long[] deltas(FloatHistogram.Buckets b) {
        long[] out = new long[b.bucketCount()];
        long prev = 0;
        for (int i = 0; i < out.length; i++) {
            long c = (long) b.count(i);
            out[i] = c - prev;
            prev = c;
        }
        return out;
    }

    private static double[] counts(FloatHistogram.Buckets b) {
        double[] out = new double[b.bucketCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.count(i);
        }
        return out;
    }

    /**
     * The filter of a WAL checkpoint: records of series the head no longer has, and samples,
     * exemplars and deletions older than {@code keepFrom} (they are in blocks now), are dropped;
     * a record that loses only part of its entries is rewritten.
     */
    io.mantis.common.wal.RecordFilter checkpointFilter(Head head, long keepFrom) {
        RecordCodec codec = new RecordCodec();
        RecordBuffer out = new RecordBuffer();
        SeriesBatch series = new SeriesBatch();
        SeriesBatch keptSeries = new SeriesBatch();
        SampleBatch samples = new SampleBatch();
        SampleBatch keptSamples = new SampleBatch();
        HistogramBatch histograms = new HistogramBatch();
        HistogramBatch keptHistograms = new HistogramBatch();
        ExemplarBatch exemplars = new ExemplarBatch();
        ExemplarBatch keptExemplars = new ExemplarBatch();
        MetadataBatch metadata = new MetadataBatch();
        MetadataBatch keptMetadata = new MetadataBatch();
        io.mantis.metrics.tsdb.record.TombstoneBatch tombstones = new io.mantis.metrics.tsdb.record.TombstoneBatch();
        io.mantis.metrics.tsdb.record.TombstoneBatch keptTombstones = new io.mantis.metrics.tsdb.record.TombstoneBatch();
        return record -> {
            ByteBuffer original = record.duplicate();
            switch (RecordType.of(record)) {
                case SERIES -> {
                    codec.decode(record, series);
                    keptSeries.clear();
                    for (int i = 0; i < series.size(); i++) {
                        if (head.hasSeries(series.ref(i))) {
                            keptSeries.add(series.ref(i), series.labels(i));
                        }
                    }
                    return pick(original, series.size(), keptSeries.size(), () -> codec.encode(keptSeries, out));
                }
                case SAMPLES -> {
                    codec.decode(record, samples);
                    keptSamples.clear();
                    for (int i = 0; i < samples.size(); i++) {
                        if (samples.timestamp(i) >= keepFrom && head.hasSeries(samples.ref(i))) {
                            keptSamples.add(samples.ref(i), samples.timestamp(i), samples.value(i));
                        }
                    }
                    return pick(original, samples.size(), keptSamples.size(), () -> codec.encode(keptSamples, out));
                }
                case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                        CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES -> {
                    codec.decode(record, histograms);
                    keptHistograms.clear();
                    for (int i = 0; i < histograms.size(); i++) {
                        NativeHistogram h = histograms.histogram(i);
                        if (h.timestampMillis() >= keepFrom && head.hasSeries(histograms.ref(i))) {
                            keptHistograms.add(histograms.ref(i), h);
                        }
                    }
                    return pick(original, histograms.size(), keptHistograms.size(),
                            () -> codec.encode(keptHistograms, out));
                }
                case EXEMPLARS -> {
                    codec.decode(record, exemplars);
                    keptExemplars.clear();
                    for (int i = 0; i < exemplars.size(); i++) {
                        if (exemplars.timestamp(i) >= keepFrom && head.hasSeries(exemplars.ref(i))) {
                            keptExemplars.add(exemplars.ref(i), exemplars.timestamp(i), exemplars.value(i),
                                    exemplars.labels(i));
                        }
                    }
                    return pick(original, exemplars.size(), keptExemplars.size(),
                            () -> codec.encode(keptExemplars, out));
                }
                case METADATA -> {
                    codec.decode(record, metadata);
                    keptMetadata.clear();
                    for (int i = 0; i < metadata.size(); i++) {
                        if (head.hasSeries(metadata.ref(i))) {
                            keptMetadata.add(metadata.ref(i), metadata.type(i), metadata.unit(i), metadata.help(i));
                        }
                    }
                    return pick(original, metadata.size(), keptMetadata.size(), () -> codec.encode(keptMetadata, out));
                }
                case TOMBSTONES -> {
                    codec.decode(record, tombstones);
                    keptTombstones.clear();
                    for (int i = 0; i < tombstones.size(); i++) {
                        if (tombstones.maxt(i) >= keepFrom && head.hasSeries(tombstones.ref(i))) {
                            keptTombstones.add(tombstones.ref(i), tombstones.mint(i), tombstones.maxt(i));
                        }
                    }
                    return pick(original, tombstones.size(), keptTombstones.size(),
                            () -> codec.encode(keptTombstones, out));
                }
                default -> {
                    return original;
                }
            }
        };
    }

    private static ByteBuffer pick(ByteBuffer original, int had, int kept, java.util.function.Supplier<ByteBuffer> rewrite) {
        if (kept == 0) {
            return null;
        }
        return kept == had ? original : rewrite.get();
    }

    /** What a replay restored. */
    record ReplayStats(long series, long samples, long histograms, long corruptions) {
    }

    /**
     * Replays the WAL into {@code head}. Damage before the tail (the tail itself the WAL repairs
     * silently) is repaired as Prometheus does: the log is cut at the damage, later segments are
     * dropped, and what was read before it is kept; the loss is logged at ERROR by the WAL.
     */
    ReplayStats replay(Head head) throws IOException {
        RecordCodec codec = new RecordCodec();
        SeriesBatch series = new SeriesBatch();
        SampleBatch samples = new SampleBatch();
        HistogramBatch histograms = new HistogramBatch();
        ExemplarBatch exemplars = new ExemplarBatch();
        MetadataBatch metadata = new MetadataBatch();
        io.mantis.metrics.tsdb.record.TombstoneBatch tombstones = new io.mantis.metrics.tsdb.record.TombstoneBatch();
        FloatHistogram fh = new FloatHistogram();
        long[] counts = new long[3];
        long corruptions = 0;
        try {
            wal.replay((record, segment) -> {
                RecordType type = RecordType.of(record);
                switch (type) {
                    case SERIES -> {
                        codec.decode(record, series);
                        for (int i = 0; i < series.size(); i++) {
                            head.replaySeries(series.ref(i), series.labels(i));
                        }
                        counts[0] += series.size();
                    }
                    case SAMPLES -> {
                        codec.decode(record, samples);
                        for (int i = 0; i < samples.size(); i++) {
                            head.replayFloat(samples.ref(i), samples.timestamp(i), samples.value(i));
                        }
                        counts[1] += samples.size();
                    }
                    case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                            CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES -> {
                        codec.decode(record, histograms);
                        for (int i = 0; i < histograms.size(); i++) {
                            NativeHistogram nh = histograms.histogram(i);
                            fh.setFrom(nh);
                            head.replayHistogram(histograms.ref(i), nh.timestampMillis(), fh);
                        }
                        counts[2] += histograms.size();
                    }
                    case EXEMPLARS -> {
                        codec.decode(record, exemplars);
                        for (int i = 0; i < exemplars.size(); i++) {
                            head.replayExemplar(exemplars.ref(i), exemplars.labels(i), exemplars.value(i),
                                    exemplars.timestamp(i));
                        }
                    }
                    case METADATA -> {
                        codec.decode(record, metadata);
                        for (int i = 0; i < metadata.size(); i++) {
                            head.replayMetadata(metadata.ref(i), metadata.type(i), metadata.unit(i), metadata.help(i));
                        }
                    }
                    case TOMBSTONES -> {
                        codec.decode(record, tombstones);
                        for (int i = 0; i < tombstones.size(); i++) {
                            head.replayTombstone(tombstones.ref(i), tombstones.mint(i), tombstones.maxt(i));
                        }
                    }
                }
            });
        } catch (WalCorruptionException e) {
            corruptions++;
            log.error("metrics store: the WAL is damaged at {} offset {} ({}); repairing: everything after it is lost",
                    e.file(), e.offset(), e.reason());
            wal.repair(e);
        }
        return new ReplayStats(counts[0], counts[1], counts[2], corruptions);
    }
}
