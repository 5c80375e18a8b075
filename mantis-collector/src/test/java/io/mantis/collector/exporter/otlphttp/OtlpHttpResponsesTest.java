package io.mantis.collector.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.mantis.collector.Signal;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.common.config.ConfigValueException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The OTLP/HTTP response rules and the endpoint rules, without a network. */
class OtlpHttpResponsesTest {
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
        assertThat(OtlpHttpResponses.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(OtlpHttpResponses.retryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(OtlpHttpResponses.retryAfter("Sun, 01 Mar 2026 12:00:30 GMT", NOW))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(OtlpHttpResponses.retryAfter("Sunday, 01-Mar-26 12:01:00 GMT", NOW))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(OtlpHttpResponses.retryAfter("Sun Mar  1 12:00:05 2026", NOW)).isEqualTo(Duration.ofSeconds(5));
        // A date already past means now.
        assertThat(OtlpHttpResponses.retryAfter("Sat, 28 Feb 2026 12:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        // Unreadable or absent: the sender's own back-off applies.
        assertThat(OtlpHttpResponses.retryAfter(null, NOW)).isNull();
        assertThat(OtlpHttpResponses.retryAfter("", NOW)).isNull();
        assertThat(OtlpHttpResponses.retryAfter("-3", NOW)).isNull();
        assertThat(OtlpHttpResponses.retryAfter("soon", NOW)).isNull();
        assertThat(OtlpHttpResponses.retryAfter("99999999999999999999999", NOW)).isNull();
    }

    @Test
    void onlyTheFourRetryableCodesAreRetriedAndRetryAfterIsHonoured() {
        for (int code : new int[] {429, 502, 503, 504}) {
            ConsumeException e = OtlpHttpResponses.classify(response(code, null, new byte[0], "retry-after", "3"),
                    "http://x/v1/traces");
            assertThat(e.retryable()).as("%d", code).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        }
        assertThat(OtlpHttpResponses.classify(response(503, null, new byte[0]), "u").retryAfter()).isNull();
        for (int code : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 501}) {
            assertThat(OtlpHttpResponses.classify(response(code, null, new byte[0]), "u").permanent())
                    .as("%d", code).isTrue();
        }
    }

    @Test
    void theErrorCarriesTheStatusMessageInTheBodysEncoding() {
        ConsumeException proto = OtlpHttpResponses.classify(response(400,
                MediaType.parse("application/x-protobuf"), status("span 3 has no trace id")), "http://h:1/v1/traces");
        assertThat(proto.getMessage())
                .isEqualTo("http://h:1/v1/traces answered 400 Bad Request: span 3 has no trace id");

        ConsumeException json = OtlpHttpResponses.classify(response(400, MediaType.JSON,
                "{\"code\":3,\"details\":[{\"@type\":\"x\",\"a\":[1,{}]}],\"message\":\"bad \\\"json\\\"\"}"
                        .getBytes()), "u");
        assertThat(json.getMessage()).endsWith(": bad \"json\"");

        // A proxy's page is no Status: its start stands in, on one line.
        ConsumeException text = OtlpHttpResponses.classify(response(502, MediaType.PLAIN_TEXT_UTF_8,
                "upstream\nconnect error".getBytes()), "u");
        assertThat(text.getMessage()).isEqualTo("u answered 502 Bad Gateway: upstream connect error");
        ConsumeException html = OtlpHttpResponses.classify(response(413, MediaType.HTML_UTF_8,
                ("<html>" + "x".repeat(1000) + "</html>").getBytes()), "u");
        assertThat(html.getMessage()).hasSizeLessThan(600).endsWith("...");

        ConsumeException empty = OtlpHttpResponses.classify(response(404, null, new byte[0]), "u");
        assertThat(empty.getMessage()).isEqualTo("u answered 404 Not Found");
    }

    @Test
    void signalUrlsJoinTheBaseWithOneSlashAndOwnEndpointsWin() {
        OtlpHttpExporterConfig c = config("http://h:4318", null);
        assertThat(c.url(Signal.TRACES)).hasToString("http://h:4318/v1/traces");
        assertThat(config("https://h/otlp/", null).url(Signal.LOGS)).hasToString("https://h/otlp/v1/logs");
        assertThat(config("https://h/otlp", null).url(Signal.METRICS)).hasToString("https://h/otlp/v1/metrics");
        OtlpHttpExporterConfig own = config("http://h:4318", "http://other:9/ingest?tenant=a");
        assertThat(own.url(Signal.TRACES)).hasToString("http://other:9/ingest?tenant=a");
        assertThat(own.url(Signal.LOGS)).hasToString("http://h:4318/v1/logs");
        Assertions.assertThatThrownBy(() -> config(null, "http://t/x").url(Signal.LOGS))
                .hasMessageContaining("no endpoint for logs");
    }

    @Test
    void badValuesAreConfigErrorsNamingTheKey() {
        Assertions.assertThatThrownBy(() -> config("localhost:4318", null))
                .isInstanceOfSatisfying(ConfigValueException.class, e -> assertThat(e.getMessage())
                        .contains("must start with http:// or https://"));
        Assertions.assertThatThrownBy(() -> config("http://h/?a=b", null))
                .hasMessageContaining("takes no query");
        Assertions.assertThatThrownBy(() -> new OtlpHttpExporterConfig("http://h", null, null, null, "yaml", "gzip",
                Map.of(), Duration.ofSeconds(1), null, null, null)).hasMessageContaining("expected proto or json");
        Assertions.assertThatThrownBy(() -> new OtlpHttpExporterConfig("http://h", null, null, null, "proto", "lz4",
                Map.of(), Duration.ofSeconds(1), null, null, null)).hasMessageContaining("expected gzip, zstd or none");
    }

    private static OtlpHttpExporterConfig config(String endpoint, String traces) {
        return new OtlpHttpExporterConfig(endpoint, traces, null, null, "proto", "gzip", Map.of(),
                Duration.ofSeconds(5), null, null, null);
    }
}
