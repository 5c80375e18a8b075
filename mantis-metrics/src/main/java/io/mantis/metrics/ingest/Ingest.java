package io.mantis.metrics.ingest;

import io.mantis.common.metrics.CounterFamily;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.PrometheusTranslator;
import io.mantis.otlp.prometheus.RemoteWriteDecoder;
import io.mantis.otlp.prometheus.RemoteWriteRequest;
import io.mantis.otlp.prometheus.TranslationSettings;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Every way metrics enter the store: remote write, OTLP over HTTP and the collector's in-process
 * exporter. All three become {@link io.mantis.otlp.prometheus.SeriesSink} calls on one
 * {@link AppendingSink}, so validation, refusals and counting are the same whichever way data came.
 *
 * <p>Concurrent writes are bounded: past {@code maxConcurrentWrites} a write is refused with
 * {@link OverloadedException} (answered 429 / RESOURCE_EXHAUSTED with a retry hint) instead of
 * queueing without limit.
 */
public final class Ingest {

    /** The store is busy; the client should retry after the hint. */
    public static final class OverloadedException extends Exception {
        private final long retryAfterSeconds;

        public OverloadedException(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** Outcome of an OTLP write, in OTLP's partial-success terms. */
    public record OtlpResult(long rejectedDataPoints, String message) {
    }

    /** The body could not be read; answered 400 and nothing of it is stored. */
    public static final class MalformedRequestException extends Exception {
        public MalformedRequestException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int MAX_POOLED_BUFFER = 16 * 1024 * 1024;

    private final Tsdb tsdb;
    private final RemoteWriteDecoder decoder;
    private final RawSeriesRefs rawRefs = new RawSeriesRefs();
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> buffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final PrometheusTranslator translator;
    private final Semaphore writes;
    private final CounterFamily samplesIn;
    private final CounterFamily refused;
    private final io.mantis.common.metrics.Counter rawLookups;
    private final io.mantis.common.metrics.Counter decodedLookups;

    public Ingest(Tsdb tsdb, TranslationSettings settings, int maxConcurrentWrites, MetricRegistry registry) {
        this(tsdb, settings, maxConcurrentWrites, RemoteWriteDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, registry);
    }

    /** @param maxUncompressedBytes the largest remote-write body accepted, uncompressed */
    public Ingest(Tsdb tsdb, TranslationSettings settings, int maxConcurrentWrites, int maxUncompressedBytes,
            MetricRegistry registry) {
        this.tsdb = tsdb;
        this.decoder = new RemoteWriteDecoder(maxUncompressedBytes);
        this.translator = new PrometheusTranslator(settings);
        this.writes = new Semaphore(maxConcurrentWrites);
        this.samplesIn = registry.counter("mantis_tsdb_ingested_samples",
                "Samples, histograms and exemplars stored, by protocol and kind.", "protocol", "kind");
        CounterFamily lookups = registry.counter("mantis_tsdb_remote_write_series",
                "Remote-write series by how their head series was found: raw (by the bytes of their labels)"
                        + " or decoded (new, unusual or carrying histograms, exemplars or metadata).", "lookup");
        this.rawLookups = lookups.labels("raw");
        this.decodedLookups = lookups.labels("decoded");
        this.refused = registry.counter("mantis_tsdb_refused_samples",
                "Samples, histograms and exemplars refused, by protocol and reason.", "protocol", "reason");
    }

    /**
     * Stores a snappy-compressed remote-write 1.0 body. Known series are found by the raw bytes of
     * their labels ({@link RawSeriesRefs}) and their samples appended straight from the buffer,
     * so the steady state builds no label strings and no request objects; new series, histograms,
     * exemplars, metadata and anything unusual go through the full decoder.
     *
     * @throws MalformedRequestException when the body cannot be read (nothing is stored)
     */
    public IngestErrors remoteWrite(byte[] body, int offset, int length)
            throws IOException, OverloadedException, MalformedRequestException {
        acquire();
        byte[] buf = null;
        try {
            int size;
            try {
                size = decoder.uncompressedLength(body, offset, length);
                buf = borrow(size);
                size = decoder.uncompressInto(body, offset, length, buf);
            } catch (IOException e) {
                throw new MalformedRequestException(e.getMessage());
            }
            if (hasMetadata(buf, size)) {
                RemoteWriteRequest decoded;
                try {
                    decoded = decoder.decode(buf, 0, size);
                } catch (IOException e) {
                    throw new MalformedRequestException(e.getMessage());
                }
                return append(decoded);
            }
            Appender app = tsdb.appender();
            AppendingSink sink = new AppendingSink(app);
            int raw = 0;
            int decoded = 0;
            try {
                WireScan top = new WireScan(buf, 0, size);
                while (top.hasMore()) {
                    long tag = top.varint();
                    if ((tag & 7) == WireScan.LEN && (tag >>> 3) == 1) {
                        int len = top.length();
                        if (series(sink, buf, top.pos, top.pos + len)) {
                            raw++;
                        } else {
                            decoded++;
                        }
                        top.pos += len;
                    } else {
                        top.skip((int) (tag & 7));
                    }
                }
            } catch (IOException e) {
                app.rollback();
                throw new MalformedRequestException(e.getMessage());
            }
            commit(app);
            count("remote_write", sink);
            rawLookups.inc(raw);
            decodedLookups.inc(decoded);
            return sink.errors();
        } finally {
            giveBack(buf);
            writes.release();
        }
    }

    /** One {@code TimeSeries} message in {@code b[from, to)}; whether its labels' bytes found it. */
    private boolean series(AppendingSink sink, byte[] b, int from, int to) throws IOException {
        WireScan s = new WireScan(b, from, to);
        int labelsFrom = -1;
        int labelsTo = -1;
        boolean simple = true;
        while (s.hasMore()) {
            int at = s.pos;
            long tag = s.varint();
            int field = (int) (tag >>> 3);
            if ((tag & 7) != WireScan.LEN) {
                s.skip((int) (tag & 7));
                continue;
            }
            int len = s.length();
            s.pos += len;
            if (field == 1) {
                if (labelsFrom < 0) {
                    labelsFrom = at;
                } else if (labelsTo != at) {
                    simple = false;
                }
                labelsTo = s.pos;
            } else if (field != 2) {
                simple = false;
            }
        }
        long hash = 0;
        if (simple && labelsFrom >= 0) {
            hash = WireScan.hash(b, labelsFrom, labelsTo);
            long ref = rawRefs.get(hash);
            Labels known = ref == 0 ? null : tsdb.head().seriesLabels(ref);
            if (known != null && WireScan.sameLabels(b, labelsFrom, labelsTo, known)) {
                sink.series(ref, known);
                samples(sink, b, from, to);
                return true;
            }
        }
        append(sink, decoder.decodeSeries(b, from, to - from));
        if (simple && sink.ref() != 0) {
            Labels stored = tsdb.head().seriesLabels(sink.ref());
            if (stored != null && WireScan.sameLabels(b, labelsFrom, labelsTo, stored)) {
                if (rawRefs.size() > 2 * tsdb.head().numSeries() + 65_536) {
                    // Series that left the head keep their entries; start over rather than scan.
                    rawRefs.clear();
                }
                rawRefs.put(hash, sink.ref());
            }
        }
        return false;
    }

    /** The {@code Sample} fields of a {@code TimeSeries} in {@code b[from, to)}, appended in order. */
    private static void samples(AppendingSink sink, byte[] b, int from, int to) throws IOException {
        WireScan s = new WireScan(b, from, to);
        while (s.hasMore()) {
            long tag = s.varint();
            if (tag != ((2 << 3) | WireScan.LEN)) {
                s.skip((int) (tag & 7));
                continue;
            }
            int len = s.length();
            int end = s.pos + len;
            double value = 0;
            long t = 0;
            while (s.pos < end) {
                long ft = s.varint();
                if (ft == ((1 << 3) | WireScan.FIXED64)) {
                    value = s.fixed64Double();
                } else if (ft == ((2 << 3) | WireScan.VARINT)) {
                    t = s.varint();
                } else {
                    s.skip((int) (ft & 7));
                }
            }
            if (s.pos != end) {
                throw new IOException("malformed sample in the write request");
            }
            sink.sample(t, value);
        }
    }

    /** Whether the request carries metadata (field 3): such requests take the full decoder. */
    private static boolean hasMetadata(byte[] b, int size) throws MalformedRequestException {
        WireScan s = new WireScan(b, 0, size);
        try {
            while (s.hasMore()) {
                long tag = s.varint();
                if ((tag >>> 3) == 3) {
                    return true;
                }
                s.skip((int) (tag & 7));
            }
            return false;
        } catch (IOException e) {
            throw new MalformedRequestException(e.getMessage());
        }
    }

    private byte[] borrow(int size) {
        byte[] b = buffers.poll();
        if (b == null || b.length < size) {
            return new byte[Math.max(size, 64 * 1024)];
        }
        return b;
    }

    private void giveBack(byte[] b) {
        // Oversized one-off buffers are dropped, so the pool never pins more than a few typical bodies.
        if (b != null && b.length <= MAX_POOLED_BUFFER) {
            buffers.offer(b);
        }
    }

    int rawRefCount() {
        return rawRefs.size();
    }

    /** The reference remembered for a series' label bytes (tests). */
    long rawRefFor(byte[] labelFields) {
        return rawRefs.get(WireScan.hash(labelFields, 0, labelFields.length));
    }

    void rememberRawRef(byte[] labelFields, long ref) {
        rawRefs.put(WireScan.hash(labelFields, 0, labelFields.length), ref);
    }

    public IngestErrors remoteWrite(RemoteWriteRequest request) throws IOException, OverloadedException {
        acquire();
        try {
            return append(request);
        } finally {
            writes.release();
        }
    }

    private IngestErrors append(RemoteWriteRequest request) throws IOException {
        Appender app = tsdb.appender();
        AppendingSink sink = new AppendingSink(app);
        for (RemoteWriteRequest.MetricMetadata m : request.metadata()) {
            sink.metadata(m.familyName(), m.type(), m.unit(), m.help());
        }
        for (RemoteWriteRequest.TimeSeries ts : request.timeseries()) {
            append(sink, ts);
        }
        commit(app);
        count("remote_write", sink);
        return sink.errors();
    }

    private static void append(AppendingSink sink, RemoteWriteRequest.TimeSeries ts) {
        sink.series(ts.labels());
        for (RemoteWriteRequest.Sample s : ts.samples()) {
            sink.sample(s.timestampMillis(), s.value());
        }
        for (io.mantis.otlp.prometheus.NativeHistogram h : ts.histograms()) {
            sink.histogram(h);
        }
        for (RemoteWriteRequest.Exemplar e : ts.exemplars()) {
            sink.exemplar(e.labels(), e.value(), e.timestampMillis());
        }
    }

    public OtlpResult otlp(ExportMetricsServiceRequest request) throws IOException, OverloadedException {
        acquire();
        try {
            Appender app = tsdb.appender();
            AppendingSink sink = new AppendingSink(app);
            translator.translate(request, sink);
            commit(app);
            count("otlp", sink);
            IngestErrors errors = sink.errors();
            long rejected = errors.refusedCount() + sink.untranslatable();
            String message = errors.isEmpty() ? "" : errors.message();
            if (sink.untranslatable() > 0) {
                refused.labels(protocol(), "untranslatable").inc(sink.untranslatable());
                String dropped = sink.untranslatable() + " metrics or data points could not be translated, first "
                        + sink.firstUntranslatable();
                message = message.isEmpty() ? dropped : message + "\n" + dropped;
            }
            return new OtlpResult(rejected, message);
        } finally {
            writes.release();
        }
    }

    private static String protocol() {
        return "otlp";
    }

    private void acquire() throws OverloadedException {
        if (!writes.tryAcquire()) {
            refused.labels("any", "overloaded").inc();
            throw new OverloadedException("too many concurrent writes to the metrics store; retry later", 1);
        }
    }

    private static void commit(Appender app) throws IOException {
        try {
            app.commit();
        } catch (IOException | RuntimeException e) {
            app.rollback();
            throw e;
        }
    }

    private void count(String protocol, AppendingSink sink) {
        samplesIn.labels(protocol, "float").inc(sink.samples());
        samplesIn.labels(protocol, "histogram").inc(sink.histograms());
        samplesIn.labels(protocol, "exemplar").inc(sink.exemplars());
        IngestErrors e = sink.errors();
        for (Map.Entry<AppendException.Kind, Integer> k : e.countsByKind().entrySet()) {
            refused.labels(protocol, k.getKey().name().toLowerCase(java.util.Locale.ROOT)).inc(k.getValue());
        }
        if (e.invalidSeriesCount() > 0) {
            refused.labels(protocol, "invalid_labels").inc(e.invalidSeriesCount());
        }
    }
}
