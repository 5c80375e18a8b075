package io.mantis.metrics.promql.engine;

import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.QueryStats;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.ValueType;
import io.mantis.metrics.promql.parser.Parser;
import io.mantis.metrics.promql.parser.ParserOptions;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.tsdb.Queryable;
import java.util.Objects;

/**
 * A PromQL engine that walks the AST once per evaluation step, as Prometheus' reference engine
 * does, over series that it loads from the store once per query for the whole time span every
 * selector needs. Stateless between queries and safe for concurrent use.
 */
public final class StepwiseEngine implements QueryEngine {

    private final Queryable storage;
    private final Options options;
    private final ParserOptions parserOptions;
    private final boolean seriesAtATime;

    public StepwiseEngine(Queryable storage, Options options) {
        this(storage, options, true);
    }

    /**
     * @param seriesAtATime whether range queries evaluate the subtrees {@link Columns} handles
     *                      series-at-a-time (false only to compare both paths in tests)
     */
    StepwiseEngine(Queryable storage, Options options, boolean seriesAtATime) {
        this.seriesAtATime = seriesAtATime;
        this.storage = Objects.requireNonNull(storage, "storage");
        this.options = Objects.requireNonNull(options, "options");
        this.parserOptions = new ParserOptions(options.has(Feature.EXPERIMENTAL_FUNCTIONS),
                options.has(Feature.DURATION_EXPRESSIONS), options.has(Feature.EXTENDED_RANGE_SELECTORS),
                options.has(Feature.BINOP_FILL_MODIFIERS));
    }

    @Override
    public QueryResult instant(String query, long timeMillis) {
        return instant(query, timeMillis, null);
    }

    @Override
    public QueryResult range(String query, long startMillis, long endMillis, long stepMillis) {
        return range(query, startMillis, endMillis, stepMillis, null);
    }

    @Override
    public QueryResult instant(String query, long timeMillis, QueryStats stats) {
        return run(query, timeMillis, timeMillis, 0, false, stats);
    }

    @Override
    public QueryResult range(String query, long startMillis, long endMillis, long stepMillis, QueryStats stats) {
        if (stepMillis <= 0) {
            return QueryResult.failure(ErrorType.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            return QueryResult.failure(ErrorType.BAD_DATA, "end timestamp must not be before start time");
        }
        return run(query, startMillis, endMillis, stepMillis, true, stats);
    }

    private QueryResult run(String query, long start, long end, long step, boolean isRange, QueryStats stats) {
        long began = System.nanoTime();
        try {
            return parseAndEvaluate(query, start, end, step, isRange, stats);
        } finally {
            if (stats != null) {
                stats.addExecTotal(System.nanoTime() - began);
            }
        }
    }

    private QueryResult parseAndEvaluate(String query, long start, long end, long step, boolean isRange,
            QueryStats stats) {
        Expr expr;
        try {
            expr = Parser.parse(query, parserOptions);
        } catch (ParseException e) {
            return QueryResult.failure(ErrorType.BAD_DATA, e.getMessage());
        }
        if (isRange && expr.type() != ValueType.VECTOR && expr.type() != ValueType.SCALAR) {
            return QueryResult.failure(ErrorType.BAD_DATA, "invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        Evaluator ev = new Evaluator(storage, options, query, start, end, step);
        ev.stats = stats;
        ev.seriesAtATime = seriesAtATime;
        try {
            return ev.run(expr, isRange);
        } catch (EvalException e) {
            return QueryResult.failure(e.type(), e.getMessage(), ev.annotations());
        } catch (StackOverflowError e) {
            return QueryResult.failure(ErrorType.EXECUTION, "query too deeply nested", ev.annotations());
        }
    }
}
