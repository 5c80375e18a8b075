package io.mantis.collector.receiver.prometheus;

import io.mantis.collector.Signal;
import io.mantis.collector.component.CollectorComponent;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Consumers;
import io.mantis.collector.component.ReceiverFactory;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Creates {@code prometheus} (scrape) receivers; metrics only. */
public final class PrometheusReceiverFactory implements ReceiverFactory<PrometheusReceiverConfig> {
    @Override
    public String type() {
        return "prometheus";
    }

    @Override
    public Class<PrometheusReceiverConfig> configType() {
        return PrometheusReceiverConfig.class;
    }

    @Override
    public PrometheusReceiverConfig defaultConfig() {
        return PrometheusReceiverConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.of(Signal.METRICS);
    }

    @Override
    public void validate(PrometheusReceiverConfig config, ConfigNode node, ConfigProblems problems) {
        ScrapeConfigs.targets(config, problems);
    }

    @Override
    public CollectorComponent create(ComponentSettings settings, PrometheusReceiverConfig config, Consumers next) {
        ConfigProblems problems = new ConfigProblems();
        List<ScrapeTarget> targets = ScrapeConfigs.targets(config, problems);
        problems.throwIfAny();
        return new PrometheusReceiver(settings, targets, next.metrics());
    }
}
