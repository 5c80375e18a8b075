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
 * file) and its live non-daemon threads. A file still open after a test fails that test at once
 * (closing is synchronous). A thread still running is given until the end of the class, plus
 * {@link #GRACE}, to finish: servers commonly end their threads a moment after {@code stop()}
 * returns (Netty's quiet period), and waiting for that after every test would make each test
 * seconds slower. A thread still alive then fails the class, naming the test that started it.
 * The failures list the files and the threads with their stacks.
 *
 * <p>Only files count: sockets, pipes and event descriptors belong to JVM-wide pools (HTTP
 * clients' and servers' shared event loops) that outlive any one test by design. Files the JVM
 * itself opens lazily and keeps (jars, the JDK's modules and libraries) are not leaks either.
 * Where {@code /proc/self/fd} does not exist (not Linux) only threads are checked.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /**
     * How long a closed resource may take to go away (a thread finishing its last loop);
     * {@code -Dmantis.leakcheck.grace=<ms>} changes it (0 reports whatever still lingers).
     */
    public static final Duration GRACE = Duration.ofMillis(Long.getLong("mantis.leakcheck.grace", 5000));

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final String JAVA_HOME = Path.of(System.getProperty("java.home")).toAbsolutePath().toString();

    private final Duration grace;

    /** The extension as {@code @ExtendWith(LeakCheck.class)} makes it, waiting {@link #GRACE}. */
    public LeakCheck() {
        this(GRACE);
    }

    /** For {@code @RegisterExtension static} use with another grace period. */
    public LeakCheck(Duration grace) {
        this.grace = grace;
    }

    /** What was open at one moment. */
    record Snapshot(Map<Integer, String> files, Set<Thread> threads) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put("class", snapshot());
        store.put("pending", Collections.synchronizedList(new ArrayList<Pending>()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Snapshot before = store.get("class", Snapshot.class);
        @SuppressWarnings("unchecked")
        List<Pending> pending = store.get("pending", List.class);
        long deadline = System.nanoTime() + grace.toNanos();
        Leaks leaks = leaks(before, snapshot());
        while (!(leaks.isEmpty() && pending.stream().noneMatch(p -> p.thread.isAlive())) && System.nanoTime() < deadline) {
            pause();
            leaks = leaks(before, snapshot());
        }
        StringBuilder sb = new StringBuilder();
        for (Pending p : pending) {
            if (p.thread.isAlive()) {
                sb.append(p.test).append(" left running:\n").append(describe(p.thread));
            }
        }
        List<Thread> classThreads = new ArrayList<>(leaks.threads);
        classThreads.removeIf(t -> pending.stream().anyMatch(p -> p.thread == t)); // reported above
        Leaks classLeaks = new Leaks(leaks.files, classThreads);
        if (!classLeaks.isEmpty()) {
            sb.append("the test class (its @BeforeAll/@AfterAll) leaked:\n").append(classLeaks.describe());
        }
        if (!sb.isEmpty()) {
            throw new AssertionError(sb.toString());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("test", snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Snapshot before = context.getStore(NAMESPACE).get("test", Snapshot.class);
        List<Pending> pending = classPending(context);
        if (pending == null) {
            check(before, context.getDisplayName(), grace); // registered per instance: no class end to wait for
            return;
        }
        Leaks leaks = awaitFiles(before, grace);
        if (!leaks.files.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked:\n" + new Leaks(leaks.files, List.of()).describe());
        }
        for (Thread t : leaks.threads) {
            pending.add(new Pending(t, context.getDisplayName()));
        }
    }

    /** A thread a test left running, to be gone by the end of the class. */
    private record Pending(Thread thread, String test) {
    }

    @SuppressWarnings("unchecked")
    private static List<Pending> classPending(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()) {
                return c.getStore(NAMESPACE).get("pending", List.class);
            }
        }
        return null;
    }

    /** Fails unless every file and thread opened since {@code before} is gone within {@code grace}. */
    static void check(Snapshot before, String what, Duration grace) {
        if (before == null) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        Leaks leaks = leaks(before, snapshot());
        while (!leaks.isEmpty() && System.nanoTime() < deadline) {
            pause();
            leaks = leaks(before, snapshot());
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(what + " leaked:\n" + leaks.describe());
        }
    }

    /** Waits up to {@code grace} for the files opened since {@code before} to close; returns what is left. */
    private static Leaks awaitFiles(Snapshot before, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        Leaks leaks = leaks(before, snapshot());
        while (!leaks.files.isEmpty() && System.nanoTime() < deadline) {
            pause();
            leaks = leaks(before, snapshot());
        }
        return leaks;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for resources to be released", e);
        }
    }

    private static String describe(Thread t) {
        StringBuilder sb = new StringBuilder();
        sb.append("  thread \"").append(t.getName()).append("\" (").append(t.getState()).append(")\n");
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            sb.append("      at ").append(stack[i]).append('\n');
        }
        return sb.toString();
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
                sb.append(LeakCheck.describe(t));
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
