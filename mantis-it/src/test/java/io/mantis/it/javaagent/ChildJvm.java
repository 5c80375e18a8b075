package io.mantis.it.javaagent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Java program started as a child process with the test JVM's own {@code java}, its stdout and
 * stderr in one file, so a failing test can show what the program (and an agent in it) said.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} with the given environment
     * on top of this one, less variables that would change how a JVM or an agent starts.
     */
    static ChildJvm start(Path output, List<String> jvmArgs, List<Path> classpath, String mainClass,
            List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        // A developer's own OTEL_* settings or JVM options must not leak into what the test proves.
        pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        return new ChildJvm(pb.start(), output);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last {@code n} lines the program wrote, and its exit status if it has ended. */
    String tail(int n) {
        List<String> lines = output().lines().toList();
        String status = process.isAlive() ? "still running" : "exited with " + process.exitValue();
        return "--- last " + n + " lines of the child's output (" + status + ") ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** SIGTERM first, so an agent's shutdown hook can flush; SIGKILL if it is still there after 10 s. */
    @Override
    public void close() {
        process.toHandle().destroy();
        CompletableFuture<ProcessHandle> exit = process.toHandle().onExit();
        try {
            exit.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.toHandle().destroyForcibly();
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
