package io.mantis.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricRegistryTest {

    private final MetricRegistry registry = new MetricRegistry();

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a-b", "a b", "a.b", "grüße", "a{b}"})
    void rejectsInvalidMetricNames(String name) {
        assertThatThrownBy(() -> registry.gauge(name, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.counter(name, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.histogram(name, "", Histogram.DEFAULT_BUCKETS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.gaugeFn(name, "", () -> 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsColonsAndUnderscoresInMetricNames() {
        assertThat(registry.gauge("mantis:recorded_rule:rate5m", "").name()).isEqualTo("mantis:recorded_rule:rate5m");
        assertThat(registry.gauge("_private", "").name()).isEqualTo("_private");
        assertThat(registry.gauge(":x9", "").name()).isEqualTo(":x9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "__reserved", "a:b", "1a", "a-b", "é"})
    void rejectsInvalidLabelNames(String label) {
        assertThatThrownBy(() -> registry.counter("c", "", label)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsDuplicateAndReservedLabelNames() {
        assertThatThrownBy(() -> registry.gauge("g", "", "a", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> registry.histogram("h", "", Histogram.DEFAULT_BUCKETS, "le"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        // 'le' is only special for histograms.
        assertThat(registry.gauge("g_le", "", "le").labelNames()).containsExactly("le");
    }

    @Test
    void rejectsCounterNamesWithTotalSuffix() {
        assertThatThrownBy(() -> registry.counter("mantis_spans_total", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base name");
        assertThatThrownBy(() -> registry.counterFn("mantis_spans_total", "", () -> 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiresHelpText() {
        assertThatThrownBy(() -> registry.counter("c", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void registrationIsIdempotentForTheSameDefinition() {
        CounterFamily a = registry.counter("mantis_spans", "Spans", "pipeline");
        CounterFamily b = registry.counter("mantis_spans", "Other help is fine", "pipeline");
        assertThat(b).isSameAs(a);
        assertThat(registry.gauge("g", "")).isSameAs(registry.gauge("g", ""));
        double[] buckets = {1, 2};
        assertThat(registry.histogram("h", "", buckets, "x")).isSameAs(registry.histogram("h", "", buckets.clone(), "x"));
        a.labels("p").inc();
        assertThat(b.labels("p").get()).isEqualTo(1);
    }

    @Test
    void conflictingRegistrationsThrow() {
        registry.counter("mantis_spans", "", "pipeline");
        assertThatThrownBy(() -> registry.gauge("mantis_spans", "", "pipeline"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> registry.counter("mantis_spans", "", "pipeline", "extra"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.counter("mantis_spans", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.counterFn("mantis_spans", "", () -> 1))
                .isInstanceOf(IllegalArgumentException.class);

        registry.histogram("mantis_wait", "", new double[] {1, 2});
        assertThatThrownBy(() -> registry.histogram("mantis_wait", "", new double[] {1, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sampleNamesMustNotCollideAcrossFamilies() {
        registry.counter("foo", "");
        assertThatThrownBy(() -> registry.gauge("foo_total", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("foo_total");
        registry.histogram("bar", "", Histogram.DEFAULT_BUCKETS);
        assertThatThrownBy(() -> registry.gauge("bar_count", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.gauge("bar_bucket", "")).isInstanceOf(IllegalArgumentException.class);
        // And in the other order.
        registry.gauge("baz_sum", "");
        assertThatThrownBy(() -> registry.histogram("baz", "", Histogram.DEFAULT_BUCKETS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unregisterRemovesTheFamilyAndFreesItsNames() throws IOException {
        CounterFamily spans = registry.counter("mantis_spans", "");
        Counter bound = spans.unlabelled();
        assertThat(registry.unregister("mantis_spans")).isTrue();
        assertThat(registry.unregister("mantis_spans")).isFalse();
        bound.inc(); // still usable, just not exported
        assertThat(TextFormatTest.write004(registry)).isEmpty();
        // Both the family name and its sample names can be reused.
        registry.gauge("mantis_spans_total", "");
        assertThat(registry.gauge("mantis_spans", "").type()).isEqualTo(MetricType.GAUGE);
    }

    @Test
    void callbackRegistration() throws IOException {
        DoubleSupplier supplier = () -> 5;
        registry.gaugeFn("mantis_size", "", supplier);
        registry.gaugeFn("mantis_size", "", supplier); // same supplier: no-op
        assertThatThrownBy(() -> registry.gaugeFn("mantis_size", "", () -> 6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.counterFn("mantis_size", "", supplier))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TextFormatTest.write004(registry)).isEqualTo("# TYPE mantis_size gauge\nmantis_size 5\n");
        assertThat(registry.unregister("mantis_size")).isTrue();
        registry.gaugeFn("mantis_size", "", () -> 6);
        assertThat(TextFormatTest.write004(registry)).isEqualTo("# TYPE mantis_size gauge\nmantis_size 6\n");
    }

    @Test
    void collectorsRegisterOnceAndCanBeRemoved() throws IOException {
        Collector collector = sink -> {
            sink.family("mantis_dynamic", MetricType.GAUGE, "");
            sink.sample(1);
        };
        registry.register(collector);
        registry.register(collector);
        assertThat(TextFormatTest.write004(registry)).isEqualTo("# TYPE mantis_dynamic gauge\nmantis_dynamic 1\n");
        assertThat(registry.unregister(collector)).isTrue();
        assertThat(registry.unregister(collector)).isFalse();
        assertThat(TextFormatTest.write004(registry)).isEmpty();
    }

    @Test
    void labelValueChecks() {
        CounterFamily family = registry.counter("c", "", "a", "b");
        assertThatThrownBy(() -> family.labels("x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> family.labels("x", "y", "z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> family.labels("x", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("'b'");
        assertThatThrownBy(family::unlabelled).isInstanceOf(IllegalStateException.class);
        assertThat(family.labels("x", "y")).isSameAs(family.labels("x", "y"));
        assertThat(family.labels("x", "y")).isNotSameAs(family.labels("y", "x"));
    }

    @Test
    void labelsKeysAreCopiedFromTheCallersArray() throws IOException {
        GaugeFamily family = registry.gauge("g", "", "k");
        String[] values = {"first"};
        Gauge first = family.labels(values);
        values[0] = "second";
        assertThat(family.labels("first")).isSameAs(first);
        assertThat(TextFormatTest.write004(registry)).contains("g{k=\"first\"} 0").doesNotContain("second");
    }

    @Test
    void unlabelledFamilies() {
        CounterFamily family = registry.counter("c", "");
        assertThat(family.labels()).isSameAs(family.unlabelled());
        assertThatThrownBy(() -> family.labels("x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(family::remove).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void removeAndClearChildren() throws IOException {
        GaugeFamily family = registry.gauge("g", "", "k");
        Gauge a = family.labels("a");
        a.set(1);
        family.labels("b").set(2);
        assertThat(family.remove("a")).isTrue();
        assertThat(family.remove("a")).isFalse();
        assertThat(TextFormatTest.write004(registry)).isEqualTo("# TYPE g gauge\ng{k=\"b\"} 2\n");
        assertThat(family.labels("a")).isNotSameAs(a);
        assertThat(family.labels("a").get()).isZero();
        family.clear();
        assertThat(TextFormatTest.write004(registry)).isEmpty();
    }

    @Test
    void histogramBucketValidation() {
        assertThatThrownBy(() -> registry.histogram("h", "", new double[] {2, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> registry.histogram("h", "", new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.histogram("h", "", new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.histogram("h", "", new double[] {Double.NEGATIVE_INFINITY, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.histogram("h", "", null)).isInstanceOf(IllegalArgumentException.class);
        // A trailing +Inf is accepted and the same as leaving it out.
        HistogramFamily h = registry.histogram("h", "", new double[] {1, 2, Double.POSITIVE_INFINITY});
        assertThat(h.buckets()).containsExactly(1, 2);
        assertThat(registry.histogram("h", "", new double[] {1, 2})).isSameAs(h);
        // Only +Inf: a valid histogram with a single bucket.
        assertThat(registry.histogram("h_inf", "", new double[0]).buckets()).isEmpty();
    }

    @Test
    void registeredBucketsAreCopied() {
        double[] buckets = {1, 2, 3};
        HistogramFamily h = registry.histogram("h", "", buckets);
        buckets[0] = 100;
        assertThat(h.buckets()).containsExactly(1, 2, 3);
    }
}
