package io.mantis.demo.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The database and cache the demo services pretend to have: the data lives in memory, but every
 * call is a client span with the database semantic conventions and a lifelike delay, as if it had
 * gone to PostgreSQL or Redis.
 */
final class SimulatedStorage {
    private final Tracer tracer;
    private final String system;
    private final String namespace;
    private final String host;
    private final long port;
    private final Simulation simulation;
    private final RandomGenerator random;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /**
     * @param system {@code db.system.name}, e.g. postgresql or redis
     * @param namespace {@code db.namespace}, the database name
     * @param host the pretended server's address
     */
    SimulatedStorage(Tracer tracer, String system, String namespace, String host, int port, Simulation simulation,
                     RandomGenerator random) {
        this.tracer = tracer;
        this.system = system;
        this.namespace = namespace;
        this.host = host;
        this.port = port;
        this.simulation = simulation;
        this.random = random;
    }

    /**
     * Runs {@code work} as a database query.
     *
     * @param operation e.g. SELECT, INSERT
     * @param collection the table
     * @param query the parameterised statement, as it would be sent
     */
    <T> T query(String operation, String collection, String query, Supplier<T> work) {
        Span span = tracer.spanBuilder(operation + " " + collection)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(Attrs.DB_SYSTEM, system)
                .setAttribute(Attrs.DB_SYSTEM_NAME, system)
                .setAttribute(Attrs.DB_NAMESPACE, namespace)
                .setAttribute(Attrs.DB_OPERATION, operation)
                .setAttribute(Attrs.DB_OPERATION_NAME, operation)
                .setAttribute(Attrs.DB_COLLECTION_NAME, collection)
                .setAttribute(Attrs.DB_QUERY_TEXT, query)
                .setAttribute(Attrs.SERVER_ADDRESS, host)
                .setAttribute(Attrs.SERVER_PORT, port)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Simulation.sleep(simulation.storageLatency(random));
            T result = work.get();
            if (result instanceof java.util.Collection<?> rows) {
                span.setAttribute(Attrs.DB_RESPONSE_RETURNED_ROWS, (long) rows.size());
            } else if (result instanceof Optional<?> row) {
                span.setAttribute(Attrs.DB_RESPONSE_RETURNED_ROWS, row.isPresent() ? 1L : 0L);
            }
            return result;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /** A cache read (Redis GET); a miss is marked on the span and as an event. */
    Optional<String> cacheGet(String key) {
        Span span = cacheSpan("GET", key);
        try (Scope ignored = span.makeCurrent()) {
            Simulation.sleep(simulation.storageLatency(random).dividedBy(4));
            String v = cache.get(key);
            span.setAttribute(Attrs.CACHE_HIT, v != null);
            if (v == null) {
                span.addEvent("cache miss");
            }
            return Optional.ofNullable(v);
        } finally {
            span.end();
        }
    }

    /** A cache write (Redis SET). */
    void cacheSet(String key, String value) {
        Span span = cacheSpan("SET", key);
        try (Scope ignored = span.makeCurrent()) {
            Simulation.sleep(simulation.storageLatency(random).dividedBy(4));
            if (cache.size() > 10_000) {
                cache.clear(); // a crude eviction keeps the demo's memory flat over days
            }
            cache.put(key, value);
        } finally {
            span.end();
        }
    }

    /** Forgets a cached key without a span, as a write-through of the owning service would. */
    void cacheEvict(String key) {
        cache.remove(key);
    }

    private Span cacheSpan(String operation, String key) {
        return tracer.spanBuilder(operation)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(Attrs.DB_SYSTEM, "redis")
                .setAttribute(Attrs.DB_SYSTEM_NAME, "redis")
                .setAttribute(Attrs.DB_OPERATION, operation)
                .setAttribute(Attrs.DB_OPERATION_NAME, operation)
                .setAttribute(Attrs.DB_QUERY_TEXT, operation + " " + key)
                .setAttribute(Attrs.SERVER_ADDRESS, host + "-cache")
                .setAttribute(Attrs.SERVER_PORT, 6379L)
                .startSpan();
    }
}
