package io.mantis.metrics.tsdb.record;

import java.nio.ByteBuffer;

/** The first byte of every metrics-store WAL record (docs/format/wal.md, "Metrics store records"). */
public enum RecordType {
    SERIES(1),
    SAMPLES(2),
    TOMBSTONES(3),
    EXEMPLARS(4),
    METADATA(6),
    HISTOGRAM_SAMPLES(7),
    FLOAT_HISTOGRAM_SAMPLES(8),
    /** HISTOGRAM_SAMPLES whose entries all have custom buckets (schema -53) and carry their bounds. */
    CUSTOM_BUCKETS_HISTOGRAM_SAMPLES(9),
    /** FLOAT_HISTOGRAM_SAMPLES whose entries all have custom buckets and carry their bounds. */
    CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES(10);

    /** Set in the first byte when the rest of the record is snappy-compressed (docs/format/wal.md). */
    public static final int COMPRESSED = 0x80;

    private static final RecordType[] BY_CODE = new RecordType[11];

    static {
        for (RecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** Whether records of this type hold native histograms (any of the four kinds). */
    public boolean isHistogram() {
        return code >= 7 && code <= 10;
    }

    /** The byte that starts a record of this type. */
    public int code() {
        return code;
    }

    /** The type for a code, or null for a code this version does not know. */
    public static RecordType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * The type of {@code record} (its first byte, read without moving the position).
     *
     * @throws MalformedRecordException empty record or unknown type
     */
    public static RecordType of(ByteBuffer record) {
        if (!record.hasRemaining()) {
            throw new MalformedRecordException("empty record");
        }
        int code = record.get(record.position()) & 0xFF & ~COMPRESSED;
        RecordType t = fromCode(code);
        if (t == null) {
            throw new MalformedRecordException("unknown record type " + code);
        }
        return t;
    }
}
