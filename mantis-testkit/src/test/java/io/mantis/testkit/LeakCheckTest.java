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
}
