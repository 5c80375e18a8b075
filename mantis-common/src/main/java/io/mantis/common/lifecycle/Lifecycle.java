package io.mantis.common.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in dependency order and stops them in reverse, within a bounded time.
 *
 * <p>The order is a stable topological sort: among components whose dependencies are met, the one
 * added first starts first, so wiring code controls ties by the order it adds components in.
 */
public final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    public enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED }

    /** What a component still gets once the overall stop budget is spent. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final Map<String, Component> components = new LinkedHashMap<>();
    private final List<Component> started = Collections.synchronizedList(new ArrayList<>());
    private volatile State state = State.NEW;

    /** Adds a component; ids must be unique. */
    public synchronized Lifecycle add(Component component) {
        if (state != State.NEW) {
            throw new IllegalStateException("components can only be added before start, state is " + state);
        }
        if (components.putIfAbsent(component.id(), component) != null) {
            throw new LifecycleException("two components share the id '" + component.id() + "'");
        }
        return this;
    }

    public State state() {
        return state;
    }

    /** The components in the order {@link #start()} uses; validates the dependency graph. */
    public synchronized List<Component> startOrder() {
        for (Component c : components.values()) {
            for (String dep : c.dependsOn()) {
                if (!components.containsKey(dep)) {
                    throw new LifecycleException("component '" + c.id() + "' depends on '" + dep
                            + "', which is not configured");
                }
            }
        }
        List<Component> order = new ArrayList<>(components.size());
        Map<String, Integer> mark = new HashMap<>(); // 1 = on the current path, 2 = done
        for (Component c : components.values()) {
            visit(c, mark, new ArrayDeque<>(), order);
        }
        return order;
    }

    private void visit(Component c, Map<String, Integer> mark, Deque<String> path, List<Component> order) {
        Integer m = mark.get(c.id());
        if (m != null && m == 2) {
            return;
        }
        if (m != null) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (var it = path.descendingIterator(); it.hasNext(); ) {
                String id = it.next();
                in |= id.equals(c.id());
                if (in) {
                    cycle.add(id);
                }
            }
            cycle.add(c.id());
            throw new LifecycleException("dependency cycle between components: " + String.join(" -> ", cycle));
        }
        mark.put(c.id(), 1);
        path.push(c.id());
        // Sorted dependencies keep the order independent of Set iteration order.
        for (String dep : c.dependsOn().stream().sorted().toList()) {
            visit(components.get(dep), mark, path, order);
        }
        path.pop();
        mark.put(c.id(), 2);
        order.add(c);
    }

    /**
     * Starts every component. On a failure the ones already started are stopped in reverse order
     * and a {@link LifecycleException} naming the failed component is thrown.
     */
    public void start() {
        List<Component> order;
        synchronized (this) {
            if (state != State.NEW) {
                throw new IllegalStateException("already started, state is " + state);
            }
            order = startOrder();
            state = State.STARTING;
        }
        for (Component c : order) {
            long t0 = System.nanoTime();
            try {
                c.start();
            } catch (Exception | Error e) {
                state = State.FAILED;
                log.error("{} failed to start: {}", c.id(), e.toString());
                stopStarted(Duration.ofSeconds(10));
                throw new LifecycleException(c.id() + " failed to start: " + message(e), e);
            }
            started.add(c);
            log.debug("started {} in {} ms", c.id(), (System.nanoTime() - t0) / 1_000_000);
        }
        state = State.RUNNING;
    }

    /**
     * Stops the started components in reverse start order. The whole stop is bounded by
     * {@code timeout}: a component that has not finished when the budget is spent is abandoned
     * (logged) so the process can still exit. Returns true if every component stopped cleanly.
     */
    public boolean stop(Duration timeout) {
        synchronized (this) {
            if (state == State.STOPPED || state == State.STOPPING || state == State.NEW) {
                state = state == State.NEW ? State.STOPPED : state;
                return true;
            }
            state = State.STOPPING;
        }
        boolean clean = stopStarted(timeout);
        state = State.STOPPED;
        return clean;
    }

    private boolean stopStarted(Duration timeout) {
        List<Component> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(toStop);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean clean = true;
        // One daemon thread runs the stops so that a stuck component cannot keep the JVM alive.
        ExecutorService stopper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mantis-stopper");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Component c : toStop) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // Past the budget, a component still gets a short grace: closing files cleanly
                    // is cheap and spares the next start a recovery.
                    log.warn("shutdown budget of {} spent; giving {} {} ms", timeout, c.id(), GRACE.toMillis());
                    left = GRACE.toNanos();
                }
                Future<?> f = stopper.submit(() -> {
                    c.stop();
                    return null;
                });
                try {
                    f.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    log.error("{} did not stop within the shutdown budget of {}", c.id(), timeout);
                    f.cancel(true);
                    clean = false;
                    // The stuck stop keeps the single thread busy; give the rest a fresh one.
                    stopper.shutdownNow();
                    stopper = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "mantis-stopper");
                        t.setDaemon(true);
                        return t;
                    });
                } catch (ExecutionException e) {
                    log.error("{} failed to stop cleanly: {}", c.id(), message(e.getCause()));
                    clean = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    clean = false;
                    break;
                }
            }
        } finally {
            stopper.shutdownNow();
        }
        return clean;
    }

    /** Component id → ready, in start order; a component that has not started is not ready. */
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        List<Component> snapshot;
        synchronized (started) {
            snapshot = new ArrayList<>(started);
        }
        for (Component c : components.values()) {
            boolean ready = snapshot.contains(c) && state == State.RUNNING && safeReady(c);
            out.put(c.id(), ready);
        }
        return out;
    }

    private static boolean safeReady(Component c) {
        try {
            return c.isReady();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public synchronized List<Component> components() {
        return List.copyOf(components.values());
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
