package io.mantis.metrics.tsdb;

import io.mantis.metrics.model.Matcher;
import java.util.List;

/**
 * Read access to series and samples within the time range it was opened for. Results are
 * consistent with the moment the querier was opened for data that existed then; samples appended
 * later may or may not be seen. Close it to release the blocks it pins.
 */
public interface Querier extends AutoCloseable {

    /**
     * Series with at least one sample in range whose labels match every matcher (Prometheus
     * semantics), sorted by labels when {@code sorted}.
     */
    SeriesSet select(boolean sorted, Matcher... matchers);

    /** Label names of the matching series (all series when no matcher), sorted. */
    List<String> labelNames(Matcher... matchers);

    /** Values of {@code name} over the matching series (all series when no matcher), sorted. */
    List<String> labelValues(String name, Matcher... matchers);

    @Override
    void close();
}
