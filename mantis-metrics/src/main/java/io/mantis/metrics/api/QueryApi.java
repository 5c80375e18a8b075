package io.mantis.metrics.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
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
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.Printer;
import io.mantis.metrics.promql.parser.Parser;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.QueryResult;
import java.time.Duration;
import java.util.function.Function;

/**
 * PromQL over HTTP, as Prometheus serves it: {@code /api/v1/query} and {@code /api/v1/query_range}
 * (GET or POST form), {@code /api/v1/format_query}; results in Prometheus' JSON
 * ({@link QueryResultJson}), errors with its error types and statuses.
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
    }

    private interface Handler {
        HttpResponse handle(Params p);
    }

    private static HttpService serve(Handler h) {
        return ApiRoutes.blocking(ApiRoutes.GET_POST, agg -> h.handle(new Params(agg)));
    }

    private static HttpResponse json(QueryResult r) {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(QueryResultJson.httpStatus(r)),
                HttpHeaderNames.CONTENT_TYPE, MediaType.JSON), HttpData.wrap(QueryResultJson.encode(r)));
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
        return json(withParamPrefix(engine(p).instant(query(p), time)));
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
        return json(withParamPrefix(engine(p).range(query(p), start, end, step)));
    }

    private HttpResponse format(Params p) {
        Expr expr;
        try {
            expr = Parser.parse(query(p));
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = PromJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeStringField("data", Printer.format(expr));
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON),
                HttpData.wrap(out.toByteArray()));
    }
}
