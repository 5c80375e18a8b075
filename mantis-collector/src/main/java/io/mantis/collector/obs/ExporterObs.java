package io.mantis.collector.obs;

import io.mantis.collector.Signal;
import io.mantis.common.metrics.Counter;
import io.mantis.common.metrics.MetricRegistry;

/** An exporter's {@code otelcol_exporter_*} counters for one signal. */
public final class ExporterObs {
    private final Counter sent;
    private final Counter failed;
    private final Counter enqueueFailed;

    public ExporterObs(MetricRegistry registry, Signal signal, String exporter) {
        String item = signal.itemName();
        String words = item.replace('_', ' ');
        this.sent = registry.counter("otelcol_exporter_sent_" + item,
                "Number of " + words + " successfully sent to destination.", "exporter").labels(exporter);
        this.failed = registry.counter("otelcol_exporter_send_failed_" + item,
                "Number of " + words + " in failed attempts to send to destination.", "exporter").labels(exporter);
        this.enqueueFailed = registry.counter("otelcol_exporter_enqueue_failed_" + item,
                "Number of " + words + " failed to be added to the sending queue.", "exporter").labels(exporter);
    }

    public void sent(long items) {
        sent.inc(items);
    }

    public void failed(long items) {
        failed.inc(items);
    }

    public void enqueueFailed(long items) {
        enqueueFailed.inc(items);
    }
}
