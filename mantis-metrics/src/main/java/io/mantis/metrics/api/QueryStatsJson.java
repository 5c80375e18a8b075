package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mantis.metrics.promql.QueryStats;
import java.io.IOException;

/**
 * Writes the {@code stats} object Prometheus 3 puts into a query's {@code data} when the request
 * has a non-empty {@code stats} parameter:
 *
 * <pre>
 * {"timings":{"evalTotalTime":0.000066609,"resultSortTime":0,"queryPreparationTime":0.00001303,
 *             "innerEvalTime":0.000048493,"execQueueTime":0,"execTotalTime":0.000138787},
 *  "samples":{"totalQueryableSamplesPerStep":[[1435781451.781,3]],"totalQueryableSamples":3,"peakSamples":3}}
 * </pre>
 *
 * <p>Timings are seconds; the per-step list (only with {@code stats=all}) pairs a step's time in
 * seconds with its count. Numbers are written as Go's JSON encoder writes a float64: shortest
 * round-trip digits, plain notation unless the magnitude is below 1e-6 or at least 1e21.
 */
public final class QueryStatsJson {

    private QueryStatsJson() {
    }

    public static void write(JsonGenerator g, QueryStats s) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("timings");
        seconds(g, "evalTotalTime", s.evalTotalNanos());
        seconds(g, "resultSortTime", s.resultSortNanos());
        seconds(g, "queryPreparationTime", s.queryPreparationNanos());
        seconds(g, "innerEvalTime", s.innerEvalNanos());
        seconds(g, "execQueueTime", s.execQueueNanos());
        seconds(g, "execTotalTime", s.execTotalNanos());
        g.writeEndObject();
        g.writeObjectFieldStart("samples");
        if (s.stepCount() > 0) {
            g.writeArrayFieldStart("totalQueryableSamplesPerStep");
            for (int i = 0; i < s.stepCount(); i++) {
                g.writeStartArray();
                g.writeNumber(goFloat(s.stepTime(i) / 1000.0));
                g.writeNumber(s.stepSamples(i));
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeNumberField("totalQueryableSamples", s.totalSamples());
        g.writeNumberField("peakSamples", s.peakSamples());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void seconds(JsonGenerator g, String field, long nanos) throws IOException {
        g.writeFieldName(field);
        // Go's time.Duration.Seconds(): whole seconds plus the nanosecond remainder, as a float64.
        g.writeNumber(goFloat((double) (nanos / 1_000_000_000L) + (nanos % 1_000_000_000L) / 1e9));
    }

    /**
     * A float64 as Go's {@code encoding/json} writes it: {@code 0}, {@code 1.5},
     * {@code 0.000012}, {@code 1e-7}, {@code 1e+21}. Not for NaN or infinities, which Go refuses.
     */
    static String goFloat(double v) {
        // strconv's shortest digits, as in sample values; the JSON encoder then trims e-07 to e-7.
        String text = PromFormat.value(v);
        int e = text.indexOf("e-0");
        return e < 0 ? text : text.substring(0, e + 2) + text.substring(e + 3);
    }
}
