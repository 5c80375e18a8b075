package io.mantis.common.lifecycle;

import java.util.Set;

/**
 * A part of Mantis with a start and a stop: a listener, a pipeline, a store. The {@link Lifecycle}
 * starts components after everything they depend on and stops them before it, so a store is open
 * before the receiver that feeds it accepts data, and the receiver stops accepting before the store
 * flushes and closes.
 */
public interface Component {

    /** A stable id, unique in the process, e.g. {@code extension/health_check} or {@code listener/8888}. */
    String id();

    /** Ids of components that must be started before this one and stopped after it. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /** Opens resources; returns once the component can do its work. Throwing aborts start-up. */
    void start() throws Exception;

    /**
     * Drains in-flight work and releases resources. Called at most once, only after a successful
     * {@link #start()}. The lifecycle bounds the time it may take, so implementations should finish
     * their work promptly and not swallow interrupts.
     */
    void stop() throws Exception;

    /**
     * Readiness as reported on {@code /ready}: true once the component serves its purpose. Must be
     * cheap and must not block: health probes call it often.
     */
    default boolean isReady() {
        return true;
    }
}
