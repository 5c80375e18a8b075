package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.promql.QueryEngine;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the engine under test, and the settings the scripts assume (FORMAT.md §7). */
final class EngineFactories {

    /** Names a {@link QueryEngine.Factory} class to use instead of the one {@link ServiceLoader} finds. */
    static final String PROPERTY = "mantis.promql.engineFactory";

    /**
     * The reference's test engine: lookback 5m, default subquery step 1m, 10,000 samples per query,
     * a 100 s timeout, and every optional feature on.
     */
    static final QueryEngine.Options SCRIPT_OPTIONS = QueryEngine.Options.DEFAULTS
            .withLookbackDelta(Duration.ofMinutes(5))
            .withDefaultSubqueryStep(Duration.ofMinutes(1))
            .withMaxSamples(10_000)
            .withTimeout(Duration.ofSeconds(100))
            .withFeatures(EnumSet.allOf(QueryEngine.Feature.class));

    private EngineFactories() {
    }

    /** The factory named by {@link #PROPERTY}, else the first one registered as a service, else none. */
    static Optional<QueryEngine.Factory> find() {
        String name = System.getProperty(PROPERTY);
        if (name != null && !name.isBlank()) {
            try {
                return Optional.of(Class.forName(name.strip()).asSubclass(QueryEngine.Factory.class)
                        .getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + name + " is not a usable "
                        + "QueryEngine.Factory: " + e, e);
            }
        }
        return ServiceLoader.load(QueryEngine.Factory.class).findFirst();
    }
}
