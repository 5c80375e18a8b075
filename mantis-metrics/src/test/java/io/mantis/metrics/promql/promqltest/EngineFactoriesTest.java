package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.promql.QueryEngine;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class EngineFactoriesTest {

    private static void withProperty(String value, Runnable r) {
        String old = System.getProperty(EngineFactories.PROPERTY);
        System.setProperty(EngineFactories.PROPERTY, value);
        try {
            r.run();
        } finally {
            if (old == null) {
                System.clearProperty(EngineFactories.PROPERTY);
            } else {
                System.setProperty(EngineFactories.PROPERTY, old);
            }
        }
    }

    @Test
    void aFactoryNamedByThePropertyIsUsed() {
        withProperty(SelectorEngine.Factory.class.getName(),
                () -> assertThat(EngineFactories.find()).get().isInstanceOf(SelectorEngine.Factory.class));
        withProperty("no.such.Factory", () -> assertThatThrownBy(EngineFactories::find)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no.such.Factory"));
        withProperty(String.class.getName(), () -> assertThatThrownBy(EngineFactories::find)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a usable"));
    }

    @Test
    void theScriptsRunWithTheReferenceTestEnginesSettings() {
        QueryEngine.Options o = EngineFactories.SCRIPT_OPTIONS;
        assertThat(o.lookbackDelta()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.defaultSubqueryStep()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.maxSamples()).isEqualTo(10_000);
        assertThat(o.features()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(QueryEngine.Feature.class));
        assertThatThrownBy(() -> o.withMaxSamples(0)).hasMessageContaining("max_samples");
        assertThatThrownBy(() -> o.withLookbackDelta(Duration.ZERO)).hasMessageContaining("lookback_delta");
        assertThat(QueryEngine.Options.DEFAULTS.features()).isEmpty();
        assertThat(QueryEngine.Options.DEFAULTS.timeout()).isEqualTo(Duration.ofMinutes(2));
    }
}
