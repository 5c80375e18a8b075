package io.mantis.metrics.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import java.util.Set;

/**
 * How every read, query and admin endpoint of the API is served: other methods get 405, the body
 * is aggregated, the handler runs on the blocking pool (it reads the store), and an
 * {@link ApiException} becomes Prometheus' error document.
 */
final class ApiRoutes {

    /** A handler of one aggregated request. */
    @FunctionalInterface
    interface Handler {
        HttpResponse handle(AggregatedHttpRequest req) throws Exception;
    }

    private ApiRoutes() {
    }

    static HttpService blocking(Set<HttpMethod> methods, Handler handler) {
        return (ctx, req) -> {
            if (!methods.contains(req.method())) {
                return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8, "Method Not Allowed\n");
            }
            return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
                try {
                    return handler.handle(agg);
                } catch (ApiException e) {
                    return PrometheusApi.error(e.type(), e.getMessage());
                } catch (Exception e) {
                    return PrometheusApi.error(ApiException.Type.INTERNAL, String.valueOf(e.getMessage()));
                }
            }, ctx.blockingTaskExecutor()));
        };
    }

    static final Set<HttpMethod> GET = Set.of(HttpMethod.GET);
    static final Set<HttpMethod> GET_POST = Set.of(HttpMethod.GET, HttpMethod.POST);
    static final Set<HttpMethod> POST_PUT = Set.of(HttpMethod.POST, HttpMethod.PUT);
}
