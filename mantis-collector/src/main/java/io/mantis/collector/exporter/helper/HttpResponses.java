package io.mantis.collector.exporter.helper;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.MediaType;
import io.mantis.collector.consumer.ConsumeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/** How an OTLP/HTTP exporter reads a failed answer: retry (when) or give up, and why. */
public final class HttpResponses {
    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
    private static final JsonFactory JSON = new JsonFactory();
    /** HTTP-date's three forms (RFC 9110 5.6.7): recipients must read the two obsolete ones too. */
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    // A two-digit year more than 50 years ahead means the past century.
                    .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(50))
                    .appendPattern(" HH:mm:ss zzz").toFormatter(Locale.US),
            new DateTimeFormatterBuilder().appendPattern("EEE MMM ppd HH:mm:ss yyyy").toFormatter(Locale.US)
                    .withZone(ZoneOffset.UTC));

    private HttpResponses() {
    }

    /**
     * Null for 2xx. Otherwise the rules OTLP/HTTP, Loki and remote-write senders share: 429, 502,
     * 503 and 504 are retryable, after {@code Retry-After} when the server sent one; everything
     * else is permanent. The message carries the google.rpc.Status message of the body, or the
     * start of a body that is not one (push endpoints explain themselves in plain text).
     */
    public static ConsumeException classify(AggregatedHttpResponse r, String url) {
        int code = r.status().code();
        if (code >= 200 && code < 300) {
            return null;
        }
        String why = explanation(r);
        String msg = url + " answered " + r.status() + (why.isEmpty() ? "" : ": " + why);
        if (code == 429 || code == 502 || code == 503 || code == 504) {
            return ConsumeException.retryable(msg, retryAfter(r.headers().get(HttpHeaderNames.RETRY_AFTER),
                    ZonedDateTime.now(ZoneOffset.UTC)));
        }
        return ConsumeException.permanent(msg);
    }

    /** What the body says about a failure: the Status message, a text snippet, or nothing. */
    static String explanation(AggregatedHttpResponse r) {
        byte[] body = r.content().array();
        if (body.length == 0) {
            return "";
        }
        MediaType type = r.headers().contentType();
        if (type != null && (type.is(PROTOBUF) || type.is(MediaType.PROTOBUF))) {
            try {
                String m = com.google.rpc.Status.parseFrom(body).getMessage();
                if (!m.isEmpty()) {
                    return m;
                }
            } catch (InvalidProtocolBufferException e) {
                return "(a protobuf body that is not a google.rpc.Status)";
            }
            return "";
        }
        if (type != null && type.is(MediaType.JSON)) {
            String m = jsonStatusMessage(body);
            if (m != null) {
                return m;
            }
        }
        return snippet(body);
    }

    /** The top-level {@code message} of a google.rpc.Status in JSON, or null. */
    static String jsonStatusMessage(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("message") && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The start of a body sent by something other than an OTLP server (a proxy's error page). */
    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8).strip();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return body.length > 512 ? sb + "..." : sb.toString();
    }

    /**
     * {@code Retry-After} as delta-seconds or an HTTP-date, relative to {@code now}; null when
     * absent or unreadable (the sender's back-off applies then). A date in the past is zero.
     */
    static Duration retryAfter(String value, ZonedDateTime now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException tooLarge) {
                return null;
            }
        }
        for (DateTimeFormatter f : HTTP_DATES) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v, f));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notThisForm) {
                // try the next form
            }
        }
        return null;
    }
}
