package io.mantis.common.metrics;

/**
 * Emits whole metric families at scrape time, for metrics whose series are not known up front
 * (JVM/process state, per-component dynamic series).
 *
 * <p>Contract: every family starts with {@link MetricSink#family}, its samples follow directly, and
 * a family name is emitted once per scrape. A collector runs on the scraping thread, so it should
 * be quick and must be thread-safe with respect to the state it reads. An exception thrown from
 * {@link #collect} is logged by the registry and the other collectors still run.
 */
@FunctionalInterface
public interface Collector {
    void collect(MetricSink sink);
}
