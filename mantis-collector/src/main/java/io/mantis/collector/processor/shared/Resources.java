package io.mantis.collector.processor.shared;

import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.model.Traces;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Rewrites the resource attributes of a batch of any signal, keeping everything else as it is. */
public final class Resources {
    private Resources() {
    }

    /**
     * The batch with {@code rewrite} applied to every resource's attribute list. {@code rewrite}
     * returns the list it was given when it changes nothing; a batch with no change is returned as
     * it is, and only the resource entries that changed are rebuilt.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Telemetry> T rewrite(T batch, UnaryOperator<List<KeyValue>> rewrite) {
        return switch (batch) {
            case Traces t -> {
                List<ResourceSpans> in = t.request().getResourceSpansList();
                List<ResourceSpans> out = null;
                for (int i = 0; i < in.size(); i++) {
                    ResourceSpans rs = in.get(i);
                    Resource r = rewrite(rs.getResource(), rewrite);
                    if (r != null) {
                        out = copyOnWrite(out, in);
                        out.set(i, rs.toBuilder().setResource(r).build());
                    }
                }
                yield out == null ? batch : (T) new Traces(t.request().toBuilder().clearResourceSpans()
                        .addAllResourceSpans(out).build(), t.itemCount());
            }
            case Metrics m -> {
                List<ResourceMetrics> in = m.request().getResourceMetricsList();
                List<ResourceMetrics> out = null;
                for (int i = 0; i < in.size(); i++) {
                    ResourceMetrics rm = in.get(i);
                    Resource r = rewrite(rm.getResource(), rewrite);
                    if (r != null) {
                        out = copyOnWrite(out, in);
                        out.set(i, rm.toBuilder().setResource(r).build());
                    }
                }
                yield out == null ? batch : (T) new Metrics(m.request().toBuilder().clearResourceMetrics()
                        .addAllResourceMetrics(out).build(), m.itemCount());
            }
            case Logs l -> {
                List<ResourceLogs> in = l.request().getResourceLogsList();
                List<ResourceLogs> out = null;
                for (int i = 0; i < in.size(); i++) {
                    ResourceLogs rl = in.get(i);
                    Resource r = rewrite(rl.getResource(), rewrite);
                    if (r != null) {
                        out = copyOnWrite(out, in);
                        out.set(i, rl.toBuilder().setResource(r).build());
                    }
                }
                yield out == null ? batch : (T) new Logs(l.request().toBuilder().clearResourceLogs()
                        .addAllResourceLogs(out).build(), l.itemCount());
            }
        };
    }

    /** The rewritten resource, or null when unchanged. */
    private static Resource rewrite(Resource r, UnaryOperator<List<KeyValue>> rewrite) {
        List<KeyValue> before = r.getAttributesList();
        List<KeyValue> after = rewrite.apply(before);
        if (after == before) {
            return null;
        }
        return r.toBuilder().clearAttributes().addAllAttributes(after).build();
    }

    /** {@code out}, or a mutable copy of {@code in} when it is the first change. */
    public static <E> List<E> copyOnWrite(List<E> out, List<E> in) {
        return out != null ? out : new ArrayList<>(in);
    }
}
