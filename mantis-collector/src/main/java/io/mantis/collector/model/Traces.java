package io.mantis.collector.model;

import io.mantis.collector.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
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

    /**
     * Splits into batches of at most {@code max} spans, keeping resource and scope with every
     * part; whole resource entries are reused untouched when they fit.
     */
    public List<Traces> split(int max) {
        if (itemCount <= max) {
            return List.of(this);
        }
        List<Traces> out = new ArrayList<>();
        List<ResourceSpans> current = new ArrayList<>();
        int room = max;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            int n = count(List.of(rs));
            if (n <= room) {
                current.add(rs);
                room -= n;
                if (room == 0) {
                    out.add(of(current));
                    current = new ArrayList<>();
                    room = max;
                }
                continue;
            }
            // Cut this resource's spans across as many parts as needed.
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                int from = 0;
                while (from < ss.getSpansCount()) {
                    int take = Math.min(room, ss.getSpansCount() - from);
                    ScopeSpans part = ss.toBuilder().clearSpans()
                            .addAllSpans(ss.getSpansList().subList(from, from + take)).build();
                    current.add(rs.toBuilder().clearScopeSpans().addScopeSpans(part).build());
                    from += take;
                    room -= take;
                    if (room == 0) {
                        out.add(of(current));
                        current = new ArrayList<>();
                        room = max;
                    }
                }
            }
        }
        if (!current.isEmpty()) {
            out.add(of(current));
        }
        return out;
    }
}
