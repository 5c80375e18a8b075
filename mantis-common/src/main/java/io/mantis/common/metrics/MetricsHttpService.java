package io.mantis.common.metrics;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link MetricRegistry} for Prometheus-compatible scrapers.
 *
 * <ul>
 *   <li>Format: OpenMetrics 1.0.0 when the {@code Accept} header lists
 *       {@code application/openmetrics-text} with a q-value at least as high as the text format's
 *       (its most specific match among {@code text/plain}, {@code text/*}, {@code *}{@code /*});
 *       otherwise, including without {@code Accept}, text 0.0.4.</li>
 *   <li>gzip when {@code Accept-Encoding} allows it.</li>
 *   <li>GET and HEAD only; anything else gets 405 with {@code Allow}.</li>
 * </ul>
 *
 * <p>The exposition is rendered on the blocking-task executor, since collectors may read files
 * (/proc) and must not stall the event loop. It is written straight into a buffer from the
 * server's pooled allocator, which becomes the response body without a copy; the initial capacity
 * follows the previous scrape so the buffer rarely has to grow.
 */
public final class MetricsHttpService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(MetricsHttpService.class);

    private static final String ALLOWED_METHODS = "GET, HEAD";
    private static final int MIN_INITIAL_CAPACITY = 4096;

    private final MetricRegistry registry;
    private volatile int lastSize = MIN_INITIAL_CAPACITY;

    public MetricsHttpService(MetricRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        HttpMethod method = req.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return HttpResponse.of(
                    ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                            .set(HttpHeaderNames.ALLOW, ALLOWED_METHODS)
                            .contentType(MediaType.PLAIN_TEXT_UTF_8)
                            .build(),
                    HttpData.ofUtf8("405 Method Not Allowed\n"));
        }
        boolean openMetrics = prefersOpenMetrics(req.headers().get(HttpHeaderNames.ACCEPT));
        boolean gzip = acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        boolean head = method == HttpMethod.HEAD;
        return HttpResponse.of(() -> render(ctx, openMetrics, gzip, head), ctx.blockingTaskExecutor());
    }

    private HttpResponse render(ServiceRequestContext ctx, boolean openMetrics, boolean gzip, boolean head) {
        ByteBuf buf = ctx.alloc().buffer(lastSize);
        try {
            try (OutputStream out = gzip ? new GZIPOutputStream(new ByteBufOutputStream(buf), 8192)
                                         : new ByteBufOutputStream(buf)) {
                if (openMetrics) {
                    TextFormat.writeOpenMetrics(registry, out);
                } else {
                    TextFormat.write004(registry, out);
                }
            }
        } catch (IOException | RuntimeException e) {
            buf.release();
            log.warn("Rendering metrics failed", e);
            return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR);
        }
        int size = buf.readableBytes();
        lastSize = Math.max(MIN_INITIAL_CAPACITY, size + size / 8);

        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK)
                .set(HttpHeaderNames.CONTENT_TYPE,
                        openMetrics ? TextFormat.CONTENT_TYPE_OPENMETRICS : TextFormat.CONTENT_TYPE_004)
                // Caches must key on both negotiated headers.
                .set(HttpHeaderNames.VARY, "Accept, Accept-Encoding")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, size);
        if (gzip) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        }
        if (head) {
            // Rendered anyway so HEAD reports the same Content-Length as GET would.
            buf.release();
            return HttpResponse.of(headers.build());
        }
        return HttpResponse.of(headers.build(), HttpData.wrap(buf));
    }

    /**
     * Whether {@code accept} prefers OpenMetrics over the 0.0.4 text format. Wildcards only count
     * for the text format, so generic clients (browsers, curl) keep getting 0.0.4; any
     * {@code version} of openmetrics-text is served as 1.0.0, as Prometheus also sends 0.0.1.
     */
    static boolean prefersOpenMetrics(String accept) {
        if (accept == null || accept.isEmpty()) {
            return false;
        }
        double openMetricsQ = 0;
        double textQ = 0;
        int textSpecificity = -1; // 2: text/plain, 1: text/*, 0: */* — the most specific range decides
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = qValue(parts);
            switch (mediaType) {
                case "application/openmetrics-text" -> openMetricsQ = Math.max(openMetricsQ, q);
                case "text/plain", "text/*", "*/*" -> {
                    int specificity = mediaType.equals("text/plain") ? 2 : mediaType.equals("text/*") ? 1 : 0;
                    if (specificity > textSpecificity) {
                        textSpecificity = specificity;
                        textQ = q;
                    } else if (specificity == textSpecificity) {
                        textQ = Math.max(textQ, q);
                    }
                }
                default -> { }
            }
        }
        return openMetricsQ > 0 && openMetricsQ >= textQ;
    }

    /** Whether {@code acceptEncoding} allows gzip: listed (or {@code *}) with a non-zero q. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isEmpty()) {
            return false;
        }
        double gzipQ = -1;
        double anyQ = -1;
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = qValue(parts);
            if (name.equals("gzip") || name.equals("x-gzip")) {
                gzipQ = Math.max(gzipQ, q);
            } else if (name.equals("*")) {
                anyQ = Math.max(anyQ, q);
            }
        }
        // An explicit gzip entry wins over the wildcard ("*, gzip;q=0" means no gzip).
        return gzipQ >= 0 ? gzipQ > 0 : anyQ > 0;
    }

    /** The q parameter among {@code parts[1..]}; 1 when absent, 0 when malformed. */
    private static double qValue(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.length() >= 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(param.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
