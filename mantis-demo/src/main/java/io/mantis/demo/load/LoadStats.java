package io.mantis.demo.load;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What the load generator has done so far.
 *
 * @param sent requests sent
 * @param answered requests answered with any status
 * @param clientErrors answers 400-499 (the mix sends some invalid requests on purpose)
 * @param serverErrors answers 500-599
 * @param failed requests that got no answer (refused, timed out)
 * @param skipped requests not sent because too many were still waiting for an answer
 * @param byKind requests sent, by kind
 * @param ratePerSecond requests sent per second over the last few seconds
 */
public record LoadStats(long sent, long answered, long clientErrors, long serverErrors, long failed, long skipped,
                        Map<RequestMix.Kind, Long> byKind, double ratePerSecond, Duration elapsed) {

    /** Errors in the sense of the progress line: 5xx answers and no answers. */
    public long errors() {
        return serverErrors + failed;
    }

    /** The progress line's text. */
    public String line(boolean done) {
        StringBuilder sb = new StringBuilder("demo load");
        sb.append(done ? " done: " : ": ");
        sb.append(String.format(Locale.ROOT, "%,d sent", sent));
        if (!done) {
            sb.append(String.format(Locale.ROOT, ", %.1f req/s", ratePerSecond));
        }
        double pct = answered + failed == 0 ? 0 : 100.0 * errors() / (answered + failed);
        sb.append(String.format(Locale.ROOT, ", %,d errors (%.1f%%)", errors(), pct));
        sb.append(String.format(Locale.ROOT, ", %,d 4xx", clientErrors));
        if (skipped > 0) {
            sb.append(String.format(Locale.ROOT, ", %,d skipped (shop too slow)", skipped));
        }
        long s = elapsed.toSeconds();
        sb.append(String.format(Locale.ROOT, ", %d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60));
        return sb.toString();
    }
}
