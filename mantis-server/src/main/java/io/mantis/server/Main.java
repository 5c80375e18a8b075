package io.mantis.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.mantis.common.lifecycle.LifecycleException;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.server.cli.MantisCommand;
import io.mantis.server.config.LoadedConfig;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the {@code mantis} command. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        int code = MantisCommand.commandLine(System.getenv(), Main::runUntilStopped).execute(args);
        System.exit(code);
    }

    /**
     * Starts the server, prints the start-up table, and blocks until SIGTERM or SIGINT; then stops
     * within the configured shutdown timeout. A second signal during the stop exits at once.
     */
    static int runUntilStopped(String mode, List<Role> roles, LoadedConfig config, PrintWriter out,
                               PrintWriter err) {
        applyLogLevel(config);
        MantisServer server = new MantisServer(config, roles, new MetricRegistry());
        CountDownLatch stopRequested = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        Runnable onSignal = () -> {
            if (signals.incrementAndGet() > 1) {
                log.warn("second stop signal: exiting without waiting for the drain");
                Runtime.getRuntime().halt(MantisCommand.EXIT_FAILED);
            }
            stopRequested.countDown();
        };
        boolean handled = Signals.handle(onSignal, "TERM", "INT");
        // Without signal handlers (e.g. -Xrs) a shutdown hook still drains; the exit status is then the JVM's.
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            server.stop();
        }, "mantis-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            server.start();
        } catch (LifecycleException e) {
            err.println("mantis: " + e.getMessage());
            err.flush();
            return MantisCommand.EXIT_FAILED;
        }
        Duration toReady = Duration.ofMillis(System.currentTimeMillis()
                - ManagementFactory.getRuntimeMXBean().getStartTime());
        server.registry().gauge("mantis_startup_seconds", "Time from JVM start to ready.")
                .labels().set(toReady.toMillis() / 1000.0);
        out.print(server.startupTable(mode, toReady));
        out.flush();
        // `mantis demo --load R --duration D` ends by itself once the load has run.
        server.finished().thenRun(stopRequested::countDown);
        if (!handled) {
            log.warn("cannot install signal handlers; relying on the JVM shutdown hook");
        }
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long t0 = System.nanoTime();
        log.info("stopping: draining in-flight data (at most {})", config.config().server().shutdownTimeout());
        boolean clean = server.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran; nothing to remove.
        }
        log.info("stopped {} in {} ms", clean ? "cleanly" : "with errors", (System.nanoTime() - t0) / 1_000_000);
        return clean ? MantisCommand.EXIT_OK : MantisCommand.EXIT_FAILED;
    }

    private static void applyLogLevel(LoadedConfig config) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            var level = config.config().collector().service().telemetry().logs().level();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.name(), Level.INFO));
        }
    }
}
