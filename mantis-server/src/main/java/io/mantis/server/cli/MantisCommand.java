package io.mantis.server.cli;

import io.mantis.common.config.ConfigException;
import io.mantis.server.Role;
import io.mantis.server.Version;
import io.mantis.server.config.ConfigService;
import io.mantis.server.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The {@code mantis} command line. Without a command it runs {@code all}. */
@Command(name = "mantis",
        mixinStandardHelpOptions = true,
        versionProvider = MantisCommand.VersionProvider.class,
        description = {
            "Self-hosted observability in one JVM: an OpenTelemetry collector, metrics (PromQL), logs (LogQL)",
            "and traces (TraceQL) stores, and a web UI, each speaking its peer's protocol and HTTP API.",
            "Without a command, runs `all`."},
        subcommands = {
            MantisCommand.All.class, MantisCommand.Collector.class, MantisCommand.Metrics.class,
            MantisCommand.Logs.class, MantisCommand.Traces.class, MantisCommand.Ui.class,
            MantisCommand.Demo.class, MantisCommand.ValidateConfig.class, MantisCommand.DefaultConfig.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  mantis all                              run every role in one JVM (the default)",
            "  mantis all --config mantis.yaml         ... with your file laid over the built-in configuration",
            "  mantis metrics --data-dir /srv/mantis   run the metrics store alone",
            "  mantis validate-config mantis.yaml      check a configuration file, report every problem, exit",
            "  mantis default-config > mantis.yaml     start your own configuration from the built-in one",
            "  MANTIS_HOST=0.0.0.0 mantis all          listen on all interfaces instead of 127.0.0.1",
            "",
            "Exit status: 0 ok, 1 configuration or start-up error, 2 usage error, 3 role not built yet."})
public final class MantisCommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NOT_BUILT = 3;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Runner runner;

    public MantisCommand(Map<String, String> env, Runner runner) {
        this.env = env;
        this.runner = runner;
    }

    /** Runs the server for the given mode until it is told to stop; returns the exit status. */
    @FunctionalInterface
    public interface Runner {
        int run(String mode, List<Role> roles, LoadedConfig config, PrintWriter out, PrintWriter err);
    }

    /** Builds the picocli command line; {@code runner} does the long-running part. */
    public static CommandLine commandLine(Map<String, String> env, Runner runner) {
        CommandLine cl = new CommandLine(new MantisCommand(env, runner));
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    @Override
    public Integer call() {
        return launch("all", Role.builtRoles(), options, spec);
    }

    int launch(String mode, List<Role> roles, CommonOptions opts, CommandSpec where) {
        PrintWriter out = where.commandLine().getOut();
        PrintWriter err = where.commandLine().getErr();
        for (Role r : roles) {
            if (!r.built()) {
                err.println("mantis: the " + r.cliName() + " role (" + r.description()
                        + ") is not built yet in Mantis " + Version.get() + ".");
                err.println("Run `mantis all` to start what this version has.");
                err.flush();
                return EXIT_NOT_BUILT;
            }
        }
        LoadedConfig config = loadOrReport(opts, err);
        if (config == null) {
            return EXIT_FAILED;
        }
        return runner.run(mode, roles, config, out, err);
    }

    LoadedConfig loadOrReport(CommonOptions opts, PrintWriter err) {
        try {
            return ConfigService.load(opts.config, env, opts.dataDir);
        } catch (ConfigException e) {
            err.println("mantis: invalid configuration");
            err.println(e.getMessage());
            err.flush();
            return null;
        } catch (RuntimeException e) {
            err.println("mantis: cannot read configuration: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** Shared body of the role commands. */
    abstract static class RoleCommand implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @ParentCommand
        MantisCommand parent;

        @Spec
        CommandSpec spec;

        abstract List<Role> roles();

        @Override
        public Integer call() {
            return parent.launch(spec.name(), roles(), options.orElse(parent.options), spec);
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "Run every role in one JVM with embedded storage in the data directory (the default).")
    static final class All extends RoleCommand {
        @Override
        List<Role> roles() {
            return Role.builtRoles();
        }

        @Override
        public Integer call() {
            return parent.launch("all", roles(), options.orElse(parent.options), spec);
        }
    }

    @Command(name = "collector", mixinStandardHelpOptions = true,
            description = "Run the OpenTelemetry collector alone (OTLP on 4317/4318, self-metrics 8888, health 8889).")
    static final class Collector extends RoleCommand {
        @Override
        List<Role> roles() {
            return List.of(Role.COLLECTOR);
        }
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "Run the metrics store alone (Prometheus HTTP API and PromQL on 9090).")
    static final class Metrics extends RoleCommand {
        @Override
        List<Role> roles() {
            return List.of(Role.METRICS);
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "Run the log store alone (Loki HTTP API and LogQL on 3100).")
    static final class Logs extends RoleCommand {
        @Override
        List<Role> roles() {
            return List.of(Role.LOGS);
        }
    }

    @Command(name = "traces", mixinStandardHelpOptions = true,
            description = "Run the trace store alone (Tempo HTTP API and TraceQL on 3200).")
    static final class Traces extends RoleCommand {
        @Override
        List<Role> roles() {
            return List.of(Role.TRACES);
        }
    }

    @Command(name = "ui", mixinStandardHelpOptions = true,
            description = "Run the web UI alone (Grafana's role, on 3000).")
    static final class Ui extends RoleCommand {
        @Override
        List<Role> roles() {
            return List.of(Role.UI);
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Run the demo app alone (port 5000), sending its telemetry to a collector.")
    static final class Demo extends RoleCommand {
        @Override
        List<Role> roles() {
            return List.of(Role.DEMO);
        }
    }

    @Command(name = "validate-config", mixinStandardHelpOptions = true,
            description = "Check a configuration file: print every problem with file, line and key, or OK.")
    static final class ValidateConfig implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The YAML file to check.")
        Path file;

        @ParentCommand
        MantisCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommonOptions opts = new CommonOptions();
            opts.config = file;
            opts.dataDir = parent.options.dataDir;
            LoadedConfig cfg = parent.loadOrReport(opts, spec.commandLine().getErr());
            if (cfg == null) {
                return EXIT_FAILED;
            }
            spec.commandLine().getOut().println(file + ": OK");
            return EXIT_OK;
        }
    }

    @Command(name = "default-config", mixinStandardHelpOptions = true,
            description = "Print the built-in configuration, with comments, as a starting point.")
    static final class DefaultConfig implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(ConfigService.defaultConfigText());
            spec.commandLine().getOut().flush();
            return EXIT_OK;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mantis " + Version.get(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
