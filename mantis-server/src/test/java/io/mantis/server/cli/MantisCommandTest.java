package io.mantis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.server.Role;
import io.mantis.server.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MantisCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> runs = new ArrayList<>();
    private LoadedConfig lastConfig;

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cl = MantisCommand.commandLine(env, (mode, roles, config, o, e) -> {
            runs.add(mode + " " + roles);
            lastConfig = config;
            return 0;
        });
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void noCommandRunsAll() {
        assertThat(run()).isZero();
        assertThat(runs).containsExactly("all " + Role.builtRoles());
        assertThat(lastConfig.source()).isEqualTo("<built-in>");
    }

    @Test
    void allAcceptsOptionsBeforeAndAfterTheCommand() throws IOException {
        Path cfg = dir.resolve("m.yaml");
        Files.writeString(cfg, "server: {shutdown_timeout: 7s}\n");
        assertThat(run("--config", cfg.toString(), "all", "--data-dir", dir.resolve("d").toString())).isZero();
        assertThat(lastConfig.source()).isEqualTo(cfg.toString());
        assertThat(lastConfig.dataDir()).isEqualTo(dir.resolve("d"));
        assertThat(lastConfig.config().server().shutdownTimeout()).hasSeconds(7);

        assertThat(run("all", "--config", cfg.toString())).isZero();
        assertThat(lastConfig.source()).isEqualTo(cfg.toString());
    }

    @Test
    void aRoleThatIsNotBuiltSaysSoAndExitsNonZero() {
        for (Role r : Role.values()) {
            if (r.built()) {
                continue;
            }
            StringWriter e = new StringWriter();
            CommandLine cl = MantisCommand.commandLine(Map.of(), (m, roles, c, o, er) -> {
                throw new AssertionError("must not run");
            });
            cl.setErr(new PrintWriter(e, true));
            assertThat(cl.execute(r.cliName())).as(r.cliName()).isEqualTo(MantisCommand.EXIT_NOT_BUILT);
            assertThat(e.toString()).contains("the " + r.cliName() + " role").contains("is not built yet");
        }
    }

    @Test
    void demoRunsTheDemoRoleAloneAndTurnsItOn() {
        assertThat(run("demo")).isZero();
        assertThat(runs).containsExactly("demo [DEMO]");
        assertThat(lastConfig.config().demo().enabled()).isTrue();
        assertThat(lastConfig.config().demo().load().enabled()).isFalse();
        assertThat(lastConfig.demoEndpoint().port()).isEqualTo(5000);
    }

    @Test
    void demoLoadAndDurationBecomeTheLoadSettings() {
        assertThat(run("demo", "--load", "40", "--duration", "1m30s")).isZero();
        assertThat(lastConfig.config().demo().load().rate()).isEqualTo(40);
        assertThat(lastConfig.config().demo().load().duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(run("demo", "--load", "2.5")).isZero();
        assertThat(lastConfig.config().demo().load().rate()).isEqualTo(2.5);
        assertThat(lastConfig.config().demo().load().duration()).isZero();
    }

    @Test
    void allWithDemoTurnsItOnWithAGentleLoadUnlessOneIsConfigured() throws IOException {
        assertThat(run("all")).isZero();
        assertThat(lastConfig.config().demo().enabled()).isFalse();
        assertThat(runs.get(0)).contains("DEMO");

        assertThat(run("all", "--demo")).isZero();
        assertThat(lastConfig.config().demo().enabled()).isTrue();
        assertThat(lastConfig.config().demo().load().rate()).isEqualTo(5);

        Path cfg = dir.resolve("demo.yaml");
        Files.writeString(cfg, "demo:\n  environment: lab\n  load: {rate: 20}\n");
        assertThat(run("all", "--demo", "--config", cfg.toString())).isZero();
        assertThat(lastConfig.config().demo().load().rate()).isEqualTo(20);
        assertThat(lastConfig.config().demo().environment()).isEqualTo("lab");
    }

    @Test
    void badDemoFlagsAreUsageErrors() {
        assertThat(run("demo", "--load", "0")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--load must be between 0 and 10000");
        assertThat(run("demo", "--duration", "5m")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--duration needs --load RATE");
        assertThat(run("demo", "--load", "5", "--duration", "soon")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("expected a duration like 30s");
        assertThat(run("demo", "--load", "lots")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(runs).isEmpty();
    }

    @Test
    void aDemoConfigMistakeIsReportedLikeAnyOther() throws IOException {
        Path cfg = dir.resolve("bad-demo.yaml");
        Files.writeString(cfg, "demo:\n  otlp:\n    protocol: carrier-pigeon\n");
        assertThat(run("demo", "--config", cfg.toString())).isEqualTo(MantisCommand.EXIT_FAILED);
        assertThat(err.toString()).contains("bad-demo.yaml:3:15: demo.otlp.protocol: expected one of [grpc, http/protobuf]");
    }

    @Test
    void invalidConfigExitsOneWithEveryProblem() throws IOException {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "server:\n  shutdown_timeout: x\n  colour: blue\n");
        assertThat(run("all", "--config", cfg.toString())).isEqualTo(MantisCommand.EXIT_FAILED);
        assertThat(runs).isEmpty();
        assertThat(err.toString())
                .contains("invalid configuration")
                .contains("bad.yaml:2:21: server.shutdown_timeout")
                .contains("bad.yaml:3:3: server.colour: unknown key 'colour' in 'server'");
    }

    @Test
    void validateConfigReportsOkOrProblems() throws IOException {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "server: {host: 0.0.0.0}\n");
        assertThat(run("validate-config", good.toString())).isZero();
        assertThat(out.toString()).contains("good.yaml: OK");
        assertThat(runs).isEmpty();

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "metrics:\n  endpoint: 1.2.3.4\n");
        assertThat(run("validate-config", bad.toString())).isEqualTo(MantisCommand.EXIT_FAILED);
        assertThat(err.toString()).contains("bad.yaml:2:13: metrics.endpoint");
    }

    @Test
    void validateConfigNeedsAFile() {
        assertThat(run("validate-config")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void unknownOptionOrCommandIsAUsageError() {
        assertThat(run("--bogus")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
        assertThat(run("everything")).isEqualTo(MantisCommand.EXIT_USAGE);
        assertThat(runs).isEmpty();
    }

    @Test
    void helpListsCommandsAndExamples() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: mantis")
                .contains("all", "collector", "metrics", "logs", "traces", "ui", "demo", "validate-config")
                .contains("mantis all --demo")
                .contains("--config=FILE", "--data-dir=DIR")
                .contains("Examples:")
                .contains("mantis validate-config mantis.yaml");
    }

    @Test
    void versionPrintsMantisAndJava() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("mantis ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void defaultConfigPrintsTheBuiltInFileWhichValidates() throws IOException {
        assertThat(run("default-config")).isZero();
        assertThat(out.toString()).contains("collector:").contains("health_check:").contains("server:");
        Path f = dir.resolve("default.yaml");
        Files.writeString(f, out.toString());
        assertThat(run("validate-config", f.toString())).isZero();
    }
}
