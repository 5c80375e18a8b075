package io.mantis.collector.exporter.loki;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.exporter.helper.BaseExporter;
import io.mantis.collector.exporter.helper.HttpResponses;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Telemetry;
import io.mantis.otlp.loki.LokiPushEncoder;
import io.mantis.otlp.loki.LokiStream;
import io.mantis.otlp.loki.LokiTranslator;
import io.mantis.otlp.loki.LokiTranslatorSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pushes logs to Loki's push API with Loki's own OTLP mapping: index labels from resource
 * attributes ({@code service.name} → {@code service_name}, ...), everything else — other
 * attributes, severity, trace and span ids — as structured metadata.
 */
final class LokiExporter extends BaseExporter {
    private final LokiExporterConfig config;
    private final URI endpoint;
    private final LokiTranslator translator;
    private ClientFactory factory;
    private WebClient client;

    LokiExporter(ComponentSettings settings, LokiExporterConfig config, Set<Signal> signals) {
        super(settings, signals, config.sendingQueue(), config.retryOnFailure());
        this.config = config;
        this.endpoint = URI.create(config.endpoint());
        // Loki derives detected_level itself at ingestion; sending it would duplicate it.
        LokiTranslatorSettings s = LokiTranslatorSettings.defaults().withDetectLevel(false);
        if (config.indexLabels() != null) {
            s = s.withIndexLabelAttributes(config.indexLabels());
        }
        this.translator = new LokiTranslator(s);
    }

    @Override
    protected void startClient() {
        factory = config.tls().insecureSkipVerify() ? ClientFactory.builder().tlsNoVerify().build()
                : ClientFactory.builder().build();
        client = WebClient.builder(endpoint.getScheme() + "://" + endpoint.getRawAuthority())
                .factory(factory).responseTimeout(config.timeout()).build();
    }

    @Override
    protected void stopClient() {
        if (factory != null) {
            factory.close();
        }
    }

    @Override
    protected void send(Telemetry batch) throws ConsumeException {
        List<LokiStream> streams = translator.translate(((Logs) batch).request());
        boolean json = config.encoding().equals("json");
        byte[] body = json ? LokiPushEncoder.encodeJson(streams) : LokiPushEncoder.encodeSnappyProtobuf(streams);
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/loki/api/v1/push"
                : endpoint.getRawPath();
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path)
                .contentType(json ? MediaType.JSON_UTF_8 : MediaType.parse(LokiPushEncoder.PROTOBUF_CONTENT_TYPE));
        if (config.tenantId() != null) {
            h.add("X-Scope-OrgID", config.tenantId());
        }
        for (Map.Entry<String, String> e : config.headers().entrySet()) {
            h.add(e.getKey(), e.getValue());
        }
        AggregatedHttpResponse r;
        try {
            r = client.execute(HttpRequest.of(h.build(), com.linecorp.armeria.common.HttpData.wrap(body)))
                    .aggregate().join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw ConsumeException.retryable("pushing to " + config.endpoint() + " failed: " + cause, null, cause);
        }
        ConsumeException failure = HttpResponses.classify(r, config.endpoint());
        if (failure != null) {
            throw failure;
        }
    }
}
