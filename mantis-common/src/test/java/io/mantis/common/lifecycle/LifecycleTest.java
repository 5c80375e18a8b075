package io.mantis.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final class Recording implements Component {
        final String id;
        final Set<String> deps;
        volatile boolean ready = true;
        RuntimeException failOnStart;
        Duration stopDelay = Duration.ZERO;

        Recording(String id, String... deps) {
            this.id = id;
            this.deps = Set.of(deps);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Set<String> dependsOn() {
            return deps;
        }

        @Override
        public void start() {
            if (failOnStart != null) {
                throw failOnStart;
            }
            events.add("start " + id);
        }

        @Override
        public void stop() throws InterruptedException {
            Thread.sleep(stopDelay.toMillis());
            events.add("stop " + id);
        }

        @Override
        public boolean isReady() {
            return ready;
        }
    }

    @Test
    void startsDependenciesFirstAndStopsInReverse() {
        Lifecycle lc = new Lifecycle();
        lc.add(new Recording("receiver", "pipeline"));
        lc.add(new Recording("pipeline", "store"));
        lc.add(new Recording("store"));
        lc.add(new Recording("health"));

        lc.start();
        assertThat(lc.state()).isEqualTo(Lifecycle.State.RUNNING);
        assertThat(lc.stop(Duration.ofSeconds(5))).isTrue();

        assertThat(events).containsExactly(
                "start store", "start pipeline", "start receiver", "start health",
                "stop health", "stop receiver", "stop pipeline", "stop store");
        assertThat(lc.state()).isEqualTo(Lifecycle.State.STOPPED);
    }

    @Test
    void rejectsUnknownDependency() {
        Lifecycle lc = new Lifecycle().add(new Recording("receiver", "exporter/otlp"));
        assertThatThrownBy(lc::start)
                .isInstanceOf(LifecycleException.class)
                .hasMessage("component 'receiver' depends on 'exporter/otlp', which is not configured");
    }

    @Test
    void rejectsCycleNamingIt() {
        Lifecycle lc = new Lifecycle()
                .add(new Recording("a", "b"))
                .add(new Recording("b", "c"))
                .add(new Recording("c", "a"));
        assertThatThrownBy(lc::start)
                .isInstanceOf(LifecycleException.class)
                .hasMessage("dependency cycle between components: a -> b -> c -> a");
        assertThat(events).isEmpty();
    }

    @Test
    void rejectsDuplicateId() {
        Lifecycle lc = new Lifecycle().add(new Recording("a"));
        assertThatThrownBy(() -> lc.add(new Recording("a")))
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("'a'");
    }

    @Test
    void failedStartStopsWhatAlreadyStarted() {
        Recording bad = new Recording("receiver", "store");
        bad.failOnStart = new IllegalStateException("port 4317 in use");
        Lifecycle lc = new Lifecycle().add(new Recording("store")).add(bad).add(new Recording("later"));

        assertThatThrownBy(lc::start)
                .isInstanceOf(LifecycleException.class)
                .hasMessage("receiver failed to start: port 4317 in use");
        assertThat(events).containsExactly("start store", "stop store");
        assertThat(lc.state()).isEqualTo(Lifecycle.State.FAILED);
    }

    @Test
    void stopIsBoundedByTheTimeout() {
        Recording slow = new Recording("slow");
        slow.stopDelay = Duration.ofSeconds(30);
        Lifecycle lc = new Lifecycle().add(new Recording("first")).add(slow);
        lc.start();

        long t0 = System.nanoTime();
        boolean clean = lc.stop(Duration.ofMillis(300));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(clean).isFalse();
        // The stuck component is abandoned; the ones after it in stop order still stop.
        assertThat(events).contains("stop first").doesNotContain("stop slow");
        assertThat(tookMs).isLessThan(10_000);
    }

    @Test
    void stopFailureIsReportedButOthersStillStop() {
        Component failing = new Component() {
            @Override
            public String id() {
                return "failing";
            }

            @Override
            public void start() {
            }

            @Override
            public void stop() {
                throw new IllegalStateException("disk gone");
            }
        };
        Lifecycle lc = new Lifecycle().add(new Recording("store")).add(failing);
        lc.start();
        assertThat(lc.stop(Duration.ofSeconds(5))).isFalse();
        assertThat(events).containsExactly("start store", "stop store");
    }

    @Test
    void readinessNamesEachComponent() {
        Recording store = new Recording("store");
        Lifecycle lc = new Lifecycle().add(store).add(new Recording("health"));
        assertThat(lc.readiness()).containsEntry("store", false).containsEntry("health", false);

        lc.start();
        assertThat(lc.readiness()).containsEntry("store", true).containsEntry("health", true);

        store.ready = false;
        assertThat(lc.readiness()).containsEntry("store", false).containsEntry("health", true);

        lc.stop(Duration.ofSeconds(1));
        assertThat(lc.readiness().values()).containsOnly(false);
    }

    @Test
    void stopIsIdempotentAndSafeFromTwoThreads() throws Exception {
        Lifecycle lc = new Lifecycle().add(new Recording("a"));
        lc.start();
        CountDownLatch go = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            lc.stop(Duration.ofSeconds(5));
        });
        t.start();
        go.countDown();
        lc.stop(Duration.ofSeconds(5));
        t.join();
        assertThat(events).containsExactly("start a", "stop a");
    }
}
