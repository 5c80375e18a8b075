package io.mantis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LeanHttpClientTest {

    @Test
    void readsFixedLengthAndChunkedAnswersOverOneConnection() throws Exception {
        byte[] big = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.equals("/small") ? "{}".getBytes(StandardCharsets.US_ASCII) : big;
            // Length 0 makes the JDK server answer chunked.
            ex.sendResponseHeaders(path.equals("/missing") ? 404 : 200, path.equals("/chunked") ? 0 : body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        try (LeanHttpClient c = new LeanHttpClient("127.0.0.1", server.getAddress().getPort())) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.get("/small")).isEqualTo(200);
                assertThat(c.get("/chunked?i=" + i)).isEqualTo(200);
                assertThat(c.get("/fixed")).isEqualTo(200);
            }
            assertThat(c.get("/missing")).isEqualTo(404);
            assertThat(c.get("/small")).as("the connection stays usable after a whole error answer").isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }
}
