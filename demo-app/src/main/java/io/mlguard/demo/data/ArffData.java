package io.mlguard.demo.data;

import java.util.List;

/**
 * The contents of an ARFF file. Each row holds one double per attribute: the number itself for a
 * numeric attribute, the value's index for a nominal one, and {@code NaN} where the value is
 * missing ({@code ?}).
 *
 * @param relation the {@code @relation} name
 * @param attributes the attributes in file order
 * @param rows the data rows, each as long as {@code attributes}
 */
public record ArffData(String relation, List<ArffAttribute> attributes, List<double[]> rows) {
    /** Copies the lists (not the rows). */
    public ArffData {
        attributes = List.copyOf(attributes);
        rows = List.copyOf(rows);
    }

    /** The position of the attribute called {@code name}. */
    public int attributeIndex(String name) {
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no attribute '" + name + "' in " + relation);
    }
}
