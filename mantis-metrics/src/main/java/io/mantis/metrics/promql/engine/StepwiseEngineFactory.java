package io.mantis.metrics.promql.engine;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.tsdb.Queryable;

/** Registered as the {@link QueryEngine.Factory} service; creates {@link StepwiseEngine}s. */
public final class StepwiseEngineFactory implements QueryEngine.Factory {

    @Override
    public QueryEngine create(Queryable storage, QueryEngine.Options options) {
        return new StepwiseEngine(storage, options);
    }
}
