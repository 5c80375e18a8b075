package io.mantis.server;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import io.mantis.common.json.JsonStrings;
import io.mantis.common.lifecycle.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The health endpoints: {@code /health} (liveness: the process answers), {@code /ready} (every
 * configured component is ready; otherwise 503 naming the ones that are not) and, on the
 * collector's configured path, the OpenTelemetry Collector health_check extension's document.
 */
final class HealthService {
    private final Lifecycle lifecycle;
    private final Instant upSince;

    HealthService(Lifecycle lifecycle, Instant upSince) {
        this.lifecycle = lifecycle;
        this.upSince = upSince;
    }

    void addRoutes(ServerBuilder sb, String collectorPath) {
        sb.service("/health", (ctx, req) -> json(HttpStatus.OK,
                "{\"status\":\"up\",\"uptime_seconds\":" + uptime().toMillis() / 1000.0 + "}"));
        sb.service("/ready", (ctx, req) -> ready());
        if (!collectorPath.equals("/health") && !collectorPath.equals("/ready")) {
            sb.service(collectorPath, (ctx, req) -> collectorStatus());
        }
    }

    private HttpResponse ready() {
        Map<String, Boolean> readiness = lifecycle.readiness();
        StringBuilder notReady = new StringBuilder();
        StringBuilder all = new StringBuilder();
        for (Map.Entry<String, Boolean> e : readiness.entrySet()) {
            if (!all.isEmpty()) {
                all.append(',');
            }
            all.append(quote(e.getKey())).append(':').append(quote(e.getValue() ? "ready" : "not ready"));
            if (!e.getValue()) {
                if (!notReady.isEmpty()) {
                    notReady.append(',');
                }
                notReady.append(quote(e.getKey()));
            }
        }
        if (notReady.isEmpty()) {
            return json(HttpStatus.OK, "{\"status\":\"ready\",\"components\":{" + all + "}}");
        }
        return json(HttpStatus.SERVICE_UNAVAILABLE,
                "{\"status\":\"not ready\",\"not_ready\":[" + notReady + "],\"components\":{" + all + "}}");
    }

    /** The collector's health_check (v1) answer: 200 "Server available" once everything is ready. */
    private HttpResponse collectorStatus() {
        boolean ready = lifecycle.readiness().values().stream().allMatch(Boolean::booleanValue);
        String body = "{\"status\":\"" + (ready ? "Server available" : "Server not available")
                + "\",\"upSince\":\"" + upSince + "\",\"uptime\":\"" + goDuration(uptime()) + "\"}";
        return json(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    private Duration uptime() {
        return Duration.between(upSince, Instant.now());
    }

    /** Go's Duration.String() form, as the collector prints uptime: "1h2m3.5s". */
    static String goDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long h = nanos / 3_600_000_000_000L;
        long m = (nanos / 60_000_000_000L) % 60;
        double s = (nanos % 60_000_000_000L) / 1e9;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        String secs = String.format(java.util.Locale.ROOT, "%.9f", s).replaceAll("0+$", "").replaceAll("\\.$", "");
        return sb.append(secs).append('s').toString();
    }

    private static HttpResponse json(HttpStatus status, String body) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body);
    }

    static String quote(String s) {
        return JsonStrings.quote(s);
    }
}
