package io.mantis.common.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonically increasing value: one series of a {@link CounterFamily}.
 *
 * <p>Integral increments, by far the common case, go to a {@link LongAdder}: exact, and striped
 * under contention so hot paths on many threads do not fight over one cache line. A
 * {@link DoubleAdder} is created only once a fractional amount is added, so counters that never
 * see one pay nothing for it. Neither adder allocates after its cells exist, so increments are
 * allocation-free after warm-up.
 */
public final class Counter {

    private final LongAdder whole = new LongAdder();
    private volatile DoubleAdder fraction;

    Counter() {}

    public void inc() {
        whole.increment();
    }

    /** @throws IllegalArgumentException if {@code amount} is negative */
    public void inc(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("counter increment must not be negative: " + amount);
        }
        whole.add(amount);
    }

    /** @throws IllegalArgumentException if {@code amount} is negative, NaN or infinite */
    public void inc(double amount) {
        // The negated comparison also rejects NaN.
        if (!(amount >= 0) || amount == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("counter increment must be finite and not negative: " + amount);
        }
        long integral = (long) amount;
        // MAX_VALUE is where the cast saturates; 2^63 would compare equal to it as a double.
        if (integral == amount && integral != Long.MAX_VALUE) {
            whole.add(integral);
        } else {
            fraction().add(amount);
        }
    }

    /** The current total. Not an atomic snapshot while other threads increment, which is fine for a counter. */
    public double get() {
        DoubleAdder f = fraction;
        return f == null ? whole.sum() : whole.sum() + f.sum();
    }

    private DoubleAdder fraction() {
        DoubleAdder f = fraction;
        if (f == null) {
            synchronized (this) {
                f = fraction;
                if (f == null) {
                    f = new DoubleAdder();
                    fraction = f;
                }
            }
        }
        return f;
    }
}
