package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;

/**
 * What one appender's commit adds, as the {@link HeadLog} writes it to the WAL: series first
 * (those not logged before), then samples, histograms, exemplars and metadata. Indexed accessors
 * over the appender's own arrays, so logging copies nothing it does not encode.
 */
public interface PendingWrite {

    int seriesCount();

    long seriesRef(int i);

    Labels seriesLabels(int i);

    int floatCount();

    long floatRef(int i);

    long floatTimestamp(int i);

    double floatValue(int i);

    int histogramCount();

    long histogramRef(int i);

    long histogramTimestamp(int i);

    FloatHistogram histogram(int i);

    int exemplarCount();

    long exemplarRef(int i);

    Labels exemplarLabels(int i);

    double exemplarValue(int i);

    long exemplarTimestamp(int i);

    int metadataCount();

    long metadataRef(int i);

    MetricType metadataType(int i);

    String metadataUnit(int i);

    String metadataHelp(int i);
}
