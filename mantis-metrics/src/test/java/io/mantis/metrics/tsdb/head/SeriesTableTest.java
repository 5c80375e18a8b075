package io.mantis.metrics.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeriesTableTest {

    @Test
    void findsEverySeriesThroughGrowthAndRemovals() {
        Map<Integer, HeadSeries> byId = new HashMap<>();
        SeriesTable table = new SeriesTable(byId::get);
        List<HeadSeries> live = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(3);
        int next = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 5_000; i++) {
                // Few distinct hash codes in places: labels that differ only in a long value.
                HeadSeries s = new HeadSeries(next, Labels.of("__name__", "m" + (next % 7), "i", Integer.toString(next)));
                next++;
                byId.put(s.id, s);
                table.add(s);
                live.add(s);
            }
            for (int i = 0; i < 2_000; i++) {
                HeadSeries gone = live.remove(r.nextInt(live.size()));
                table.remove(gone);
                byId.remove(gone.id);
                assertThat(table.get(gone.labels)).isNull();
            }
            for (HeadSeries s : live) {
                assertThat(table.get(Labels.of(s.labels.name(0), s.labels.value(0), "i", s.labels.value(1))))
                        .isSameAs(s);
            }
        }
        assertThat(table.get(Labels.of("__name__", "absent"))).isNull();
    }
}
