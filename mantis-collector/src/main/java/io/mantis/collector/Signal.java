package io.mantis.collector;

/** The three kinds of telemetry a pipeline carries; the name is the pipeline id's type. */
public enum Signal {
    TRACES("traces", "spans"),
    METRICS("metrics", "metric_points"),
    LOGS("logs", "log_records");

    private final String id;
    private final String itemName;

    Signal(String id, String itemName) {
        this.id = id;
        this.itemName = itemName;
    }

    /** {@code traces}, {@code metrics} or {@code logs}, as in pipeline ids. */
    public String id() {
        return id;
    }

    /** The item word in the collector's metric names: spans, metric_points, log_records. */
    public String itemName() {
        return itemName;
    }

    public static Signal fromId(String id) {
        for (Signal s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }
}
