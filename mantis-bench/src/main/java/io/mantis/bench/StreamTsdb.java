package io.mantis.bench;

import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;

/**
 * Fills an in-process {@link Tsdb} with rounds of a {@link NodeExporterStream}, oldest first,
 * one commit per round: the data the JMH engine benchmark and the query-set test evaluate over,
 * the same the stores of {@link QueryLoad} get by remote write.
 */
final class StreamTsdb {

    private StreamTsdb() {
    }

    /** Appends rounds {@code [0, rounds)} of every series; returns the samples written. */
    static long fill(Tsdb tsdb, NodeExporterStream stream, int rounds) throws IOException, AppendException {
        int n = stream.seriesCount();
        Labels[] labels = new Labels[n];
        long[] refs = new long[n];
        for (int s = 0; s < n; s++) {
            labels[s] = Labels.of(stream.labels(s));
        }
        for (int r = 0; r < rounds; r++) {
            Appender app = tsdb.appender();
            long t = stream.timestamp(r);
            for (int s = 0; s < n; s++) {
                refs[s] = app.append(refs[s], labels[s], t, stream.value(s, r));
            }
            app.commit();
        }
        return (long) rounds * n;
    }
}
