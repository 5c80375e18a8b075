package io.mantis.metrics.promql.value;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;
import java.util.Objects;

/**
 * One element of an instant vector: a float sample ({@code h == null}, value in {@code v}) or a
 * native-histogram sample ({@code h != null}, {@code v} is 0 and means nothing).
 *
 * @param metric the series' labels
 * @param t      the sample's time, Unix milliseconds (the evaluation time for computed samples)
 * @param v      the float value
 * @param h      the histogram, owned by this sample from now on (never changed afterwards)
 */
public record Sample(Labels metric, long t, double v, FloatHistogram h) {

    public Sample {
        Objects.requireNonNull(metric, "metric");
    }

    public static Sample ofFloat(Labels metric, long t, double v) {
        return new Sample(metric, t, v, null);
    }

    public static Sample ofHistogram(Labels metric, long t, FloatHistogram h) {
        return new Sample(metric, t, 0, Objects.requireNonNull(h, "h"));
    }

    public boolean isHistogram() {
        return h != null;
    }
}
