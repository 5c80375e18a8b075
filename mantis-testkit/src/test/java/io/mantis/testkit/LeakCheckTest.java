package io.mantis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakCheckTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void aFileLeftOpenIsReportedWithItsPath() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd here: only threads are checked");
        LeakCheck.Snapshot before = LeakCheck.snapshot();
        Path file = dir.resolve("segment-0001");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> LeakCheck.check(before, "the test", SHORT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the test leaked:")
                    .hasMessageContaining("open file (fd ")
                    .hasMessageContaining(file.toString());
        }
        assertThatCode(() -> LeakCheck.check(before, "the test", SHORT)).doesNotThrowAnyException();
    }

    @Test
    void aNonDaemonThreadLeftRunningIsReportedWithItsStack() throws Exception {
        LeakCheck.Snapshot before = LeakCheck.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        }, "forgotten-flusher");
        t.start();
        try {
            assertThatThrownBy(() -> LeakCheck.check(before, "the test", SHORT))
                    .hasMessageContaining("thread \"forgotten-flusher\" (WAITING)")
                    .hasMessageContaining("at java.base/");
        } finally {
            release.countDown();
            t.join();
        }
        assertThatCode(() -> LeakCheck.check(before, "the test", SHORT)).doesNotThrowAnyException();
    }

    @Test
    void daemonThreadsSocketsAndJarsAreNotLeaks() throws Exception {
        LeakCheck.Snapshot before = LeakCheck.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread daemon = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        }, "pool-worker");
        daemon.setDaemon(true);
        daemon.start();
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            assertThat(socket.getLocalPort()).isPositive();
            assertThatCode(() -> LeakCheck.check(before, "the test", SHORT)).doesNotThrowAnyException();
        } finally {
            release.countDown();
            daemon.join();
        }
    }

    @Test
    void aThreadThatEndsWithinTheGraceIsNotALeak() throws Exception {
        LeakCheck.Snapshot before = LeakCheck.snapshot();
        Thread closing = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // ends
            }
        }, "closing");
        closing.start();
        assertThatCode(() -> LeakCheck.check(before, "the test", Duration.ofSeconds(5))).doesNotThrowAnyException();
    }

    // ---- the extension's verdicts, through the JUnit platform ----

    private static final Duration FIXTURE_GRACE = Duration.ofMillis(300);
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static volatile FileChannel leftOpen;

    /** A test that starts a thread and forgets it. */
    static class LeavesAThreadRunning {
        @org.junit.jupiter.api.extension.RegisterExtension
        static final LeakCheck CHECK = new LeakCheck(FIXTURE_GRACE);

        @Test
        void startsAFlusher() {
            Thread t = new Thread(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            }, "forgotten-flusher");
            t.start();
        }

        @Test
        void cleanOne() {
        }
    }

    /** A test whose thread ends a moment after the test, as a server's event loop does. */
    static class StopsLate {
        @org.junit.jupiter.api.extension.RegisterExtension
        static final LeakCheck CHECK = new LeakCheck(Duration.ofSeconds(5));

        @Test
        void stopsAServerWhoseThreadEndsLater() {
            new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    // ends
                }
            }, "quiet-period").start();
        }
    }

    /** A test that opens a file and forgets it. */
    static class LeavesAFileOpen {
        @org.junit.jupiter.api.extension.RegisterExtension
        static final LeakCheck CHECK = new LeakCheck(FIXTURE_GRACE);

        @TempDir
        Path dir;

        @Test
        void opensASegment() throws Exception {
            leftOpen = FileChannel.open(dir.resolve("00000001"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }

    private static java.util.List<Throwable> run(Class<?> fixture) {
        java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.junit.platform.launcher.Launcher launcher = org.junit.platform.launcher.core.LauncherFactory.create();
        launcher.execute(org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(fixture)).build(),
                new org.junit.platform.launcher.TestExecutionListener() {
                    @Override
                    public void executionFinished(org.junit.platform.launcher.TestIdentifier id,
                            org.junit.platform.engine.TestExecutionResult result) {
                        result.getThrowable().ifPresent(failures::add);
                    }
                });
        return failures;
    }

    @Test
    void aThreadStillRunningAtTheEndOfTheClassFailsItNamingTheTest() throws Exception {
        try {
            java.util.List<Throwable> failures = run(LeavesAThreadRunning.class);
            assertThat(failures).singleElement().satisfies(f -> assertThat(f.getMessage())
                    .startsWith("startsAFlusher() left running:")
                    .contains("thread \"forgotten-flusher\"")
                    .doesNotContain("cleanOne"));
        } finally {
            RELEASE.countDown();
        }
    }

    @Test
    void aThreadEndingShortlyAfterItsTestIsNoLeak() {
        assertThat(run(StopsLate.class)).isEmpty();
    }

    @Test
    void aFileLeftOpenFailsTheTestThatOpenedIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd here: only threads are checked");
        try {
            java.util.List<Throwable> failures = run(LeavesAFileOpen.class);
            assertThat(failures).isNotEmpty();
            assertThat(failures.get(0).getMessage()).startsWith("opensASegment() leaked:").contains("00000001");
        } finally {
            leftOpen.close();
        }
    }
}
