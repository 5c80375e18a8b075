package io.mantis.metrics.promql.ast;

import io.mantis.metrics.model.Matcher;
import java.util.List;
import java.util.Objects;

/**
 * An instant vector selector: {@code http_requests_total{job="api"} @ 100 offset 5m}.
 *
 * @param name the metric name written before the braces, or null (a quoted name inside the braces,
 *     {@code {"my.metric"}}, is only a {@code __name__} matcher, as in Prometheus)
 * @param matchers every matcher the series must satisfy, in the order written; the name's
 *     {@code __name__="..."} first when there is a name
 * @param offset the offset as written (negative for {@code offset -5m}), or null
 * @param at the {@code @} modifier, or null
 * @param anchored the experimental {@code anchored} modifier
 * @param smoothed the experimental {@code smoothed} modifier
 * @param bypassEmptyMatcherCheck set on the second argument of {@code info()}, which may select
 *     with matchers that all match the empty string
 */
public record VectorSelector(String name, List<Matcher> matchers, DurationExpr offset, AtModifier at,
        boolean anchored, boolean smoothed, boolean bypassEmptyMatcherCheck, PosRange pos) implements Expr {

    public VectorSelector {
        matchers = List.copyOf(matchers);
        Objects.requireNonNull(pos, "pos");
    }

    public VectorSelector(String name, List<Matcher> matchers, PosRange pos) {
        this(name, matchers, null, null, false, false, false, pos);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    /**
     * The offset in milliseconds (0 without one).
     *
     * @throws IllegalStateException if the offset is a duration expression of the query's step or range
     */
    public long offsetMillis() {
        return offset == null ? 0 : offset.constantMillis();
    }

    public VectorSelector withOffset(DurationExpr newOffset, PosRange newPos) {
        return new VectorSelector(name, matchers, newOffset, at, anchored, smoothed, bypassEmptyMatcherCheck, newPos);
    }

    public VectorSelector withAt(AtModifier newAt, PosRange newPos) {
        return new VectorSelector(name, matchers, offset, newAt, anchored, smoothed, bypassEmptyMatcherCheck, newPos);
    }

    public VectorSelector withAnchored(boolean a, boolean s, PosRange newPos) {
        return new VectorSelector(name, matchers, offset, at, a, s, bypassEmptyMatcherCheck, newPos);
    }

    public VectorSelector withBypassEmptyMatcherCheck() {
        return new VectorSelector(name, matchers, offset, at, anchored, smoothed, true, pos);
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
