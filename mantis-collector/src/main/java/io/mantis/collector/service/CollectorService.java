package io.mantis.collector.service;

import io.mantis.collector.ComponentId;
import io.mantis.collector.ComponentKind;
import io.mantis.collector.Signal;
import io.mantis.collector.component.CollectorComponent;
import io.mantis.collector.component.ComponentFactory;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Consumers;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import io.mantis.collector.component.Factories;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.component.ReceiverFactory;
import io.mantis.collector.consumer.FanOut;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import io.mantis.common.http.HasListeners;
import io.mantis.common.http.HttpListener;
import io.mantis.common.lifecycle.Component;
import io.mantis.common.metrics.MetricRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code collector:} section into running components: checks it against the available
 * factories ({@link #plan}), then creates receivers, processors and exporters and wires them into
 * pipelines ({@link #build}), as the OpenTelemetry Collector's service does.
 */
public final class CollectorService {
    private CollectorService() {
    }

    /**
     * Checks the section and binds every component config; reports each problem with its location.
     *
     * @param node the {@code collector} mapping (for locations); may be an empty mapping
     * @return the plan, or null when {@code problems} got entries
     */
    public static CollectorPlan plan(CollectorConfig cfg, ConfigNode node, Factories factories,
                                     ConfigProblems problems) {
        int before = problems.size();
        Map<CollectorPlan.Key, CollectorPlan.Bound> bound = new LinkedHashMap<>();
        bindAll(ComponentKind.RECEIVER, cfg.receivers(), node, factories, problems, bound);
        bindAll(ComponentKind.PROCESSOR, cfg.processors(), node, factories, problems, bound);
        bindAll(ComponentKind.EXPORTER, cfg.exporters(), node, factories, problems, bound);
        bindAll(ComponentKind.CONNECTOR, cfg.connectors(), node, factories, problems, bound);

        ConfigNode pipelinesNode = child(child(node, "service"), "pipelines");
        List<CollectorPlan.PipelinePlan> pipelines = new ArrayList<>();
        Set<CollectorPlan.Key> used = new HashSet<>();
        Set<String> checkedForSignal = new HashSet<>();
        for (Map.Entry<String, CollectorConfig.Pipeline> e : cfg.service().pipelines().entrySet()) {
            String pid = e.getKey();
            ConfigNode pnode = child(pipelinesNode, pid);
            ConfigNode at = keyOf(pipelinesNode, pid);
            String signalName = pid.contains("/") ? pid.substring(0, pid.indexOf('/')) : pid;
            Signal signal = Signal.fromId(signalName);
            if (signal == null) {
                problems.add(at, "pipeline '" + pid + "' must be named traces, metrics or logs (optionally '/name')");
            }
            CollectorConfig.Pipeline p = e.getValue();
            List<ComponentId> r = refs(pid, signal, ComponentKind.RECEIVER, p.receivers(), pnode, bound, used,
                    checkedForSignal, problems);
            List<ComponentId> pr = refs(pid, signal, ComponentKind.PROCESSOR, p.processors(), pnode, bound, used,
                    checkedForSignal, problems);
            List<ComponentId> ex = refs(pid, signal, ComponentKind.EXPORTER, p.exporters(), pnode, bound, used,
                    checkedForSignal, problems);
            if (p.receivers().isEmpty()) {
                problems.add(at, "pipeline '" + pid + "' must have at least one receiver");
            }
            if (p.exporters().isEmpty()) {
                problems.add(at, "pipeline '" + pid + "' must have at least one exporter");
            }
            Set<String> seen = new HashSet<>();
            for (String proc : p.processors()) {
                if (!seen.add(proc)) {
                    problems.add(child(pnode, "processors"), "pipeline '" + pid + "' lists processor '" + proc
                            + "' twice");
                }
            }
            if (signal != null) {
                pipelines.add(new CollectorPlan.PipelinePlan(pid, signal, r, pr, ex));
            }
        }
        for (CollectorPlan.Key k : bound.keySet()) {
            if (!used.contains(k)) {
                problems.add(keyOf(child(node, k.kind().section()), k.id().toString()), k.kind().word() + " '"
                        + k.id() + "' is defined but not used in any pipeline");
            }
        }
        return problems.size() > before ? null : new CollectorPlan(bound, pipelines);
    }

    private static void bindAll(ComponentKind kind, Map<String, ConfigNode> defs, ConfigNode node,
                                Factories factories, ConfigProblems problems,
                                Map<CollectorPlan.Key, CollectorPlan.Bound> out) {
        ConfigNode section = child(node, kind.section());
        for (String idText : defs.keySet()) {
            ConfigNode at = keyOf(section, idText);
            ComponentId id;
            try {
                id = ComponentId.parse(idText);
            } catch (IllegalArgumentException e) {
                problems.add(at, "'" + idText + "' is not a valid " + kind.word() + " id: expected 'type' or "
                        + "'type/name' (" + e.getMessage() + ")");
                continue;
            }
            ComponentFactory<?> f = factories.get(kind, id.type());
            if (f == null) {
                List<String> types = factories.types(kind);
                problems.add(at, "unknown " + kind.word() + " type '" + id.type() + "' (available: "
                        + (types.isEmpty() ? "none in this version" : String.join(", ", types)) + ")");
                continue;
            }
            ConfigNode body = section.getOrEmpty(idText);
            Record cfg = bind(body, f, problems);
            if (cfg != null) {
                out.put(new CollectorPlan.Key(kind, id), new CollectorPlan.Bound(f, cfg, body));
            }
        }
    }

    private static <C extends Record> Record bind(ConfigNode body, ComponentFactory<C> f, ConfigProblems problems) {
        C cfg = ConfigBinder.bind(body, f.configType(), f.defaultConfig(), problems);
        if (cfg == null) {
            return null;
        }
        int before = problems.size();
        f.validate(cfg, body, problems);
        return problems.size() > before ? null : cfg;
    }

    private static List<ComponentId> refs(String pid, Signal signal, ComponentKind kind, List<String> names,
                                          ConfigNode pnode, Map<CollectorPlan.Key, CollectorPlan.Bound> bound,
                                          Set<CollectorPlan.Key> used, Set<String> checkedForSignal,
                                          ConfigProblems problems) {
        ConfigNode list = child(pnode, kind.section());
        List<ComponentId> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            ConfigNode at = list != null && list.isSequence() && i < list.elements().size()
                    ? list.elements().get(i) : pnode;
            CollectorPlan.Key key;
            try {
                key = new CollectorPlan.Key(kind, ComponentId.parse(name));
            } catch (IllegalArgumentException e) {
                problems.add(at, "pipeline '" + pid + "' references " + kind.word() + " '" + name
                        + "', which is not defined under " + kind.section());
                continue;
            }
            CollectorPlan.Bound b = bound.get(key);
            if (b == null) {
                problems.add(at, "pipeline '" + pid + "' references " + kind.word() + " '" + name
                        + "', which is not defined under " + kind.section());
                continue;
            }
            used.add(key);
            if (signal != null && !b.factory().signals().contains(signal)) {
                problems.add(at, kind.word() + " '" + name + "' does not support " + signal.id()
                        + " (it supports " + b.factory().signals().stream().map(Signal::id).toList() + ")");
                continue;
            }
            if (signal != null && checkedForSignal.add(key + "@" + signal.id())) {
                validateFor(b, signal, problems);
            }
            out.add(key.id());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> void validateFor(CollectorPlan.Bound b, Signal signal, ConfigProblems problems) {
        ((ComponentFactory<C>) b.factory()).validate((C) b.config(), signal, b.node(), problems);
    }

    /** What building needs from the process. */
    public record Context(MetricRegistry registry, String defaultHost, Path dataDir, Duration shutdownTimeout,
                          io.mantis.collector.component.Host host) {

        /** A context whose host offers nothing: the collector on its own. */
        public Context(MetricRegistry registry, String defaultHost, Path dataDir, Duration shutdownTimeout) {
            this(registry, defaultHost, dataDir, shutdownTimeout, io.mantis.collector.component.Host.EMPTY);
        }
    }

    /**
     * Creates and wires the components of a checked plan. The result lists every component with
     * its dependencies set, so a {@code Lifecycle} starts exporters before processors before
     * receivers, and stops them the other way round.
     */
    public static List<Component> build(CollectorPlan plan, Context ctx) throws Exception {
        List<Component> out = new ArrayList<>();

        // Exporters: one per id, for every signal whose pipelines list it.
        Map<ComponentId, Set<Signal>> exporterSignals = new LinkedHashMap<>();
        for (CollectorPlan.PipelinePlan p : plan.pipelines()) {
            for (ComponentId id : p.exporters()) {
                exporterSignals.computeIfAbsent(id, k -> EnumSet.noneOf(Signal.class)).add(p.signal());
            }
        }
        Map<ComponentId, Exporter> exporters = new LinkedHashMap<>();
        for (Map.Entry<ComponentId, Set<Signal>> e : exporterSignals.entrySet()) {
            CollectorPlan.Bound b = plan.components().get(new CollectorPlan.Key(ComponentKind.EXPORTER, e.getKey()));
            Exporter exporter = createExporter(b, settings(ComponentKind.EXPORTER, e.getKey(), "", ctx), e.getValue());
            exporters.put(e.getKey(), exporter);
            out.add(exporter);
        }

        // Pipelines: processors per pipeline, built from the exporters backwards.
        Map<String, TelemetryConsumer<?>> heads = new LinkedHashMap<>();
        Map<String, Set<String>> pipelineDeps = new LinkedHashMap<>();
        for (CollectorPlan.PipelinePlan p : plan.pipelines()) {
            Set<String> deps = new LinkedHashSet<>();
            List<TelemetryConsumer<Telemetry>> ends = new ArrayList<>();
            for (ComponentId id : p.exporters()) {
                Exporter ex = exporters.get(id);
                ends.add(ex.consumer(p.signal()));
                deps.add(ex.id());
            }
            TelemetryConsumer<Telemetry> next = FanOut.of(ends);
            Set<String> downstream = new LinkedHashSet<>(deps);
            for (int i = p.processors().size() - 1; i >= 0; i--) {
                ComponentId id = p.processors().get(i);
                CollectorPlan.Bound b = plan.components().get(new CollectorPlan.Key(ComponentKind.PROCESSOR, id));
                ComponentSettings s = settings(ComponentKind.PROCESSOR, id, "@" + p.id(), ctx);
                Processor<Telemetry> proc = createProcessor(b, s, p.signal(), next);
                out.add(new Wired(proc, downstream));
                downstream = new LinkedHashSet<>(downstream);
                downstream.add(proc.id());
                next = proc;
            }
            heads.put(p.id(), next);
            pipelineDeps.put(p.id(), downstream);
        }

        // Receivers: one per id, each signal fanned out to the pipelines that list it.
        Map<ComponentId, Map<Signal, List<TelemetryConsumer<Telemetry>>>> receiverTargets = new LinkedHashMap<>();
        Map<ComponentId, Set<String>> receiverDeps = new LinkedHashMap<>();
        for (CollectorPlan.PipelinePlan p : plan.pipelines()) {
            for (ComponentId id : p.receivers()) {
                @SuppressWarnings("unchecked")
                TelemetryConsumer<Telemetry> head = (TelemetryConsumer<Telemetry>) heads.get(p.id());
                receiverTargets.computeIfAbsent(id, k -> new EnumMap<>(Signal.class))
                        .computeIfAbsent(p.signal(), k -> new ArrayList<>()).add(head);
                receiverDeps.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(pipelineDeps.get(p.id()));
            }
        }
        for (Map.Entry<ComponentId, Map<Signal, List<TelemetryConsumer<Telemetry>>>> e : receiverTargets.entrySet()) {
            Map<Signal, TelemetryConsumer<?>> bySignal = new EnumMap<>(Signal.class);
            e.getValue().forEach((signal, list) -> bySignal.put(signal, FanOut.of(list)));
            CollectorPlan.Bound b = plan.components().get(new CollectorPlan.Key(ComponentKind.RECEIVER, e.getKey()));
            CollectorComponent r = createReceiver(b, settings(ComponentKind.RECEIVER, e.getKey(), "", ctx),
                    new Consumers(bySignal));
            out.add(new Wired(r, receiverDeps.get(e.getKey())));
        }
        return out;
    }

    private static ComponentSettings settings(ComponentKind kind, ComponentId id, String suffix, Context ctx) {
        return new ComponentSettings(id, kind, kind.word() + "/" + id + suffix, ctx.registry(), ctx.defaultHost(),
                ctx.dataDir(), ctx.shutdownTimeout(), ctx.host());
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Exporter createExporter(CollectorPlan.Bound b, ComponentSettings s,
                                                              Set<Signal> signals) throws Exception {
        return ((ExporterFactory<C>) b.factory()).create(s, (C) b.config(), signals);
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Processor<Telemetry> createProcessor(CollectorPlan.Bound b, ComponentSettings s,
                                                                           Signal signal,
                                                                           TelemetryConsumer<Telemetry> next)
            throws Exception {
        return ((ProcessorFactory<C>) b.factory()).create(s, (C) b.config(), signal, next);
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> CollectorComponent createReceiver(CollectorPlan.Bound b, ComponentSettings s,
                                                                        Consumers next) throws Exception {
        return ((ReceiverFactory<C>) b.factory()).create(s, (C) b.config(), next);
    }

    private static ConfigNode child(ConfigNode node, String key) {
        return node == null || !node.isMapping() ? null : node.get(key);
    }

    private static ConfigNode keyOf(ConfigNode mapping, String key) {
        if (mapping == null || !mapping.isMapping()) {
            return mapping;
        }
        ConfigNode k = mapping.keyNode(key);
        return k != null ? k : mapping;
    }

    /** A component with the dependencies the pipeline wiring gives it. */
    private record Wired(Component inner, Set<String> deps) implements Component, HasListeners {
        @Override
        public List<HttpListener> listeners() {
            return inner instanceof HasListeners h ? h.listeners() : List.of();
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public Set<String> dependsOn() {
            Set<String> all = new LinkedHashSet<>(inner.dependsOn());
            all.addAll(deps);
            return all;
        }

        @Override
        public void start() throws Exception {
            inner.start();
        }

        @Override
        public void stop() throws Exception {
            inner.stop();
        }

        @Override
        public boolean isReady() {
            return inner.isReady();
        }
    }
}
