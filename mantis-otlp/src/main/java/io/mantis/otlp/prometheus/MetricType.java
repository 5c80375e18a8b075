package io.mantis.otlp.prometheus;

/**
 * Prometheus metric family types, numbered as {@code prometheus.MetricMetadata.MetricType} in
 * the remote-write protobuf, so the wire number is the enum's {@link #wireValue()}.
 */
public enum MetricType {
    UNKNOWN(0),
    COUNTER(1),
    GAUGE(2),
    HISTOGRAM(3),
    GAUGEHISTOGRAM(4),
    SUMMARY(5),
    INFO(6),
    STATESET(7);

    private static final MetricType[] BY_WIRE = values();

    private final int wireValue;

    MetricType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The enum number on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** The type for a wire number; numbers this code does not know map to {@link #UNKNOWN}. */
    public static MetricType fromWire(int value) {
        return value >= 0 && value < BY_WIRE.length ? BY_WIRE[value] : UNKNOWN;
    }
}
