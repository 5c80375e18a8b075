package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "localhost:4317      | localhost    | 4317 | localhost:4317",
            "0.0.0.0:8080        | 0.0.0.0      | 8080 | 0.0.0.0:8080",
            ":4318               | ''           | 4318 | :4318",
            "[::1]:4317          | ::1          | 4317 | [::1]:4317",
            "[::]:1              | ::           | 1    | [::]:1",
            "[fe80::1%eth0]:9000 | fe80::1%eth0 | 9000 | [fe80::1%eth0]:9000",
            "my-host_1.example:65535 | my-host_1.example | 65535 | my-host_1.example:65535",
            "127.0.0.1:0         | 127.0.0.1    | 0    | 127.0.0.1:0",
    })
    void parsesAndPrintsBack(String text, String host, int port, String printed) {
        Endpoint e = Endpoint.parse(text);
        assertThat(e.host()).isEqualTo(host.equals("''") ? "" : host);
        assertThat(e.port()).isEqualTo(port);
        assertThat(e).hasToString(printed);
        assertThat(Endpoint.parse(e.toString())).isEqualTo(e);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "localhost            | missing port",
            "localhost:           | missing port",
            "''                   | missing port",
            "localhost:70000      | port 70000 is out of range (expected 1-65535, or 0 for any free port)",
            "localhost:65536      | port 65536 is out of range (expected 1-65535, or 0 for any free port)",
            "localhost:-1         | '-1' is not a port number",
            "localhost:http       | 'http' is not a port number",
            "localhost:123456     | '123456' is not a port number",
            "::1:4317             | IPv6 addresses must be in brackets, like [::1]:4317",
            "http://localhost:80  | no scheme allowed, write just host:port",
            "[::1:4317            | missing ']' after the IPv6 address",
            "[::1]4317            | missing ':port' after ']'",
            "[host]:1             | 'host' is not an IPv6 address",
            "my host:1            | 'my host' is not a valid host name or address",
    })
    void rejectsWithAClearMessage(String text, String reason) {
        String input = text.equals("''") ? "" : text;
        assertThatThrownBy(() -> Endpoint.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an endpoint like host:port, got '" + input + "' (" + reason + ")");
    }

    @Test
    void constructorChecksThePortRange() {
        assertThatThrownBy(() -> new Endpoint("h", 65536))
                .hasMessage("port 65536 is out of range (expected 1-65535, or 0 for any free port)");
        assertThatThrownBy(() -> new Endpoint("h", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Endpoint("h", 0).port()).isZero();
    }

    @Test
    void defaultHostAppliesOnlyWhenNoneWasGiven() {
        assertThat(Endpoint.parse(":4317").withDefaultHost("localhost"))
                .isEqualTo(new Endpoint("localhost", 4317));
        assertThat(Endpoint.parse("0.0.0.0:4317").withDefaultHost("localhost"))
                .isEqualTo(new Endpoint("0.0.0.0", 4317));
    }

    @Test
    void socketAddress() {
        InetSocketAddress loopback = Endpoint.parse("127.0.0.1:0").toInetSocketAddress();
        assertThat(loopback.getAddress().isLoopbackAddress()).isTrue();
        assertThat(loopback.getPort()).isZero();
        InetSocketAddress wildcard = Endpoint.parse(":5000").toInetSocketAddress();
        assertThat(wildcard.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(wildcard.getPort()).isEqualTo(5000);
    }
}
