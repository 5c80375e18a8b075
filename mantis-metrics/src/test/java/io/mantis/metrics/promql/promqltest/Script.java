package io.mantis.metrics.promql.promqltest;

import io.mantis.otlp.prometheus.Labels;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A parsed promqltest file: its commands in order, each with the line it starts on. */
record Script(String name, List<Command> commands) {

    Script {
        commands = List.copyOf(commands);
    }

    /** The evals, in order. */
    List<Eval> evals() {
        return commands.stream().filter(c -> c instanceof Eval).map(c -> (Eval) c).toList();
    }

    sealed interface Command permits Load, Clear, Eval {
        /** 1-based line of the command. */
        int line();
    }

    /** {@code clear}: the storage is replaced by an empty one. */
    record Clear(int line) implements Command {
    }

    /**
     * {@code load <interval>} (or {@code load_with_nhcb}): value {@code i} of each series goes to
     * {@code i * interval} ms.
     */
    record Load(int line, long intervalMillis, boolean withNhcb, List<LoadSeries> series) implements Command {
        Load {
            series = List.copyOf(series);
        }
    }

    /**
     * One series of a load.
     *
     * @param startOffsets for each slot, the start timestamp's offset from the sample's time in ms,
     *                     or {@link #NO_START} for none; null when the load gave no {@code @st} line
     */
    record LoadSeries(int line, Labels labels, List<Slot> values, long[] startOffsets) {
        static final long NO_START = Long.MIN_VALUE;

        LoadSeries {
            values = List.copyOf(values);
        }
    }

    /** An expected output series, {@code position} counting the eval's series lines from 1. */
    record ExpectedSeries(int line, int position, Labels labels, List<Slot> values) {
        ExpectedSeries {
            values = List.copyOf(values);
        }
    }

    /**
     * What an {@code expect fail|warn|info ...} line accepts: any text, exactly {@code message}, or
     * text in which {@code regex} finds a match.
     */
    record TextMatcher(String message, Pattern regex) {

        static final TextMatcher ANY = new TextMatcher(null, null);

        boolean isAny() {
            return message == null && regex == null;
        }

        boolean matches(String text, boolean strict) {
            if (isAny() || !strict) {
                return true;
            }
            return regex != null ? regex.matcher(text).find() : message.equals(text);
        }

        String describe() {
            return regex != null ? "pattern \"" + regex.pattern() + "\"" : message != null ? "message \"" + message + "\""
                    : "anything";
        }
    }

    /** The times of an {@code expect range vector from <s> to <e> step <p>} line. */
    record RangeVector(long start, long end, long step) {
    }

    /**
     * {@code eval instant at T} or {@code eval range from S to E step P}, with its expectations.
     *
     * @param time          the evaluation time of an instant eval (the end of {@code rangeVector} when set)
     * @param expected      expected series by label set (a later line for the same labels replaces an earlier one)
     * @param scalar        the expected scalar, or null
     * @param string        the expected string of {@code expect string}, or null
     * @param fail          whether the query must fail; {@code failMatcher} then says how its message must read
     * @param warnRequired  {@code eval_warn}: at least one warning
     * @param warn          {@code expect warn} lines (warnings are checked only when there are some or {@code noWarn})
     */
    record Eval(int line, String query, boolean range, long time, long start, long end, long step,
                boolean ordered, boolean fail, TextMatcher failMatcher,
                boolean warnRequired, List<TextMatcher> warn, boolean noWarn,
                boolean infoRequired, List<TextMatcher> info, boolean noInfo,
                RangeVector rangeVector, String string, Slot scalar,
                Map<Labels, ExpectedSeries> expected) implements Command {

        Eval {
            warn = List.copyOf(warn);
            info = List.copyOf(info);
            expected = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expected));
        }

        /** Instant evals whose result is a range vector or a string are not repeated as range queries. */
        boolean excludedFromRangeCheck() {
            return rangeVector != null || string != null;
        }

        /** A short name for reports: {@code instant at 5m} or {@code range from 0 to 10m step 1m}. */
        String header() {
            return range ? "range from " + start + "ms to " + end + "ms step " + step + "ms"
                    : "instant at " + time + "ms";
        }
    }
}
