package io.mantis.metrics.promql.ast;

/**
 * Where a node stands in the query text: {@code [start, end)} as offsets of Java chars. Warnings
 * and errors name the start as {@code line:column}.
 */
public record PosRange(int start, int end) {

    public static final PosRange NONE = new PosRange(0, 0);

    public PosRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad position range " + start + ".." + end);
        }
    }

    /** The range covering both. */
    public PosRange union(PosRange other) {
        return new PosRange(Math.min(start, other.start), Math.max(end, other.end));
    }
}
