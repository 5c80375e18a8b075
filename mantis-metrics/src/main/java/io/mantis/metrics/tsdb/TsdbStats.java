package io.mantis.metrics.tsdb;

import java.util.List;

/** Cardinality statistics of the head, as {@code /api/v1/status/tsdb} reports them. */
public record TsdbStats(long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime,
        List<Count> seriesCountByMetricName, List<Count> labelValueCountByLabelName,
        List<Count> memoryInBytesByLabelName, List<Count> seriesCountByLabelValuePair) {

    /** One ranked entry. */
    public record Count(String name, long value) {
    }
}
