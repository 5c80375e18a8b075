package io.mantis.collector.receiver.otlp;

import io.mantis.collector.Signal;
import io.mantis.collector.component.CollectorComponent;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Consumers;
import io.mantis.collector.component.ReceiverFactory;
import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code otlp} receivers. */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {
    @Override
    public String type() {
        return "otlp";
    }

    @Override
    public Class<OtlpReceiverConfig> configType() {
        return OtlpReceiverConfig.class;
    }

    @Override
    public OtlpReceiverConfig defaultConfig() {
        return OtlpReceiverConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public void validate(OtlpReceiverConfig config, ConfigNode node, ConfigProblems problems) {
        Protocols p = protocols(config, node, problems);
        if (p != null && p.grpc() == null && p.http() == null) {
            problems.add(node, "must specify at least one protocol under 'protocols' (grpc, http)");
        }
    }

    record Protocols(OtlpReceiverConfig.Grpc grpc, OtlpReceiverConfig.Http http) {
    }

    /** Binds {@code protocols}: a present key enables its protocol, even with no value. */
    static Protocols protocols(OtlpReceiverConfig config, ConfigNode node, ConfigProblems problems) {
        ConfigNode protocols = config.protocols();
        if (protocols == null || protocols.isNull()) {
            return new Protocols(null, null);
        }
        if (!protocols.isMapping()) {
            problems.add(protocols, "expected a mapping with keys grpc, http");
            return null;
        }
        OtlpReceiverConfig.Grpc grpc = null;
        OtlpReceiverConfig.Http http = null;
        for (String key : protocols.keys()) {
            switch (key) {
                case "grpc" -> grpc = ConfigBinder.bind(protocols.getOrEmpty("grpc"), OtlpReceiverConfig.Grpc.class,
                        OtlpReceiverConfig.Grpc.DEFAULTS, problems);
                case "http" -> http = ConfigBinder.bind(protocols.getOrEmpty("http"), OtlpReceiverConfig.Http.class,
                        OtlpReceiverConfig.Http.DEFAULTS, problems);
                default -> problems.add(protocols.keyNode(key), "unknown protocol '" + key
                        + "' (expected one of: grpc, http)");
            }
        }
        return new Protocols(grpc, http);
    }

    @Override
    public CollectorComponent create(ComponentSettings settings, OtlpReceiverConfig config, Consumers next) {
        ConfigProblems problems = new ConfigProblems();
        Protocols p = protocols(config, config.protocols(), problems);
        problems.throwIfAny();
        return new OtlpReceiver(settings, p.grpc(), p.http(), next);
    }
}
