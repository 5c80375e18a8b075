package io.mantis.collector.exporter.loki;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.exporter.helper.BaseExporter;
import io.mantis.collector.exporter.helper.HttpPushClient;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Telemetry;
import io.mantis.otlp.loki.LokiPushEncoder;
import io.mantis.otlp.loki.LokiStream;
import io.mantis.otlp.loki.LokiTranslator;
import io.mantis.otlp.loki.LokiTranslatorSettings;
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
    private final LokiTranslator translator;
    private final HttpPushClient client;
    private final Map<String, String> headers;

    LokiExporter(ComponentSettings settings, LokiExporterConfig config, Set<Signal> signals) {
        super(settings, signals, config.sendingQueue(), config.retryOnFailure());
        this.config = config;
        this.client = new HttpPushClient(config.endpoint(), config.timeout(), config.tls().insecureSkipVerify());
        Map<String, String> h = new java.util.LinkedHashMap<>(config.headers());
        if (config.tenantId() != null) {
            h.put("X-Scope-OrgID", config.tenantId());
        }
        this.headers = Map.copyOf(h);
        // Loki derives detected_level itself at ingestion; sending it would duplicate it.
        LokiTranslatorSettings s = LokiTranslatorSettings.defaults().withDetectLevel(false);
        if (config.indexLabels() != null) {
            s = s.withIndexLabelAttributes(config.indexLabels());
        }
        this.translator = new LokiTranslator(s);
    }

    @Override
    protected void startClient() {
        client.start();
    }

    @Override
    protected void stopClient() {
        client.stop();
    }

    @Override
    protected void send(Telemetry batch) throws ConsumeException {
        List<LokiStream> streams = translator.translate(((Logs) batch).request());
        boolean json = config.encoding().equals("json");
        byte[] body = json ? LokiPushEncoder.encodeJson(streams) : LokiPushEncoder.encodeSnappyProtobuf(streams);
        client.post(body, json ? LokiPushEncoder.JSON_CONTENT_TYPE : LokiPushEncoder.PROTOBUF_CONTENT_TYPE, headers);
    }
}
