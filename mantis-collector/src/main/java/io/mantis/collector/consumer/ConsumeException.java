package io.mantis.collector.consumer;

import java.time.Duration;

/**
 * A consumer did not take (all of) the data.
 *
 * <ul>
 *   <li>retryable: a temporary condition (queue full, memory limit, downstream unavailable);
 *       the sender should try again, after {@link #retryAfter()} when known;</li>
 *   <li>permanent: the data itself cannot be accepted; sending it again cannot help. When
 *       {@link #rejected()} is below the batch size, the rest of the batch was accepted
 *       (OTLP partial success).</li>
 * </ul>
 */
public final class ConsumeException extends Exception {
    private final boolean retryable;
    private final Duration retryAfter;
    private final long rejected;

    private ConsumeException(String message, Throwable cause, boolean retryable, Duration retryAfter,
                             long rejected) {
        super(message, cause, false, false);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.rejected = rejected;
    }

    /** A temporary refusal; {@code retryAfter} may be null when unknown. */
    public static ConsumeException retryable(String message, Duration retryAfter) {
        return new ConsumeException(message, null, true, retryAfter, -1);
    }

    public static ConsumeException retryable(String message, Duration retryAfter, Throwable cause) {
        return new ConsumeException(message, cause, true, retryAfter, -1);
    }

    /** The whole batch is unacceptable. */
    public static ConsumeException permanent(String message) {
        return new ConsumeException(message, null, false, null, -1);
    }

    public static ConsumeException permanent(String message, Throwable cause) {
        return new ConsumeException(message, cause, false, null, -1);
    }

    /** {@code rejected} items were refused for good; the rest of the batch was accepted. */
    public static ConsumeException partial(long rejected, String message) {
        return new ConsumeException(message, null, false, null, rejected);
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean permanent() {
        return !retryable;
    }

    /** How long the sender should wait before retrying, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Items refused, or -1 for "the whole batch". */
    public long rejected() {
        return rejected;
    }

    public boolean isPartial() {
        return rejected >= 0;
    }
}
