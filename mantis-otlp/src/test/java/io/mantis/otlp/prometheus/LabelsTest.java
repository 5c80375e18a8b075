package io.mantis.otlp.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void sortsByNameAndKeepsLastDuplicate() {
        Labels l = Labels.of("b", "2", "a", "1", "__name__", "m", "b", "3");
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.name(0)).isEqualTo("__name__");
        assertThat(l.name(1)).isEqualTo("a");
        assertThat(l.name(2)).isEqualTo("b");
        assertThat(l.get("b")).isEqualTo("3");
        assertThat(l.metricName()).isEqualTo("m");
        assertThat(l.get("missing")).isNull();
    }

    @Test
    void uppercaseNamesSortBeforeUnderscoreLikeBytes() {
        Labels l = Labels.of("a", "1", "__name__", "m", "Z", "2");
        assertThat(l.name(0)).isEqualTo("Z");
        assertThat(l.name(1)).isEqualTo("__name__");
    }

    @Test
    void withReplacesInsertsAndRemoves() {
        Labels l = Labels.of("a", "1", "c", "3");
        assertThat(l.with("b", "2").toString()).isEqualTo("{a=\"1\", b=\"2\", c=\"3\"}");
        assertThat(l.with("a", "9").get("a")).isEqualTo("9");
        assertThat(l.with("a", "").size()).isEqualTo(1);
        assertThat(l.with("a", "1")).isSameAs(l);
        assertThat(l.with("zz", null)).isSameAs(l);
    }

    @Test
    void equalityHashAndOrdering() {
        Labels a = Labels.of(Map.of("x", "1", "y", "2"));
        Labels b = Labels.of("y", "2", "x", "1");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
        assertThat(Labels.of("x", "1").compareTo(a)).isNegative();
        assertThat(Labels.of(Map.of("x", ""))).isEqualTo(Labels.empty());
    }

    @Test
    void toStringEscapesValues() {
        assertThat(Labels.of("__name__", "up", "v", "a\"b\\c\nd").toString())
                .isEqualTo("up{v=\"a\\\"b\\\\c\\nd\"}");
    }

    @Test
    void unsortedWirePairsAreSortedKeepingTheLastDuplicateAndEmptyValues() {
        Labels l = Labels.fromUnsortedPairs(new String[] {"z", "1", "a", "", "z", "2", "m", "3"});
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.name(0)).isEqualTo("a");
        assertThat(l.value(0)).isEmpty();
        assertThat(l.get("z")).isEqualTo("2");
        assertThat(l.name(2)).isEqualTo("z");
    }

    @Test
    void oddArgumentCountIsRejected() {
        assertThatThrownBy(() -> Labels.of("a")).isInstanceOf(IllegalArgumentException.class);
    }
}
