package io.mlguard.demo.data;

import java.util.List;

/**
 * One attribute of an ARFF file: numeric when {@code values} is empty, nominal otherwise.
 *
 * @param name the attribute's name
 * @param values the allowed values of a nominal attribute, in declaration order
 */
public record ArffAttribute(String name, List<String> values) {
    /** Copies the values. */
    public ArffAttribute {
        values = List.copyOf(values);
    }

    /** Whether the attribute takes one of a list of values. */
    public boolean nominal() {
        return !values.isEmpty();
    }

    /** The index of {@code value} among the nominal values, or -1. */
    public int indexOf(String value) {
        return values.indexOf(value);
    }
}
