package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import io.mantis.otlp.prometheus.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesDescriptionTest {

    private static List<Slot> values(String text) {
        return SeriesDescription.parseValues(text);
    }

    private static String render(String text) {
        return String.join(" ", values(text).stream().map(Slot::toString).toList());
    }

    @Test
    void repetitionGivesOneMoreValueThanItsCountButGapsExactlyTheCount() {
        assertThat(render("1x4")).isEqualTo("1 1 1 1 1");
        assertThat(render("0+10x5")).isEqualTo("0 10 20 30 40 50");
        assertThat(render("_x3")).isEqualTo("_ _ _");
        assertThat(render("_")).isEqualTo("_");
        assertThat(render("_x0")).isEmpty();
        assertThat(render("7x0")).isEqualTo("7");
        assertThat(render("0x5")).isEqualTo("0 0 0 0 0 0");
    }

    @Test
    void signsOnStartAndStep() {
        assertThat(render("-2+4x3")).isEqualTo("-2 2 6 10");
        assertThat(render("1-2x4")).isEqualTo("1 -1 -3 -5 -7");
        assertThat(render("+5")).isEqualTo("5");
        assertThat(render(".5 1e3 2.258E+220 -2.5e-3")).isEqualTo("0.5 1000 2.258E220 -0.0025");
    }

    @Test
    void stepsAccumulateByRepeatedFloatAdditionAsTheReferenceDoes() {
        List<Slot> v = values("0+0.1x3");
        assertThat(v.get(3).value()).isEqualTo(0.1 + 0.1 + 0.1).isNotEqualTo(0.3);
    }

    @Test
    void specialValues() {
        List<Slot> v = values("Inf -Inf +inf NaN nan stale stalex2");
        assertThat(v.get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(v.get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(v.get(2).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(v.get(3).value()).isNaN();
        assertThat(v.get(3).isStale()).isFalse();
        assertThat(v.get(4).value()).isNaN();
        assertThat(v.subList(5, 9)).allMatch(Slot::isStale);
        assertThat(v).hasSize(9);
    }

    @Test
    void malformedValuesAreRejected() {
        for (String bad : new String[] {"1+2", "abc", "1x", "0x1F", "1 2y", "--1", "1..2", "{{schema:0}}+{{}}"}) {
            assertThatThrownBy(() -> values(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void labelsUseSelectorSyntaxWithQuotedNamesAndDropEmptyValues() {
        assertThat(SeriesDescription.parse("http_requests{job=\"api\", instance='a:1'} 1").labels())
                .isEqualTo(Labels.of("__name__", "http_requests", "job", "api", "instance", "a:1"));
        assertThat(SeriesDescription.parse("{__name__=\"m\",a=\"\"} 1").labels()).isEqualTo(Labels.of("__name__", "m"));
        assertThat(SeriesDescription.parse("{\"utf8.name\", \"label.dots\"=`v\\n`} 1").labels())
                .isEqualTo(Labels.of("__name__", "utf8.name", "label.dots", "v\\n"));
        assertThat(SeriesDescription.parse("{} 1").labels()).isEqualTo(Labels.empty());
        assertThat(SeriesDescription.parse("ns:metric:rate5m{a=\"\\\"q\\\"\",} 1").labels())
                .isEqualTo(Labels.of("__name__", "ns:metric:rate5m", "a", "\"q\""));
        assertThatThrownBy(() -> SeriesDescription.parse("m{a!=\"b\"} 1")).hasMessageContaining("'='");
        assertThatThrownBy(() -> SeriesDescription.parse("m{a=\"b\",a=\"c\"} 1")).hasMessageContaining("twice");
        assertThatThrownBy(() -> SeriesDescription.parse("m{__name__=\"x\"} 1")).hasMessageContaining("twice");
        assertThatThrownBy(() -> SeriesDescription.parse("m{a=\"b\" 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void histogramLiterals() {
        Slot s = values("{{schema:1 sum:-0.3 count:3.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 "
                + "n_buckets:[4.1 5] n_offset:-5 counter_reset_hint:gauge}}").get(0);
        FloatHistogram h = s.histogram();
        assertThat(s.hintSet()).isTrue();
        assertThat(h.schema()).isEqualTo(1);
        assertThat(h.sum()).isEqualTo(-0.3);
        assertThat(h.count()).isEqualTo(3.1);
        assertThat(h.zeroCount()).isEqualTo(7.1);
        assertThat(h.zeroThreshold()).isEqualTo(0.05);
        assertThat(h.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
        assertThat(h.positive().spanCount()).isEqualTo(1);
        assertThat(h.positive().spanOffset(0)).isEqualTo(-3);
        assertThat(h.positive().spanLength(0)).isEqualTo(3);
        assertThat(h.positive().count(2)).isEqualTo(7);
        assertThat(h.negative().spanOffset(0)).isEqualTo(-5);
        assertThat(h.negative().count(0)).isEqualTo(4.1);

        Slot nhcb = values("{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}").get(0);
        assertThat(nhcb.hintSet()).isFalse();
        assertThat(nhcb.histogram().customBoundCount()).isEqualTo(2);
        assertThat(nhcb.histogram().customBound(1)).isEqualTo(10);

        Slot empty = values("{{}}").get(0);
        assertThat(empty.histogram()).isEqualTo(new FloatHistogram());
        assertThat(values("{{buckets:[Inf -1 NaN]}}").get(0).histogram().positive().count(0))
                .isEqualTo(Double.POSITIVE_INFINITY);

        assertThatThrownBy(() -> values("{{sum:1 sum:2}}")).hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> values("{{bogus:1}}")).hasMessageContaining("unknown histogram key");
        assertThatThrownBy(() -> values("{{counter_reset_hint:maybe}}")).hasMessageContaining("maybe");
        assertThatThrownBy(() -> values("{{schema:1.5}}")).hasMessageContaining("integer");
    }

    @Test
    void histogramRepetitionCopies() {
        List<Slot> v = values("{{schema:0 sum:1 count:1}}x2 _ 3");
        assertThat(v).hasSize(5);
        assertThat(v.get(0).histogram()).isEqualTo(v.get(2).histogram()).isNotSameAs(v.get(2).histogram());
        assertThat(v.get(3).isGap()).isTrue();
        assertThat(v.get(4).value()).isEqualTo(3);
    }

    @Test
    void histogramStepsAddBucketByBucket() {
        List<Slot> v = values("{{schema:0 sum:4 count:4 buckets:[1 2 1]}}+{{sum:2 count:1 buckets:[1] offset:1}}x2");
        assertThat(v).extracting(Slot::toString).containsExactly(
                "{{count:4 sum:4 buckets:[1 2 1]}}",
                "{{count:5 sum:6 buckets:[1 3 1]}}",
                "{{count:6 sum:8 buckets:[1 4 1]}}");
        // spans that do not overlap are merged into one layout
        List<Slot> w = values("{{buckets:[1] offset:-2}}+{{buckets:[1] offset:2}}x1");
        FloatHistogram h = w.get(1).histogram();
        assertThat(Histograms.Side.of(h.positive()).indexes()).containsExactly(-2, 2);
        assertThat(Histograms.testExpression(h)).isEqualTo("{{buckets:{-2:1 2:1}}}");
        // subtraction
        assertThat(values("{{sum:10 count:10 buckets:[5 5]}}-{{sum:1 count:2 buckets:[1 1]}}x2").get(2).toString())
                .isEqualTo("{{count:6 sum:8 buckets:[3 3]}}");
    }

    @Test
    void histogramStepsBringTheIncrementDownToTheBasesSchema() {
        // schema 0 buckets 1 and 2 both fall into schema -1 bucket 1
        List<Slot> v = values("{{schema:-1 sum:4 count:1 buckets:[1] offset:1}}+{{schema:0 sum:4 count:4 buckets:[2 2] offset:1}}x1");
        assertThat(v.get(1).toString()).isEqualTo("{{schema:-1 count:5 sum:8 offset:1 buckets:[5]}}");
        assertThatThrownBy(() -> values("{{schema:1}}+{{schema:0}}x1")).hasMessageContaining("cannot merge from schema 0 to 1");
        assertThatThrownBy(() -> values("{{schema:-53 custom_values:[1]}}+{{schema:0}}x1"))
                .hasMessageContaining("mix of exponential and custom");
    }

    @Test
    void hintCountsAsSetWhenTheIncrementWroteIt() {
        List<Slot> gauge = values("{{sum:2 count:2 counter_reset_hint:gauge}}+{{sum:1 count:3 counter_reset_hint:gauge}}x1");
        assertThat(gauge).allMatch(Slot::hintSet);
        assertThat(gauge.get(1).histogram().counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
        List<Slot> baseOnly = values("{{count:1 counter_reset_hint:reset}}+{{count:1}}x1");
        assertThat(baseOnly).noneMatch(Slot::hintSet);
        assertThat(baseOnly.get(0).histogram().counterResetHint()).isEqualTo(CounterResetHint.RESET);
        assertThat(baseOnly.get(1).histogram().counterResetHint()).isEqualTo(CounterResetHint.UNKNOWN);
    }

    @Test
    void compactionDropsEmptyBucketsAndMergesSmallGaps() {
        FloatHistogram h = values("{{buckets:[0 1 0 0 2 0 0 0 3 0] offset:-1}}").get(0).histogram();
        assertThat(Histograms.Side.of(Histograms.compact(h, 0).positive()).indexes()).containsExactly(0, 3, 7);
        FloatHistogram two = Histograms.compact(h, 2);
        assertThat(two.positive().spanCount()).isEqualTo(2);
        assertThat(Histograms.Side.of(two.positive()).counts()).containsExactly(1, 0, 0, 2, 3);
    }
}
