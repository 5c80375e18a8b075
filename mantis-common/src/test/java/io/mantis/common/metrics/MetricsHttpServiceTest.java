package io.mantis.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Content negotiation against a real Armeria server and the JDK HTTP client. */
class MetricsHttpServiceTest {

    private static final MetricRegistry registry = new MetricRegistry();
    private static Server server;
    private static HttpClient client;
    private static URI uri;

    @BeforeAll
    static void start() {
        registry.counter("mantis_requests", "Requests", "code").labels("200").inc(7);
        JvmMetrics.register(registry);
        server = Server.builder().http(0).service("/metrics", new MetricsHttpService(registry)).build();
        server.start().join();
        uri = URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/metrics");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.stop().join();
        client.close();
    }

    @Test
    void servesText004ByDefault() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(TextFormat.CONTENT_TYPE_004);
        assertThat(response.headers().firstValue("content-encoding")).isEmpty();
        assertThat(response.body()).contains("# TYPE mantis_requests_total counter\n",
                "mantis_requests_total{code=\"200\"} 7\n").doesNotContain("# EOF");
        ExpositionParser.parse004(response.body());
    }

    @Test
    void servesOpenMetricsWhenAsked() throws Exception {
        HttpResponse<String> response = get("application/openmetrics-text; version=1.0.0", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(TextFormat.CONTENT_TYPE_OPENMETRICS);
        assertThat(response.body()).contains("# TYPE mantis_requests counter\n").endsWith("# EOF\n");
        ExpositionParser.parseOpenMetrics(response.body());
    }

    @Test
    void followsPrometheusAcceptHeader() throws Exception {
        // What Prometheus 2.x sends by default.
        String accept = "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
                + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
        assertThat(get(accept, null).headers().firstValue("content-type")).hasValue(TextFormat.CONTENT_TYPE_OPENMETRICS);
    }

    @Test
    void gzipWhenAccepted() throws Exception {
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip, deflate").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(response.body().length));
        String body = gunzip(response.body());
        assertThat(body).contains("mantis_requests_total{code=\"200\"} 7\n");
        ExpositionParser.parse004(body);
    }

    @Test
    void gzipWithOpenMetrics() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
                        .header("Accept", "application/openmetrics-text")
                        .header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
        ExpositionParser.parseOpenMetrics(gunzip(response.body()));
    }

    @Test
    void postIsNotAllowed() throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void headHasHeadersButNoBody() throws Exception {
        HttpResponse<String> get = get(null, null);
        HttpResponse<String> head = client.send(
                HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-type")).hasValue(TextFormat.CONTENT_TYPE_004);
        assertThat(head.headers().firstValueAsLong("content-length")).isPresent();
        // The JVM metrics change between requests, so only roughly the same size.
        assertThat((double) head.headers().firstValueAsLong("content-length").getAsLong())
                .isBetween(get.body().length() * 0.9, get.body().length() * 1.1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                                                        | false",
        "''                                                          | false",
        "*/*                                                         | false",
        "text/plain                                                  | false",
        "application/json                                            | false",
        "application/openmetrics-text                                | true",
        "APPLICATION/OpenMetrics-Text; version=0.0.1                 | true",
        "text/plain;q=0.9, application/openmetrics-text;q=0.5        | false",
        "text/plain;q=0.5, application/openmetrics-text;q=0.9        | true",
        "application/openmetrics-text, text/plain                    | true",
        "application/openmetrics-text;q=0                            | false",
        "application/openmetrics-text;q=0.3, */*;q=0.5               | false",
        "application/openmetrics-text;q=0.3, text/plain;q=0.1, */*   | true",
        "application/openmetrics-text;q=bogus, text/plain;q=0.1      | false",
    })
    void acceptNegotiation(String accept, boolean openMetrics) {
        assertThat(MetricsHttpService.prefersOpenMetrics(accept)).isEqualTo(openMetrics);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                 | false",
        "identity             | false",
        "gzip                 | true",
        "deflate, GZIP;q=0.5  | true",
        "gzip;q=0             | false",
        "*                    | true",
        "*, gzip;q=0          | false",
        "x-gzip               | true",
    })
    void acceptEncodingNegotiation(String acceptEncoding, boolean gzip) {
        assertThat(MetricsHttpService.acceptsGzip(acceptEncoding)).isEqualTo(gzip);
    }

    private static HttpResponse<String> get(String accept, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
