package io.mantis.demo.load;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * One line of progress on the console: rewritten in place ({@code \r}) on a terminal, and on a
 * pipe or in a file a plain line now and then, which logs and CI output keep readably.
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean terminal;
    private int lastLength;

    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on standard output, in place when it is a terminal. */
    public static ProgressLine console() {
        return new ProgressLine(System.out, stdoutIsTerminal());
    }

    /**
     * Whether standard output is a terminal. Up to Java 21 a console exists only then; from Java 22
     * one may exist for a redirected stream too, and {@code Console.isTerminal()} tells.
     */
    static boolean stdoutIsTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public boolean terminal() {
        return terminal;
    }

    /** How often a caller should update: each second in place, every ten seconds as lines. */
    public Duration interval() {
        return terminal ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
    }

    public synchronized void update(String text) {
        if (terminal) {
            out.print("\r" + text + pad(text));
            lastLength = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** The last state; on a terminal the line is ended, so what follows starts on a fresh one. */
    public synchronized void finish(String text) {
        if (terminal) {
            out.print("\r" + text + pad(text) + System.lineSeparator());
            lastLength = 0;
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Blanks over what a longer previous line left behind. */
    private String pad(String text) {
        int n = lastLength - text.length();
        return n > 0 ? " ".repeat(n) : "";
    }
}
