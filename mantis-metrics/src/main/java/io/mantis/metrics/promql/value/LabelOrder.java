package io.mantis.metrics.promql.value;

import io.mantis.metrics.tsdb.index.CodePointOrder;
import io.mantis.otlp.prometheus.Labels;
import java.util.Comparator;

/**
 * Prometheus' order of label sets ({@code labels.Compare}): pair by pair, name then value, by
 * UTF-8 bytes (code points); a set that is a prefix of another comes first. Range-query results
 * are sorted by it.
 */
public final class LabelOrder implements Comparator<Labels> {

    public static final LabelOrder INSTANCE = new LabelOrder();

    private LabelOrder() {
    }

    @Override
    public int compare(Labels a, Labels b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = CodePointOrder.INSTANCE.compare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = CodePointOrder.INSTANCE.compare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
