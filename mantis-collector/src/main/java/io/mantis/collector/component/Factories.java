package io.mantis.collector.component;

import io.mantis.collector.ComponentKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The component types a collector can build, by kind and type name. */
public final class Factories {
    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> byKind = new EnumMap<>(ComponentKind.class);

    public Factories(Collection<? extends ComponentFactory<?>> factories) {
        for (ComponentFactory<?> f : factories) {
            Map<String, ComponentFactory<?>> m = byKind.computeIfAbsent(f.kind(), k -> new TreeMap<>());
            if (m.putIfAbsent(f.type(), f) != null) {
                throw new IllegalArgumentException("two " + f.kind().word() + " factories for type " + f.type());
            }
        }
    }

    public ComponentFactory<?> get(ComponentKind kind, String type) {
        return byKind.getOrDefault(kind, Map.of()).get(type);
    }

    /** Type names of a kind, sorted, for "available: ..." messages. */
    public List<String> types(ComponentKind kind) {
        return new ArrayList<>(byKind.getOrDefault(kind, Map.of()).keySet());
    }

    public Factories with(Collection<? extends ComponentFactory<?>> more) {
        List<ComponentFactory<?>> all = new ArrayList<>();
        byKind.values().forEach(m -> all.addAll(m.values()));
        all.addAll(more);
        return new Factories(all);
    }
}
