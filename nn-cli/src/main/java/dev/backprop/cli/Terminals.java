package dev.backprop.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the output is a terminal that a progress bar can redraw. */
final class Terminals {
    private Terminals() {
    }

    /**
     * True when standard output is an interactive terminal. Up to JDK 21 {@link System#console()} is null
     * otherwise; from JDK 22 it is not, and {@code Console.isTerminal()} (called reflectively, since the code
     * targets Java 17) tells.
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
