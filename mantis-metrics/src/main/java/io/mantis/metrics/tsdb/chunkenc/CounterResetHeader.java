package io.mantis.metrics.tsdb.chunkenc;

/**
 * The two bits a histogram chunk keeps about why it was started (docs/format/chunks.md): whether
 * the counter reset against the previous chunk of the series, or that the chunk holds gauges.
 */
public enum CounterResetHeader {
    UNKNOWN(0b00),
    RESET(0b10),
    NOT_RESET(0b01),
    GAUGE(0b11);

    private final int bits;

    CounterResetHeader(int bits) {
        this.bits = bits;
    }

    /** The header as bits 7-6 of the flags byte. */
    int flagBits() {
        return bits << 6;
    }

    static CounterResetHeader fromFlags(int flags) {
        return switch ((flags >>> 6) & 0b11) {
            case 0b10 -> RESET;
            case 0b01 -> NOT_RESET;
            case 0b11 -> GAUGE;
            default -> UNKNOWN;
        };
    }
}
