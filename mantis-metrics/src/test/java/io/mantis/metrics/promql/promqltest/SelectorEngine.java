package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.SeriesSelectors;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.Value;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Queryable;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately tiny stand-in for the engine, for testing the runner end to end against a real
 * store: it understands a number literal and a bare instant selector ({@code m}, {@code m{a="b"}})
 * with a 5-minute lookback and staleness, nothing else. Anything else is a parse error.
 */
final class SelectorEngine implements QueryEngine {

    /** Registered nowhere: tests name it with {@code -Dmantis.promql.engineFactory} or use it directly. */
    public static final class Factory implements QueryEngine.Factory {
        @Override
        public QueryEngine create(Queryable storage, Options options) {
            return new SelectorEngine(storage, options.lookbackDelta().toMillis());
        }
    }

    private final Queryable storage;
    private final long lookback;

    SelectorEngine(Queryable storage, long lookback) {
        this.storage = storage;
        this.lookback = lookback;
    }

    @Override
    public QueryResult instant(String query, long t) {
        try {
            Double number = ScriptParser.number(query.strip());
            if (number != null) {
                return QueryResult.of(new Scalar(t, number));
            }
            return QueryResult.of(select(SeriesSelectors.parse(query).toArray(Matcher[]::new), t));
        } catch (ParseException e) {
            return QueryResult.failure(ErrorType.BAD_DATA, e.getMessage());
        }
    }

    @Override
    public QueryResult range(String query, long start, long end, long step) {
        Map<Labels, List<Sample>> bySeries = new TreeMap<>(ResultComparator.LABELS_ORDER);
        for (long t = start; t <= end; t += step) {
            QueryResult r = instant(query, t);
            if (r.failed()) {
                return r;
            }
            Value v = r.value();
            List<Sample> samples = v instanceof Scalar s ? List.of(Sample.ofFloat(Labels.empty(), t, s.v()))
                    : ((Vector) v).samples();
            for (Sample s : samples) {
                bySeries.computeIfAbsent(s.metric(), k -> new ArrayList<>()).add(s);
            }
        }
        List<Series> out = new ArrayList<>();
        bySeries.forEach((labels, samples) -> {
            Series.Builder b = Series.builder(labels);
            for (Sample s : samples) {
                if (s.isHistogram()) {
                    b.addHistogram(s.t(), s.h());
                } else {
                    b.addFloat(s.t(), s.v());
                }
            }
            out.add(b.build());
        });
        return QueryResult.of(new Matrix(out));
    }

    private Vector select(Matcher[] matchers, long t) {
        List<Sample> out = new ArrayList<>();
        try (Querier q = storage.querier(t - lookback + 1, t)) {
            SeriesSet set = q.select(true, matchers);
            ChunkIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                Sample last = null;
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    if (it.timestamp() > t) {
                        break;
                    }
                    if (vt == ValueType.FLOAT) {
                        last = SeriesSink.isStaleMarker(it.value()) ? null
                                : Sample.ofFloat(set.at().labels(), t, it.value());
                    } else {
                        FloatHistogram h = new FloatHistogram();
                        it.histogram(h);
                        last = h.isStale() ? null : Sample.ofHistogram(set.at().labels(), t, h);
                    }
                }
                if (last != null) {
                    out.add(last);
                }
            }
        }
        return new Vector(out);
    }
}
