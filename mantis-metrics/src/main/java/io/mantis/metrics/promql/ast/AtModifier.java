package io.mantis.metrics.promql.ast;

/**
 * The {@code @} modifier: a fixed evaluation time ({@code @ 1609746000}, kept in milliseconds), or
 * the query's start or end ({@code @ start()}, {@code @ end()}), which the engine resolves per query.
 */
public record AtModifier(Kind kind, long timestampMillis) {

    public enum Kind {
        TIMESTAMP,
        START,
        END
    }

    public static final AtModifier START = new AtModifier(Kind.START, 0);
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    public static AtModifier at(long timestampMillis) {
        return new AtModifier(Kind.TIMESTAMP, timestampMillis);
    }

    /** The evaluation time this modifier pins, given the query's start and end. */
    public long resolve(long queryStartMillis, long queryEndMillis) {
        return switch (kind) {
            case TIMESTAMP -> timestampMillis;
            case START -> queryStartMillis;
            case END -> queryEndMillis;
        };
    }
}
