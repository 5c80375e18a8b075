package io.mantis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.RemoteWriteDecoder;
import io.mantis.otlp.prometheus.RemoteWriteRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeExporterStreamTest {

    private static final long START = 1_700_000_000_000L;

    @Test
    void bodiesDecodeToTheSeriesLabelsAndValuesOfTheirRound() throws Exception {
        NodeExporterStream stream = new NodeExporterStream(1500, START, 10_000);
        byte[] body = stream.encode(new NodeExporterStream.Encoder(), 3, 100, 1400);

        RemoteWriteRequest req = new RemoteWriteDecoder().decodeSnappy(body);

        assertThat(req.timeseries()).hasSize(1300);
        for (int i = 0; i < req.timeseries().size(); i++) {
            RemoteWriteRequest.TimeSeries ts = req.timeseries().get(i);
            int series = 100 + i;
            assertThat(ts.labels()).isEqualTo(Labels.of(stream.labels(series)));
            assertThat(ts.samples()).containsExactly(
                    new RemoteWriteRequest.Sample(START + 30_000, stream.value(series, 3)));
        }
    }

    @Test
    void labelsAreSortedUniqueAndNodeExporterLike() {
        NodeExporterStream stream = new NodeExporterStream(5000, START, 10_000);
        Set<String> seen = new HashSet<>();
        for (int s = 0; s < stream.seriesCount(); s++) {
            String[] l = stream.labels(s);
            assertThat(l.length / 2).isBetween(9, 12);
            for (int i = 2; i < l.length; i += 2) {
                assertThat(l[i - 2].compareTo(l[i])).isNegative();
            }
            assertThat(seen.add(String.join("\u0000", l))).as("series %d is distinct", s).isTrue();
        }
        assertThat(stream.hostCount()).isEqualTo((5000 + stream.templateSize() - 1) / stream.templateSize());
        assertThat(stream.templateSize()).isBetween(500, 700);
        assertThat(stream.describe()).startsWith("5000 series = ");
    }

    @Test
    void countersNeverDecreaseAndSomeSeriesNeverChange() {
        NodeExporterStream stream = new NodeExporterStream(2000, START, 10_000);
        NodeExporterStream.TemplateSeries[] template = NodeExporterStream.template();
        int constant = 0;
        int counters = 0;
        for (int s = 0; s < stream.seriesCount(); s++) {
            NodeExporterStream.TemplateSeries t = template[s % template.length];
            boolean changed = false;
            double prev = stream.value(s, 0);
            for (int r = 1; r < 200; r++) {
                double v = stream.value(s, r);
                if (t.model() == NodeExporterStream.Model.COUNTER) {
                    assertThat(v).as("%s round %d", t.name(), r).isGreaterThanOrEqualTo(prev);
                }
                changed |= v != prev;
                prev = v;
            }
            if (!changed) {
                constant++;
            }
            if (t.model() == NodeExporterStream.Model.COUNTER && changed) {
                counters++;
            }
        }
        assertThat(constant).isBetween(stream.seriesCount() / 5, stream.seriesCount() / 2);
        assertThat(counters).isGreaterThan(stream.seriesCount() / 4);
    }

    @Test
    void decimalsAreTheNearestDoublesOfTheirPrintedForm() {
        NodeExporterStream stream = new NodeExporterStream(700, START, 10_000);
        // Series 0 is node_cpu_seconds_total: hundredths of a second, as /proc/stat gives them.
        for (int r = 0; r < 50; r++) {
            double v = stream.value(0, r);
            assertThat(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.2f", v))).isEqualTo(v);
        }
    }

    @Test
    void everyRoundAndEncoderGivesTheSameBytes() {
        NodeExporterStream a = new NodeExporterStream(3000, START, 10_000);
        NodeExporterStream b = new NodeExporterStream(3000, START, 10_000);
        NodeExporterStream.Encoder enc = new NodeExporterStream.Encoder();
        byte[] first = a.encode(enc, 7, 0, 3000);
        a.encode(enc, 8, 0, 3000);
        assertThat(b.encode(new NodeExporterStream.Encoder(), 7, 0, 3000)).isEqualTo(first);
        assertThat(a.encode(enc, 7, 0, 3000)).isEqualTo(first);
        assertThat(List.of(a.timestamp(0), a.timestamp(2))).containsExactly(START, START + 20_000);
    }

    @Test
    void rejectsRangesOutsideTheStream() {
        NodeExporterStream stream = new NodeExporterStream(10, START, 10_000);
        assertThatThrownBy(() -> stream.encode(new NodeExporterStream.Encoder(), 0, 5, 11))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> stream.value(10, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new NodeExporterStream(0, START, 10_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void histogramsAreOptInAndCumulative() {
        NodeExporterStream plain = new NodeExporterStream(5000, START, 15_000);
        NodeExporterStream stream = new NodeExporterStream(5000, START, 15_000, true);
        assertThat(plain.countSeries("http_request_duration_seconds_bucket")).isZero();
        assertThat(stream.templateSize()).isEqualTo(plain.templateSize() + 3 * 14);
        assertThat(stream.countSeries("up")).isEqualTo(plain.countSeries("up"));
        for (int host = 0; host < 3; host++) {
            int base = host * stream.templateSize();
            for (String handler : new String[] {"/api/v1/query", "/api/v1/write"}) {
                double previousInf = -1;
                for (int round = 0; round < 50; round++) {
                    double previous = -1;
                    double inf = Double.NaN;
                    double count = Double.NaN;
                    for (int i = 0; i < stream.templateSize(); i++) {
                        String[] l = stream.labels(base + i);
                        if (!handler.equals(value(l, "handler"))) {
                            continue;
                        }
                        double v = stream.value(base + i, round);
                        switch (l[1]) {
                            case "http_request_duration_seconds_bucket" -> {
                                assertThat(v).as("buckets grow with le").isGreaterThanOrEqualTo(previous);
                                previous = v;
                                if (value(l, "le").equals("+Inf")) {
                                    inf = v;
                                }
                            }
                            case "http_request_duration_seconds_count" -> count = v;
                            default -> {
                            }
                        }
                    }
                    assertThat(count).isEqualTo(inf);
                    assertThat(inf).as("a counter").isGreaterThanOrEqualTo(previousInf);
                    previousInf = inf;
                }
            }
        }
    }

    private static String value(String[] labels, String name) {
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i].equals(name)) {
                return labels[i + 1];
            }
        }
        return "";
    }
}
