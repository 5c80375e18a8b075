package io.mantis.collector.model;

import io.mantis.collector.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
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

    /** Splits into batches of at most {@code max} log records. */
    public List<Logs> split(int max) {
        if (itemCount <= max) {
            return List.of(this);
        }
        List<Logs> out = new ArrayList<>();
        List<ResourceLogs> current = new ArrayList<>();
        int room = max;
        for (ResourceLogs rl : request.getResourceLogsList()) {
            int n = count(List.of(rl));
            if (n <= room) {
                current.add(rl);
                room -= n;
                if (room == 0) {
                    out.add(of(current));
                    current = new ArrayList<>();
                    room = max;
                }
                continue;
            }
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                int from = 0;
                while (from < sl.getLogRecordsCount()) {
                    int take = Math.min(room, sl.getLogRecordsCount() - from);
                    ScopeLogs part = sl.toBuilder().clearLogRecords()
                            .addAllLogRecords(sl.getLogRecordsList().subList(from, from + take)).build();
                    current.add(rl.toBuilder().clearScopeLogs().addScopeLogs(part).build());
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
