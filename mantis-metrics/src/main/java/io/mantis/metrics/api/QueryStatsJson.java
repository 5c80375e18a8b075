package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mantis.metrics.promql.QueryStats;
import java.io.IOException;
import java.math.BigDecimal;

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
        if (v == 0) {
            return (1 / v) < 0 ? "-0" : "0";
        }
        double abs = Math.abs(v);
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        // Go writes at least two exponent digits, then its JSON encoder trims e-07 to e-7.
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10 && exp >= 0) {
            sb.append('0');
        }
        return sb.append(a).toString();
    }
}
