package io.mantis.collector.exporter.helper;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.common.config.ConfigValueException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs bodies to one push URL (Loki push, remote write, ...) and turns the answer into success,
 * a retryable or a permanent {@link ConsumeException}, as every push exporter must.
 */
public final class HttpPushClient {
    private final String endpoint;
    private final URI uri;
    private final Duration timeout;
    private final boolean insecureSkipVerify;
    private ClientFactory factory;
    private WebClient client;

    public HttpPushClient(String endpoint, Duration timeout, boolean insecureSkipVerify) {
        this.endpoint = endpoint;
        this.uri = URI.create(endpoint);
        this.timeout = timeout;
        this.insecureSkipVerify = insecureSkipVerify;
    }

    /** Checks an exporter's {@code endpoint}: an http(s) URL with a host. */
    public static void validateUrl(String key, String endpoint, String example) {
        URI u;
        try {
            u = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(key, "is not a URL: " + e.getMessage());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new ConfigValueException(key, "expected an http(s) URL such as " + example + ", got '" + endpoint
                    + "'");
        }
    }

    public void start() {
        factory = insecureSkipVerify ? ClientFactory.builder().tlsNoVerify().build() : ClientFactory.builder().build();
        client = WebClient.builder(uri.getScheme() + "://" + uri.getRawAuthority())
                .factory(factory).responseTimeout(timeout).build();
    }

    public void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    /** Sends one body; connection failures are retryable, answers are classified by status. */
    public void post(byte[] body, String contentType, Map<String, String> headers) throws ConsumeException {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path);
        if (contentType != null) {
            h.set("content-type", contentType);
        }
        headers.forEach(h::add);
        AggregatedHttpResponse r;
        try {
            r = client.execute(HttpRequest.of(h.build(), HttpData.wrap(body))).aggregate().join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw ConsumeException.retryable("sending to " + endpoint + " failed: " + cause, null, cause);
        }
        ConsumeException failure = HttpResponses.classify(r, endpoint);
        if (failure != null) {
            throw failure;
        }
    }
}
