package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' own PromQL acceptance scripts ({@code shared/conformance/promql/testdata}, read in
 * place) against our engine: one container per script, one test per eval, named
 * {@code file:line query}. Loads go through the store's appender into a real Tsdb per script.
 *
 * <p>Skipped as a whole, never passed, when the scripts are not there or no engine is found
 * (a {@link QueryEngine.Factory} registered with {@link java.util.ServiceLoader}, or named with
 * {@code -Dmantis.promql.engineFactory}). Evals listed in {@code known-skips.txt} are skipped with
 * their reason; {@code -Dpromqltest.runSkipped=true} runs them and fails those that pass, so the
 * list can shrink. {@code -Dpromqltest.strictMessages=false} accepts any error or annotation text,
 * {@code -Dpromqltest.rangeCheck=false} turns off the repetition of instant evals in range mode.
 */
class PromqlConformanceTest {

    @TestFactory
    Stream<DynamicNode> promqltestScripts(@TempDir Path dir) {
        Path testdata = Testdata.find();
        if (testdata == null) {
            return skipped(Testdata.missingMessage());
        }
        Optional<QueryEngine.Factory> factory = EngineFactories.find();
        if (factory.isEmpty()) {
            return skipped("no PromQL engine yet: no io.mantis.metrics.promql.QueryEngine$Factory is registered as a "
                    + "service (META-INF/services) nor named with -D" + EngineFactories.PROPERTY
                    + "; skipping the PromQL conformance scripts");
        }
        KnownSkips skips = KnownSkips.load();
        EvalRunner.Settings settings = EvalRunner.Settings.fromSystemProperties();
        boolean runSkipped = Boolean.getBoolean("promqltest.runSkipped");
        List<DynamicNode> files = new ArrayList<>();
        for (Path file : Testdata.scripts(testdata)) {
            Script script = Testdata.parse(file);
            ScriptSession session = new ScriptSession(script, dir.resolve(script.name()), factory.get(),
                    EngineFactories.SCRIPT_OPTIONS);
            List<DynamicTest> tests = new ArrayList<>();
            for (int i = 0; i < script.commands().size(); i++) {
                if (script.commands().get(i) instanceof Eval ev) {
                    int index = i;
                    URI source = URI.create(file.toUri() + "?line=" + ev.line());
                    tests.add(DynamicTest.dynamicTest(script.name() + ":" + ev.line() + " " + ev.query(), source,
                            () -> runEval(script, ev, index, session, skips, settings, runSkipped)));
                }
            }
            // JUnit closes a container's stream once its tests have run: the store goes with it.
            files.add(DynamicContainer.dynamicContainer(script.name(), file.toUri(),
                    tests.stream().onClose(session::close)));
        }
        return files.stream();
    }

    /**
     * One test that is skipped with {@code why}: an aborted factory would vanish from the reports
     * (Surefire counts no test at all), a skipped test stays visible with its message.
     */
    private static Stream<DynamicNode> skipped(String why) {
        return Stream.of(DynamicTest.dynamicTest("promqltest scripts", () -> Assumptions.abort(why)));
    }

    private static void runEval(Script script, Eval ev, int index, ScriptSession session, KnownSkips skips,
                                EvalRunner.Settings settings, boolean runSkipped) {
        Optional<String> skip = skips.reason(script.name(), ev.line());
        if (skip.isPresent() && !runSkipped) {
            Assumptions.abort("known skip (" + KnownSkips.RESOURCE + "): " + skip.get());
        }
        QueryEngine engine = session.engineFor(index);
        String problem = EvalRunner.check(ev, engine, settings);
        String where = script.name() + ":" + ev.line() + " eval " + ev.header() + " " + ev.query() + ": ";
        if (skip.isPresent()) {
            if (problem == null) {
                Assertions.fail(where + "passes now: remove it from " + KnownSkips.RESOURCE + " (" + skip.get() + ")");
            }
            Assumptions.abort("known skip still fails (" + skip.get() + "): " + problem);
        }
        if (problem != null) {
            Assertions.fail(where + problem);
        }
    }
}
