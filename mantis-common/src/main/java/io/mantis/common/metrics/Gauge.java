package io.mantis.common.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A value that can go up and down: one series of a {@link GaugeFamily}.
 *
 * <p>The double is kept as its raw long bits in a volatile field: {@code set} is a plain volatile
 * write and the read-modify-write operations are a CAS loop, so nothing locks or allocates.
 */
public final class Gauge {

    private static final VarHandle BITS;

    static {
        try {
            BITS = MethodHandles.lookup().findVarHandle(Gauge.class, "bits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // doubleToRawLongBits(0.0) == 0, so the default value is 0.0.
    @SuppressWarnings("unused") // accessed through BITS
    private volatile long bits;

    Gauge() {}

    public void set(double value) {
        bits = Double.doubleToRawLongBits(value);
    }

    public void inc() {
        add(1.0);
    }

    public void dec() {
        add(-1.0);
    }

    public void add(double delta) {
        long prev;
        long next;
        do {
            prev = bits;
            next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + delta);
        } while (!BITS.weakCompareAndSet(this, prev, next));
    }

    public double get() {
        return Double.longBitsToDouble(bits);
    }
}
