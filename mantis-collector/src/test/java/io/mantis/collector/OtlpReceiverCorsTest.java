package io.mantis.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser senders (the OpenTelemetry JS SDK) need CORS on OTLP/HTTP, for the configured origins only. */
class OtlpReceiverCorsTest {
    @TempDir
    Path dir;

    @Test
    void preflightAndPostFromAnAllowedOriginAreAnsweredWithCorsHeaders() throws Exception {
        try (TestCollector c = new TestCollector("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:0
                        cors:
                          allowed_origins: ["https://*.shop.example", "http://localhost:8080"]
                          allowed_headers: ["x-tenant"]
                          max_age: 600
                exporters:
                  capture:
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [capture]}
                """, dir, new CapturingExporterFactory())) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + c.port("otlp/http") + "/v1/traces");

            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://web.shop.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type,x-tenant").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("access-control-allow-origin"))
                    .hasValue("https://web.shop.example");
            assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse(""))
                    .contains("POST");
            assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse("").toLowerCase())
                    .contains("x-tenant").contains("content-type");
            assertThat(preflight.headers().firstValue("access-control-max-age")).hasValue("600");

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri)
                    .header("Origin", "http://localhost:8080").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:8080");

            HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example")
                    .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }
}
