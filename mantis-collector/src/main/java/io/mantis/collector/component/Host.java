package io.mantis.collector.component;

import java.util.Map;
import java.util.Optional;

/**
 * What the process running the collector offers its components beyond their config, as the
 * OpenTelemetry Collector's {@code component.Host} does: components look services up by type
 * (e.g. the in-process stores an exporter writes to) instead of reaching for globals.
 */
@FunctionalInterface
public interface Host {

    /** A host that offers nothing: a collector on its own. */
    Host EMPTY = new Host() {
        @Override
        public <T> Optional<T> service(Class<T> type) {
            return Optional.empty();
        }
    };

    <T> Optional<T> service(Class<T> type);

    /** A host offering the given services, each under its type. */
    static Host of(Map<Class<?>, ?> services) {
        Map<Class<?>, ?> copy = Map.copyOf(services);
        return new Host() {
            @Override
            public <T> Optional<T> service(Class<T> type) {
                return Optional.ofNullable(copy.get(type)).map(type::cast);
            }
        };
    }
}
