package io.mlguard.demo.model;

import java.util.Locale;

/**
 * Which model the trainer writes. {@link #TAMPERED} stands for a model file that someone replaced
 * behind the server's back: same shape, same size, different behaviour.
 */
public enum Variant {
    /** The model as trained. */
    NORMAL,
    /** The trained model with the outputs for digits 1 and 7 swapped. */
    TAMPERED;

    /** Applies the variant to a freshly trained model. */
    public Mlp apply(Mlp trained) {
        return this == TAMPERED ? trained.withSwappedClasses(1, 7) : trained;
    }

    /** Parses a command-line value such as {@code tampered}. */
    public static Variant parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown variant '" + value + "' (expected normal or tampered)", e);
        }
    }
}
