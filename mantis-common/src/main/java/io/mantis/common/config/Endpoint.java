package io.mantis.common.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A listen or connect address written {@code host:port}, as in collector configurations:
 * {@code 0.0.0.0:4317}, {@code localhost:8080}, {@code [::1]:4317}, or {@code :4317} (no host:
 * the caller's default host applies, see {@link #withDefaultHost(String)}).
 *
 * <p>Port 0 is allowed and means "any free port", which tests use to avoid port clashes.
 *
 * @param host a host name, an IPv4 address, an IPv6 address without brackets, or empty for
 *     "the caller's default"
 * @param port 0 to 65535
 */
public record Endpoint(String host, int port) {

    /** What the binder says it expected. */
    static final String EXPECTED = "an endpoint like host:port";

    /** Host names and IPv4 addresses. Deliberately strict: catches "http://" and stray spaces. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.-]*");
    /** IPv6 literal, possibly with an IPv4 tail or a zone ("fe80::1%eth0"). */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port
                    + " is out of range (expected 1-65535, or 0 for any free port)");
        }
    }

    /**
     * Parses {@code host:port}, {@code :port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming the input and what is wrong with it
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "missing ']' after the IPv6 address");
            }
            host = text.substring(1, close);
            if (!IPV6.matcher(host).matches() || host.indexOf(':') < 0) {
                throw invalid(text, "'" + host + "' is not an IPv6 address");
            }
            if (!text.startsWith(":", close + 1)) {
                throw invalid(text, "missing ':port' after ']'");
            }
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(text, "missing port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.contains("://")) {
                throw invalid(text, "no scheme allowed, write just host:port");
            }
            if (host.indexOf(':') >= 0) {
                throw invalid(text, "IPv6 addresses must be in brackets, like [::1]:4317");
            }
            if (!HOST.matcher(host).matches()) {
                throw invalid(text, "'" + host + "' is not a valid host name or address");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, port.isEmpty() ? "missing port" : "'" + port + "' is not a port number");
        }
        int number = Integer.parseInt(port);
        if (number > 65535) {
            throw invalid(text, "port " + number + " is out of range (expected 1-65535, or 0 for any"
                    + " free port)");
        }
        return new Endpoint(host, number);
    }

    /** This endpoint, or one with {@code host} if this one has none (was written ":port"). */
    public Endpoint withDefaultHost(String host) {
        return this.host.isEmpty() ? new Endpoint(host, port) : this;
    }

    /**
     * A socket address to bind or connect to; resolves the host name. An empty host means the
     * wildcard address, as {@code :port} means in Go.
     */
    public InetSocketAddress toInetSocketAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code host:port}, with IPv6 addresses in brackets; parses back to an equal endpoint. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "' ("
                + reason + ")");
    }
}
