package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.promqltest.Script.Clear;
import io.mantis.metrics.promql.promqltest.Script.Command;
import io.mantis.metrics.promql.promqltest.Script.Load;
import java.nio.file.Path;

/**
 * One script's run: the store, the engine over it, and how far the script's loads and clears
 * have been applied. Evals run as separate tests, in script order; before each, the session
 * applies the commands that precede it (whether or not the evals between were run or skipped).
 * A load that fails makes every eval up to the next {@code clear} fail with its message.
 */
final class ScriptSession implements AutoCloseable {

    private final Script script;
    private final TestStorage storage;
    private final QueryEngine.Factory factory;
    private final QueryEngine.Options options;
    private int next;
    private QueryEngine engine;
    private RuntimeException loadFailure;

    ScriptSession(Script script, Path dir, QueryEngine.Factory factory, QueryEngine.Options options) {
        this.script = script;
        this.storage = new TestStorage(dir);
        this.factory = factory;
        this.options = options;
    }

    /** The engine to evaluate command {@code index} with, after applying every load and clear before it. */
    QueryEngine engineFor(int index) {
        if (index < next) {
            throw new IllegalStateException("command " + index + " of " + script.name() + " comes before what has run");
        }
        while (next < index) {
            apply(script.commands().get(next++));
        }
        if (loadFailure != null) {
            throw new IllegalStateException("an earlier load failed: " + loadFailure.getMessage(), loadFailure);
        }
        if (engine == null) {
            engine = factory.create(storage.tsdb(), options);
        }
        return engine;
    }

    private void apply(Command c) {
        switch (c) {
            case Clear cl -> {
                storage.clear();
                engine = null;
                loadFailure = null;
            }
            case Load l -> {
                if (loadFailure == null) {
                    try {
                        Loader.load(storage.tsdb(), l);
                    } catch (RuntimeException e) {
                        loadFailure = e;
                    }
                }
            }
            case Script.Eval e -> {
            }
        }
    }

    @Override
    public void close() {
        engine = null;
        storage.close();
    }
}
