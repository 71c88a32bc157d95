package dev.backprop.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The names by which settings are written on the command line and in files. */
final class Ids {
    private Ids() {
    }

    /**
     * The constant of {@code values} whose {@code id} is {@code name} (trimmed, any case); the message of the
     * exception names the {@code kind} of setting and lists the valid names.
     */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> id, String name, String kind) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (E value : values) {
            if (id.apply(value).equals(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; expected one of "
                + Arrays.stream(values).map(id).collect(Collectors.joining(", ")));
    }
}
