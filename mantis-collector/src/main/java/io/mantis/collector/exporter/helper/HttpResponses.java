package io.mantis.collector.exporter.helper;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import io.mantis.collector.consumer.ConsumeException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How HTTP exporters read a push endpoint's answer: success, retry later, or give up. */
public final class HttpResponses {
    private HttpResponses() {
    }

    /**
     * Null for 2xx; a retryable error for 429, 502, 503 and 504 (the codes OTLP/HTTP, Loki and
     * remote write senders retry), honouring {@code Retry-After}; a permanent error otherwise,
     * carrying the start of the response body, which is where push endpoints explain themselves.
     */
    public static ConsumeException classify(AggregatedHttpResponse r, String target) {
        int code = r.status().code();
        if (code >= 200 && code < 300) {
            return null;
        }
        String body = r.contentUtf8();
        if (body.length() > 512) {
            body = body.substring(0, 512) + "...";
        }
        String msg = target + " answered " + r.status() + (body.isBlank() ? "" : ": " + body.strip());
        if (code == 429 || code == 502 || code == 503 || code == 504) {
            return ConsumeException.retryable(msg, retryAfter(r.headers().get(HttpHeaderNames.RETRY_AFTER)));
        }
        return ConsumeException.permanent(msg);
    }

    /** Retry-After as delta-seconds or an HTTP-date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
