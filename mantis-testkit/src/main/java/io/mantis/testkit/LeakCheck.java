package io.mantis.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves open files or running non-daemon threads behind: a store that forgets
 * to close a segment or stop a thread works in a test and runs out of descriptors, or never
 * exits, in production. Use with {@code @ExtendWith(LeakCheck.class)} on a test class.
 *
 * <p>Before each test (and around the whole class, for what {@code @BeforeAll}/{@code @AfterAll}
 * set up) it records the process' open files (the {@code /proc/self/fd} entries that name a
 * file) and its live non-daemon threads; afterwards it waits up to {@link #GRACE} for them to go
 * back and otherwise fails with the list of files and threads (with their stacks) left over.
 *
 * <p>Only files count: sockets, pipes and event descriptors belong to JVM-wide pools (HTTP
 * clients' and servers' shared event loops) that outlive any one test by design. Files the JVM
 * itself opens lazily and keeps (jars, the JDK's modules and libraries) are not leaks either.
 * Where {@code /proc/self/fd} does not exist (not Linux) only threads are checked.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** How long a closed resource may take to go away (a thread finishing its last loop). */
    public static final Duration GRACE = Duration.ofSeconds(5);

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final String JAVA_HOME = Path.of(System.getProperty("java.home")).toAbsolutePath().toString();

    /** What was open at one moment. */
    record Snapshot(Map<Integer, String> files, Set<Thread> threads) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("class", snapshot());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getStore(NAMESPACE).get("class", Snapshot.class), "the test class (its @BeforeAll/@AfterAll)", GRACE);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("test", snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context.getStore(NAMESPACE).get("test", Snapshot.class), context.getDisplayName(), GRACE);
    }

    static void check(Snapshot before, String what, Duration grace) {
        if (before == null) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        Leaks leaks = leaks(before, snapshot());
        while (!leaks.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            leaks = leaks(before, snapshot());
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(what + " leaked:\n" + leaks.describe());
        }
    }

    /** The difference between two snapshots: files and threads present after and not before. */
    record Leaks(Map<Integer, String> files, List<Thread> threads) {
        boolean isEmpty() {
            return files.isEmpty() && threads.isEmpty();
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            files.forEach((fd, file) -> sb.append("  open file (fd ").append(fd).append("): ").append(file).append('\n'));
            for (Thread t : threads) {
                sb.append("  thread \"").append(t.getName()).append("\" (").append(t.getState()).append(")\n");
                StackTraceElement[] stack = t.getStackTrace();
                for (int i = 0; i < Math.min(stack.length, 12); i++) {
                    sb.append("      at ").append(stack[i]).append('\n');
                }
            }
            return sb.toString();
        }
    }

    static Leaks leaks(Snapshot before, Snapshot after) {
        Map<Integer, String> files = new TreeMap<>();
        after.files.forEach((fd, file) -> {
            // The same number may name another file now: that is a new open too.
            if (!file.equals(before.files.get(fd))) {
                files.put(fd, file);
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (Thread t : after.threads) {
            if (!before.threads.contains(t)) {
                threads.add(t);
            }
        }
        return new Leaks(files, threads);
    }

    static Snapshot snapshot() {
        Set<Thread> threads = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.isDaemon()) {
                threads.add(t);
            }
        }
        return new Snapshot(openFiles(), threads);
    }

    /** fd number to file, for the descriptors that name a file the test could have opened. */
    static Map<Integer, String> openFiles() {
        Map<Integer, String> out = new TreeMap<>();
        if (!Files.isDirectory(FDS)) {
            return out;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException | java.nio.file.NotLinkException closedMeanwhile) {
                    continue; // includes the directory stream's own descriptor, gone by now
                }
                if (isTestFile(target)) {
                    out.put(Integer.parseInt(fd.getFileName().toString()), target);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FDS, e);
        }
        return out;
    }

    private static boolean isTestFile(String target) {
        if (!target.startsWith("/")) {
            return false; // socket:[..], pipe:[..], anon_inode:[eventpoll] ...
        }
        if (target.startsWith("/dev/") || target.startsWith("/proc/") || target.startsWith("/sys/")
                || target.startsWith(JAVA_HOME)) {
            return false;
        }
        return !(target.endsWith(".jar") || target.endsWith(".so") || target.contains(".so."));
    }
}
