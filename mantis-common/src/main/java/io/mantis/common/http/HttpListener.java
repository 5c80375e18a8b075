package io.mantis.common.http;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import io.mantis.common.lifecycle.Component;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One listening port (HTTP/1.1, HTTP/2 and gRPC on the same socket) as a lifecycle component.
 *
 * <p>Every listener is its own Armeria server so that each port keeps its own limits (request size,
 * timeouts), while all of them share Armeria's common event loops, so a process with nine ports
 * still runs one set of I/O threads.
 */
public final class HttpListener implements Component {
    private final String id;
    private final String host;
    private final int requestedPort;
    private final String purpose;
    private final String urlPath;
    private final Set<String> dependsOn;
    private final Consumer<ServerBuilder> routes;
    private final Duration drainTime;
    private volatile Server server;
    private volatile int port;

    private HttpListener(Builder b) {
        this.id = b.id;
        this.host = b.host;
        this.requestedPort = b.port;
        this.purpose = b.purpose;
        this.urlPath = b.urlPath;
        this.dependsOn = Set.copyOf(b.dependsOn);
        this.routes = b.routes;
        this.drainTime = b.drainTime;
        this.port = b.port;
    }

    public static Builder builder(String id, String host, int port) {
        return new Builder(id, host, port);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /** What a person finds on this port, for the start-up table. */
    public String purpose() {
        return purpose;
    }

    /** The host as configured; empty means every interface. */
    public String host() {
        return host;
    }

    /** The bound port (the OS-chosen one when 0 was requested), valid after start. */
    public int port() {
        return port;
    }

    /** A URL to open for this listener, using a host name a browser on this machine can reach. */
    public String url() {
        String h = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "localhost"
                : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port + urlPath;
    }

    @Override
    public void start() {
        ServerBuilder sb = Server.builder();
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(requestedPort)
                : new InetSocketAddress(host, requestedPort);
        sb.port(new ServerPort(address, SessionProtocol.HTTP));
        // Mantis exports its own metrics; Armeria's Micrometer meters would only collide between
        // listeners in the global registry, so each listener gets a registry that keeps nothing.
        sb.meterRegistry(new CompositeMeterRegistry());
        // Graceful: stop accepting, let in-flight requests finish up to the drain time.
        sb.gracefulShutdownTimeout(Duration.ZERO, drainTime);
        sb.connectionDrainDuration(Duration.ZERO);
        routes.accept(sb);
        Server s = sb.build();
        try {
            s.start().join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + address.getHostString() + ":" + requestedPort
                    + " (" + purpose + "): " + cause.getMessage(), cause);
        }
        server = s;
        port = s.activeLocalPort();
    }

    @Override
    public void stop() throws InterruptedException {
        Server s = server;
        if (s == null) {
            return;
        }
        server = null;
        // Armeria closes the listening socket within milliseconds of stop(), then drains the open
        // connections; the returned future also waits out Netty's two-second quiet period on the
        // acceptor thread, which would add two seconds per port to every shutdown. So wait for the
        // connections to drain (bounded by the drain time) and let that quiet period end in the
        // background.
        CompletableFuture<Void> stopped = s.stop();
        long deadline = System.nanoTime() + drainTime.toNanos();
        while (s.numConnections() > 0 && System.nanoTime() < deadline && !stopped.isDone()) {
            Thread.sleep(5);
        }
        try {
            stopped.get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillQuiescing) {
            // Expected: only the acceptor's quiet period is left.
        } catch (ExecutionException e) {
            throw new IllegalStateException("stopping " + id + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public boolean isReady() {
        Server s = server;
        return s != null && !s.activePorts().isEmpty();
    }

    public static final class Builder {
        private final String id;
        private final String host;
        private final int port;
        private String purpose = "";
        private String urlPath = "/";
        private Set<String> dependsOn = Set.of();
        private Consumer<ServerBuilder> routes = sb -> { };
        private Duration drainTime = Duration.ofSeconds(5);

        private Builder(String id, String host, int port) {
            this.id = id;
            this.host = host == null ? "" : host;
            this.port = port;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder urlPath(String urlPath) {
            this.urlPath = urlPath;
            return this;
        }

        public Builder dependsOn(Set<String> ids) {
            this.dependsOn = ids;
            return this;
        }

        public Builder routes(Consumer<ServerBuilder> routes) {
            this.routes = routes;
            return this;
        }

        public Builder drainTime(Duration drainTime) {
            this.drainTime = drainTime;
            return this;
        }

        public HttpListener build() {
            return new HttpListener(this);
        }
    }
}
