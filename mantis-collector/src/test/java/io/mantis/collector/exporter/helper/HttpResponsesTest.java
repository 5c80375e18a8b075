package io.mantis.collector.exporter.helper;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.mantis.collector.consumer.ConsumeException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The OTLP/HTTP response rules and the endpoint rules, without a network. */
class HttpResponsesTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private static AggregatedHttpResponse response(int status, MediaType type, byte[] body, String... headers) {
        var h = ResponseHeaders.builder(HttpStatus.valueOf(status));
        if (type != null) {
            h.contentType(type);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return AggregatedHttpResponse.of(h.build(), HttpData.wrap(body));
    }

    private static byte[] status(String message) {
        return com.google.rpc.Status.newBuilder().setCode(3).setMessage(message).build().toByteArray();
    }

    @Test
    void retryAfterIsDeltaSecondsOrAnyOfTheThreeHttpDateForms() {
        assertThat(HttpResponses.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpResponses.retryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(HttpResponses.retryAfter("Sun, 01 Mar 2026 12:00:30 GMT", NOW))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpResponses.retryAfter("Sunday, 01-Mar-26 12:01:00 GMT", NOW))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(HttpResponses.retryAfter("Sun Mar  1 12:00:05 2026", NOW)).isEqualTo(Duration.ofSeconds(5));
        // A date already past means now.
        assertThat(HttpResponses.retryAfter("Sat, 28 Feb 2026 12:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        // Unreadable or absent: the sender's own back-off applies.
        assertThat(HttpResponses.retryAfter(null, NOW)).isNull();
        assertThat(HttpResponses.retryAfter("", NOW)).isNull();
        assertThat(HttpResponses.retryAfter("-3", NOW)).isNull();
        assertThat(HttpResponses.retryAfter("soon", NOW)).isNull();
        assertThat(HttpResponses.retryAfter("99999999999999999999999", NOW)).isNull();
    }

    @Test
    void onlyTheFourRetryableCodesAreRetriedAndRetryAfterIsHonoured() {
        for (int code : new int[] {429, 502, 503, 504}) {
            ConsumeException e = HttpResponses.classify(response(code, null, new byte[0], "retry-after", "3"),
                    "http://x/v1/traces");
            assertThat(e.retryable()).as("%d", code).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        }
        assertThat(HttpResponses.classify(response(503, null, new byte[0]), "u").retryAfter()).isNull();
        for (int code : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 501}) {
            assertThat(HttpResponses.classify(response(code, null, new byte[0]), "u").permanent())
                    .as("%d", code).isTrue();
        }
    }

    @Test
    void theErrorCarriesTheStatusMessageInTheBodysEncoding() {
        ConsumeException proto = HttpResponses.classify(response(400,
                MediaType.parse("application/x-protobuf"), status("span 3 has no trace id")), "http://h:1/v1/traces");
        assertThat(proto.getMessage())
                .isEqualTo("http://h:1/v1/traces answered 400 Bad Request: span 3 has no trace id");

        ConsumeException json = HttpResponses.classify(response(400, MediaType.JSON,
                "{\"code\":3,\"details\":[{\"@type\":\"x\",\"a\":[1,{}]}],\"message\":\"bad \\\"json\\\"\"}"
                        .getBytes()), "u");
        assertThat(json.getMessage()).endsWith(": bad \"json\"");

        // A proxy's page is no Status: its start stands in, on one line.
        ConsumeException text = HttpResponses.classify(response(502, MediaType.PLAIN_TEXT_UTF_8,
                "upstream\nconnect error".getBytes()), "u");
        assertThat(text.getMessage()).isEqualTo("u answered 502 Bad Gateway: upstream connect error");
        ConsumeException html = HttpResponses.classify(response(413, MediaType.HTML_UTF_8,
                ("<html>" + "x".repeat(1000) + "</html>").getBytes()), "u");
        assertThat(html.getMessage()).hasSizeLessThan(600).endsWith("...");

        ConsumeException empty = HttpResponses.classify(response(404, null, new byte[0]), "u");
        assertThat(empty.getMessage()).isEqualTo("u answered 404 Not Found");
    }

}
