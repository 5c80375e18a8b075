package io.mantis.metrics.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.otlp.prometheus.Labels;
import org.junit.jupiter.api.Test;

class StringInternerTest {

    @Test
    void equalStringsBecomeOneObject() {
        StringInterner interner = new StringInterner();
        String a = new String("job");
        String b = new String("job");
        assertThat(interner.intern(a)).isSameAs(a);
        assertThat(interner.intern(b)).isSameAs(a);

        Labels first = interner.intern(Labels.of(new String("job"), new String("api")));
        assertThat(first.name(0)).isSameAs(a);
        assertThat(interner.intern(first)).isSameAs(first);
        Labels second = interner.intern(Labels.of(new String("job"), new String("api"), new String("x"), new String("1")));
        assertThat(second.value(0)).isSameAs(first.value(0));
        assertThat(second).isEqualTo(Labels.of("job", "api", "x", "1"));
        assertThat(interner.size()).isEqualTo(4);

        interner.retainIf(s -> !s.equals("x"));
        assertThat(interner.size()).isEqualTo(3);
        String x = new String("x");
        assertThat(interner.intern(x)).isSameAs(x);
    }
}
