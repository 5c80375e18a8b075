package io.mantis.server.cli;

import io.mantis.common.config.ConfigException;
import io.mantis.common.config.ConfigLoader;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.Durations;
import io.mantis.demo.DemoConfig;
import io.mantis.server.Role;
import io.mantis.server.Version;
import io.mantis.server.config.ConfigService;
import io.mantis.server.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
            "  mantis all --demo                       ... with the demo app on 5000 and a gentle load on it",
            "  mantis demo --load 50 --duration 5m     the demo app alone, driven at 50 requests/s for 5 minutes",
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
        return launch(mode, roles, opts, where, null);
    }

    /**
     * @param demo what the demo flags ask for, or null when none was given
     */
    int launch(String mode, List<Role> roles, CommonOptions opts, CommandSpec where, DemoFlags demo) {
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
        LoadedConfig config = loadOrReport(opts, err, demo == null ? null : demo.yaml(null));
        if (config != null && demo != null && demo.gentle() && !config.config().demo().load().enabled()) {
            // `all --demo` with no load configured: a gentle one, so the stack shows living data.
            config = loadOrReport(opts, err, demo.yaml(DemoConfig.Load.GENTLE_RATE));
        }
        if (config == null) {
            return EXIT_FAILED;
        }
        return runner.run(mode, roles, config, out, err);
    }

    /**
     * The demo settings that flags imply, applied as configuration (so they are checked like it).
     *
     * @param gentle {@code all --demo}: a gentle load unless the configuration has one
     * @param rate {@code --load}, or null
     * @param duration {@code --duration}, or null
     */
    record DemoFlags(boolean gentle, Double rate, Duration duration) {
        String yaml(Double fallbackRate) {
            StringBuilder sb = new StringBuilder("demo:\n  enabled: true\n");
            Double r = rate != null ? rate : fallbackRate;
            if (r != null) {
                sb.append("  load:\n    rate: ").append(String.format(Locale.ROOT, "%s", r)).append('\n');
                if (duration != null) {
                    sb.append("    duration: ").append(Durations.format(duration)).append('\n');
                }
            }
            return sb.toString();
        }
    }

    LoadedConfig loadOrReport(CommonOptions opts, PrintWriter err) {
        return loadOrReport(opts, err, null);
    }

    LoadedConfig loadOrReport(CommonOptions opts, PrintWriter err, String flagsYaml) {
        try {
            ConfigNode flags = flagsYaml == null ? null : ConfigLoader.parse(flagsYaml, "command line", env);
            return ConfigService.load(opts.config, env, opts.dataDir, flags);
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
        @Option(names = "--demo", description = "Also start the demo app (port 5000) with a gentle load of "
                + "5 requests/s (demo.load.rate when configured), so every store fills with living data.")
        boolean demo;

        @Override
        List<Role> roles() {
            return Role.builtRoles();
        }

        @Override
        public Integer call() {
            return parent.launch("all", roles(), options.orElse(parent.options), spec,
                    demo ? new DemoFlags(true, null, null) : null);
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
            description = {"Run the demo app alone: a shop on port 5000 calling its inventory and payments services,",
                "exporting traces, metrics and logs over OTLP to a collector (demo.otlp, or the standard",
                "OTEL_EXPORTER_OTLP_* variables; by default the local one on 4317)."})
    static final class Demo extends RoleCommand {
        @Option(names = "--load", paramLabel = "RATE",
                description = "Also drive the shop with RATE requests per second: a realistic mix with errors and "
                        + "slow calls, with progress on one line.")
        Double load;

        @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
                description = "With --load: stop after D (e.g. 30s, 5m) and exit; without it, until stopped.")
        Duration duration;

        @Override
        List<Role> roles() {
            return List.of(Role.DEMO);
        }

        @Override
        public Integer call() {
            if (load != null && !(load > 0 && load <= DemoConfig.Load.MAX_RATE)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--load must be between 0 and "
                        + (int) DemoConfig.Load.MAX_RATE + " requests per second, got " + load);
            }
            if (duration != null && load == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--duration needs --load RATE");
            }
            return parent.launch(spec.name(), roles(), options.orElse(parent.options), spec,
                    new DemoFlags(false, load, duration));
        }
    }

    /** Go-style durations, as in the configuration file: 30s, 5m, 1h30m. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("expected a positive duration like 30s or 5m, got '"
                        + value + "'");
            }
            return d;
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
