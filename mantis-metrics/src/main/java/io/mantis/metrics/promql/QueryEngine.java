package io.mantis.metrics.promql;

import io.mantis.common.config.ConfigValueException;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.tsdb.Queryable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates PromQL against a store, as Prometheus' {@code /api/v1/query} and
 * {@code /api/v1/query_range} do. An engine is bound to one {@link Queryable} and its
 * {@link Options} when it is created ({@link Factory}); it may be used by many threads at once.
 *
 * <p>Neither method throws for anything the query or the data can cause: a query that does not
 * parse fails with {@link io.mantis.metrics.promql.value.ErrorType#BAD_DATA} and Prometheus'
 * parse-error text ({@code 1:5: parse error: ...}); one that cannot be evaluated with
 * {@code EXECUTION}, {@code TIMEOUT} or {@code CANCELED} (interrupt of the calling thread).
 */
public interface QueryEngine {

    /**
     * Evaluates {@code query} at one instant. The result is a vector, a scalar, a string, or (for a
     * range-vector expression such as {@code metric[5m]}) a matrix.
     */
    QueryResult instant(String query, long timeMillis);

    /**
     * Evaluates {@code query} at {@code start}, {@code start + step}, ... up to and including
     * {@code end}. The result is always a matrix sorted by labels; a scalar expression gives one
     * series with no labels. Only instant-vector and scalar expressions are allowed.
     */
    QueryResult range(String query, long startMillis, long endMillis, long stepMillis);

    /**
     * {@link #instant(String, long)}, filling {@code stats} with the query's timings and sample
     * counts. Engines that keep no statistics leave it untouched.
     */
    default QueryResult instant(String query, long timeMillis, QueryStats stats) {
        return instant(query, timeMillis);
    }

    /** {@link #range(String, long, long, long)}, filling {@code stats} as {@link #instant(String, long, QueryStats)} does. */
    default QueryResult range(String query, long startMillis, long endMillis, long stepMillis, QueryStats stats) {
        return range(query, startMillis, endMillis, stepMillis);
    }

    /** Language features beyond Prometheus' defaults, each behind a flag there too. */
    enum Feature {
        /** {@code --enable-feature=promql-experimental-functions}: {@code info}, {@code sort_by_label}, {@code limitk}, ... */
        EXPERIMENTAL_FUNCTIONS,
        /** {@code promql-duration-expr}: {@code [5m * 2]}, {@code offset (1m + 30s)}, {@code step()}, {@code range()}. */
        DURATION_EXPRESSIONS,
        /** {@code promql-extended-range-selectors}: the {@code anchored} and {@code smoothed} modifiers. */
        EXTENDED_RANGE_SELECTORS,
        /** {@code promql-binop-fill-modifiers}: {@code fill(...)}, {@code fill_left}, {@code fill_right}. */
        BINOP_FILL_MODIFIERS,
        /** {@code promql-delayed-name-removal}: {@code __name__} is dropped at the end, not at each function. */
        DELAYED_NAME_REMOVAL,
        /** {@code use-start-timestamps}: counters' start timestamps take part in rate and friends. */
        START_TIMESTAMPS
    }

    /**
     * @param lookbackDelta       how far back an instant selector looks for a sample (5m)
     * @param timeout             longest evaluation before it fails with {@code timeout} (2m)
     * @param maxSamples          most samples one query may hold in memory at once before it fails
     *                            with {@code execution} (50,000,000 as Prometheus' {@code --query.max-samples})
     * @param defaultSubqueryStep the resolution of a subquery that gives none ({@code [10m:]}):
     *                            Prometheus' global evaluation interval (1m)
     * @param features            the optional language features turned on
     */
    record Options(Duration lookbackDelta, Duration timeout, long maxSamples, Duration defaultSubqueryStep,
                   Set<Feature> features) {

        public static final Options DEFAULTS = new Options(Duration.ofMinutes(5), Duration.ofMinutes(2),
                50_000_000, Duration.ofMinutes(1), Set.of());

        public Options {
            if (lookbackDelta == null || lookbackDelta.isNegative() || lookbackDelta.isZero()) {
                throw new ConfigValueException("lookback_delta", "must be a positive duration, e.g. 5m");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ConfigValueException("timeout", "must be a positive duration, e.g. 2m");
            }
            if (maxSamples < 1) {
                throw new ConfigValueException("max_samples", "must be at least 1, got " + maxSamples);
            }
            if (defaultSubqueryStep == null || defaultSubqueryStep.toMillis() < 1) {
                throw new ConfigValueException("default_subquery_step", "must be at least 1ms");
            }
            features = features == null || features.isEmpty() ? Set.of()
                    : Set.copyOf(EnumSet.copyOf(features));
        }

        public Options withLookbackDelta(Duration d) {
            return new Options(d, timeout, maxSamples, defaultSubqueryStep, features);
        }

        public Options withTimeout(Duration d) {
            return new Options(lookbackDelta, d, maxSamples, defaultSubqueryStep, features);
        }

        public Options withMaxSamples(long n) {
            return new Options(lookbackDelta, timeout, n, defaultSubqueryStep, features);
        }

        public Options withDefaultSubqueryStep(Duration d) {
            return new Options(lookbackDelta, timeout, maxSamples, d, features);
        }

        public Options withFeatures(Set<Feature> f) {
            return new Options(lookbackDelta, timeout, maxSamples, defaultSubqueryStep, f);
        }

        public boolean has(Feature f) {
            return features.contains(Objects.requireNonNull(f));
        }
    }

    /**
     * Creates engines; implementations are found with {@link java.util.ServiceLoader} (a
     * {@code META-INF/services/io.mantis.metrics.promql.QueryEngine$Factory} entry) or named
     * directly, and need a public no-argument constructor.
     */
    interface Factory {

        /** An engine over {@code storage}, which it does not own (closing the store is the caller's job). */
        QueryEngine create(Queryable storage, Options options);
    }
}
