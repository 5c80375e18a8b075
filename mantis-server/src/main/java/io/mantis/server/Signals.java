package io.mantis.server;

import org.slf4j.LoggerFactory;

/**
 * Installs handlers for termination signals. With a plain shutdown hook the JVM exits with
 * 128+signal after SIGTERM; handling the signal lets Mantis drain and then exit 0, which is what
 * service managers read as a clean stop.
 */
final class Signals {
    private Signals() {
    }

    /** Returns false when the platform refuses a handler (for example under -Xrs). */
    @SuppressWarnings("restriction")
    static boolean handle(Runnable action, String... names) {
        boolean all = true;
        for (String name : names) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> action.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LoggerFactory.getLogger(Signals.class).debug("no handler for SIG{}: {}", name, e.getMessage());
                all = false;
            }
        }
        return all;
    }
}
