package io.mantis.it.javaagent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain Java application with no OpenTelemetry code at all, run by {@link JavaAgentIT} under the
 * OpenTelemetry Java agent: everything Mantis receives from it comes from the agent's
 * out-of-the-box instrumentation of the JDK's HTTP server and client and of Logback.
 *
 * <p>{@code GET /checkout?order=ID} logs one line and calls {@code GET /inventory} on itself, so a
 * request gives a server span, a client span under it, a second server span joined to the first
 * trace only through the propagated {@code traceparent} header, and a log record inside the trace.
 * {@code GET /health} answers 200 once the server listens.
 */
public final class CheckoutApp {
    private static final Logger LOG = LoggerFactory.getLogger(CheckoutApp.class);

    private CheckoutApp() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        // /checkout calls back into this server: handlers need more than the dispatcher thread.
        server.setExecutor(Executors.newFixedThreadPool(4));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI inventory = URI.create("http://127.0.0.1:" + port + "/inventory");

        server.createContext("/health", exchange -> respond(exchange, 200, "ok"));
        server.createContext("/inventory", exchange -> respond(exchange, 200, "3 in stock"));
        server.createContext("/checkout", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            String order = query != null && query.startsWith("order=") ? query.substring(6) : "none";
            LOG.info("checkout of order {} started", order);
            try {
                HttpResponse<String> stock = client.send(HttpRequest.newBuilder(inventory).GET()
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                respond(exchange, 200, "order " + order + ": " + stock.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(exchange, 503, "interrupted");
            }
        });
        server.start();
        System.out.println("checkout app listening on 127.0.0.1:" + port);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
