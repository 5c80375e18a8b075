package io.mantis.collector.model;

import io.mantis.collector.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.List;

/** A batch of log records. */
public record Logs(ExportLogsServiceRequest request, int itemCount) implements Telemetry {
    public static final Logs EMPTY = new Logs(ExportLogsServiceRequest.getDefaultInstance(), 0);

    public static Logs of(ExportLogsServiceRequest request) {
        return new Logs(request, count(request.getResourceLogsList()));
    }

    public static Logs of(List<ResourceLogs> resourceLogs) {
        return new Logs(ExportLogsServiceRequest.newBuilder().addAllResourceLogs(resourceLogs).build(),
                count(resourceLogs));
    }

    static int count(List<ResourceLogs> list) {
        int n = 0;
        for (ResourceLogs rl : list) {
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                n += sl.getLogRecordsCount();
            }
        }
        return n;
    }

    @Override
    public Signal signal() {
        return Signal.LOGS;
    }

    private static final Hierarchy<ResourceLogs, ScopeLogs, io.opentelemetry.proto.logs.v1.LogRecord> SHAPE =
            new Hierarchy<>() {
                @Override
                public List<ScopeLogs> scopes(ResourceLogs r) {
                    return r.getScopeLogsList();
                }

                @Override
                public List<io.opentelemetry.proto.logs.v1.LogRecord> items(ScopeLogs s) {
                    return s.getLogRecordsList();
                }

                @Override
                public ScopeLogs scopeWith(ScopeLogs s, List<io.opentelemetry.proto.logs.v1.LogRecord> items) {
                    return s.toBuilder().clearLogRecords().addAllLogRecords(items).build();
                }

                @Override
                public ResourceLogs resourceWith(ResourceLogs r, ScopeLogs s) {
                    return r.toBuilder().clearScopeLogs().addScopeLogs(s).build();
                }
            };

    /** Splits into batches of at most {@code max} log records, keeping resource and scope with each. */
    public List<Logs> split(int max) {
        if (itemCount <= max) {
            return List.of(this);
        }
        return SHAPE.split(request.getResourceLogsList(), max).stream().map(Logs::of).toList();
    }
}
