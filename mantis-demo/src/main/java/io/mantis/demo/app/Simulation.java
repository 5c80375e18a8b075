package io.mantis.demo.app;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How lifelike the demo misbehaves: the chance of each failure and the simulated latencies. The
 * demo's traffic mix produces errors of its own ({@code /api/error}, unknown users, bad input);
 * these add the ones a real shop has now and then.
 *
 * @param outOfStock chance that the inventory cannot reserve an item
 * @param paymentDeclined chance that a payment is declined (402)
 * @param paymentFailure chance that the payment gateway fails (503, an exception on the span)
 * @param slowMin shortest {@code /api/slow} answer
 * @param slowMax longest {@code /api/slow} answer
 * @param storageMin shortest simulated database or cache call
 * @param storageMax longest simulated database or cache call
 */
public record Simulation(double outOfStock, double paymentDeclined, double paymentFailure, Duration slowMin,
                         Duration slowMax, Duration storageMin, Duration storageMax) {
    /** What {@code mantis demo} runs with. */
    public static final Simulation LIFELIKE = new Simulation(0.03, 0.05, 0.02, Duration.ofMillis(300),
            Duration.ofMillis(2500), Duration.ofMillis(1), Duration.ofMillis(12));
    /** No random failures and short waits: every request takes its one, predictable path. */
    public static final Simulation PREDICTABLE = new Simulation(0, 0, 0, Duration.ofMillis(20),
            Duration.ofMillis(40), Duration.ZERO, Duration.ofMillis(1));

    public Simulation {
        for (double p : new double[] {outOfStock, paymentDeclined, paymentFailure}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be between 0 and 1, got " + p);
            }
        }
        if (slowMin.compareTo(slowMax) > 0 || storageMin.compareTo(storageMax) > 0) {
            throw new IllegalArgumentException("a minimum latency exceeds its maximum");
        }
    }

    /** A simulated storage call's latency. */
    Duration storageLatency(RandomGenerator random) {
        return between(random, storageMin, storageMax);
    }

    /**
     * A slow answer's latency, spread evenly on a log scale: most are a few hundred milliseconds, a
     * few take seconds, as a real latency distribution's long tail does.
     */
    Duration slowLatency(RandomGenerator random) {
        if (slowMin.isZero()) {
            return between(random, slowMin, slowMax);
        }
        double lo = Math.log(slowMin.toNanos());
        double hi = Math.log(slowMax.toNanos());
        return Duration.ofNanos((long) Math.exp(lo + random.nextDouble() * (hi - lo)));
    }

    private static Duration between(RandomGenerator random, Duration min, Duration max) {
        long span = max.toNanos() - min.toNanos();
        return span <= 0 ? min : min.plusNanos((long) (random.nextDouble() * span));
    }

    static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
