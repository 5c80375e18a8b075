package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import io.mantis.common.config.Durations;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.QueryStats;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.Prettifier;
import io.mantis.metrics.promql.parser.Parser;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.QueryResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * PromQL over HTTP, as Prometheus serves it: {@code /api/v1/query} and {@code /api/v1/query_range}
 * (GET or POST form) with optional {@code stats}, {@code /api/v1/format_query} and
 * {@code /api/v1/parse_query}; results in Prometheus' JSON ({@link QueryResultJson},
 * {@link QueryStatsJson}, {@link AstJson}), errors with its error types and statuses.
 */
public final class QueryApi {

    /** Prometheus refuses range queries with more points per series than this. */
    static final long MAX_POINTS = 11_000;

    private final Function<Duration, QueryEngine> engines;
    private final Duration defaultTimeout;

    /**
     * @param engines       an engine for a query timeout (the API's {@code timeout} parameter)
     * @param defaultTimeout the timeout when the request names none
     */
    public QueryApi(Function<Duration, QueryEngine> engines, Duration defaultTimeout) {
        this.engines = engines;
        this.defaultTimeout = defaultTimeout;
    }

    public void routes(ServerBuilder sb) {
        sb.service("/api/v1/query", serve(this::instant));
        sb.service("/api/v1/query_range", serve(this::range));
        sb.service("/api/v1/format_query", serve(this::format));
        sb.service("/api/v1/parse_query", serve(this::parse));
    }

    private interface Handler {
        HttpResponse handle(Params p);
    }

    private static HttpService serve(Handler h) {
        return ApiRoutes.blocking(ApiRoutes.GET_POST, agg -> h.handle(new Params(agg)));
    }

    private static HttpResponse json(QueryResult r, QueryStats stats) {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(QueryResultJson.httpStatus(r)),
                HttpHeaderNames.CONTENT_TYPE, MediaType.JSON), HttpData.wrap(QueryResultJson.encode(r, stats)));
    }

    /**
     * Statistics when the request asks for them: any non-empty {@code stats} value gives timings
     * and sample counts, {@code all} also the counts per step (Prometheus gives those only with
     * its {@code promql-per-step-stats} feature; Mantis always can).
     */
    private static QueryStats stats(Params p) {
        String s = p.get("stats");
        return s == null || s.isEmpty() ? null : new QueryStats("all".equals(s));
    }

    private String query(Params p) {
        String q = p.get("query");
        return q == null ? "" : q;
    }

    private QueryEngine engine(Params p) {
        String t = p.get("timeout");
        if (t == null || t.isEmpty()) {
            return engines.apply(defaultTimeout);
        }
        Duration d = duration("timeout", t);
        return engines.apply(d.compareTo(defaultTimeout) < 0 ? d : defaultTimeout);
    }

    /** A parameter that is float seconds or a Prometheus duration ("15s", "1m30s"). */
    private static Duration duration(String name, String text) {
        try {
            double seconds = Double.parseDouble(text);
            if (Double.isFinite(seconds)) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException ignored) {
            // not a number: a duration then
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, "cannot parse \"" + text + "\" to a valid duration");
        }
    }

    /** Parse errors are the query parameter's fault, as Prometheus words them. */
    private static QueryResult withParamPrefix(QueryResult r) {
        if (r.failed() && r.error().type() == ErrorType.BAD_DATA && r.error().message().contains("parse error")) {
            return QueryResult.failure(ErrorType.BAD_DATA, "invalid parameter \"query\": " + r.error().message());
        }
        return r;
    }

    private HttpResponse instant(Params p) {
        long time = p.time("time", System.currentTimeMillis());
        QueryStats stats = stats(p);
        return json(withParamPrefix(engine(p).instant(query(p), time, stats)), stats);
    }

    private HttpResponse range(Params p) {
        String startText = p.get("start");
        String endText = p.get("end");
        String stepText = p.get("step");
        if (startText == null || startText.isEmpty()) {
            throw ApiException.invalidParam("start", "cannot parse \"\" to a valid timestamp");
        }
        if (endText == null || endText.isEmpty()) {
            throw ApiException.invalidParam("end", "cannot parse \"\" to a valid timestamp");
        }
        long start = p.time("start", 0);
        long end = p.time("end", 0);
        if (end < start) {
            throw ApiException.invalidParam("end", "end timestamp must not be before start time");
        }
        if (stepText == null || stepText.isEmpty()) {
            throw ApiException.invalidParam("step", "cannot parse \"\" to a valid duration");
        }
        long step = duration("step", stepText).toMillis();
        if (step <= 0) {
            throw ApiException.invalidParam("step",
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((end - start) / step > MAX_POINTS) {
            throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries."
                    + " Try decreasing the query resolution (?step=XX)");
        }
        QueryStats stats = stats(p);
        return json(withParamPrefix(engine(p).range(query(p), start, end, step, stats)), stats);
    }

    private Expr parsed(Params p) {
        try {
            return Parser.parse(query(p));
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
    }

    /** {@code data} is the expression pretty-printed as Prometheus' {@code format_query} does ({@link Prettifier}). */
    private HttpResponse format(Params p) {
        String text = Prettifier.format(parsed(p));
        return success(g -> g.writeString(text));
    }

    /** {@code data} is the syntax tree as Prometheus' UI tree view reads it ({@link AstJson}). */
    private HttpResponse parse(Params p) {
        Expr expr = parsed(p);
        return success(g -> AstJson.write(g, expr));
    }

    private interface DataWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static HttpResponse success(DataWriter data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = PromJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeFieldName("data");
            data.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON),
                HttpData.wrap(out.toByteArray()));
    }
}
