package io.mantis.collector.model;

import io.mantis.collector.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;

/** A batch of spans. */
public record Traces(ExportTraceServiceRequest request, int itemCount) implements Telemetry {
    public static final Traces EMPTY = new Traces(ExportTraceServiceRequest.getDefaultInstance(), 0);

    public static Traces of(ExportTraceServiceRequest request) {
        return new Traces(request, count(request.getResourceSpansList()));
    }

    public static Traces of(List<ResourceSpans> resourceSpans) {
        return new Traces(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resourceSpans).build(),
                count(resourceSpans));
    }

    static int count(List<ResourceSpans> list) {
        int n = 0;
        for (ResourceSpans rs : list) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                n += ss.getSpansCount();
            }
        }
        return n;
    }

    @Override
    public Signal signal() {
        return Signal.TRACES;
    }

    private static final Hierarchy<ResourceSpans, ScopeSpans, io.opentelemetry.proto.trace.v1.Span> SHAPE =
            new Hierarchy<>() {
                @Override
                public List<ScopeSpans> scopes(ResourceSpans r) {
                    return r.getScopeSpansList();
                }

                @Override
                public List<io.opentelemetry.proto.trace.v1.Span> items(ScopeSpans s) {
                    return s.getSpansList();
                }

                @Override
                public ScopeSpans scopeWith(ScopeSpans s, List<io.opentelemetry.proto.trace.v1.Span> items) {
                    return s.toBuilder().clearSpans().addAllSpans(items).build();
                }

                @Override
                public ResourceSpans resourceWith(ResourceSpans r, ScopeSpans s) {
                    return r.toBuilder().clearScopeSpans().addScopeSpans(s).build();
                }
            };

    /**
     * Splits into batches of at most {@code max} spans, keeping resource and scope with every
     * part; whole resource entries are reused untouched when they fit.
     */
    public List<Traces> split(int max) {
        if (itemCount <= max) {
            return List.of(this);
        }
        return SHAPE.split(request.getResourceSpansList(), max).stream().map(Traces::of).toList();
    }
}
