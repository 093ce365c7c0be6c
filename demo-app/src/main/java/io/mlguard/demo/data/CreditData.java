package io.mlguard.demo.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The German credit data set ({@code credit-g.arff}, 1,000 applicants, 20 attributes and the class
 * good/bad), unpacked from Weka's jar at build time, split deterministically: every fifth row is
 * held out (800 training rows, 200 held out).
 */
public final class CreditData {
    /** Name of the class attribute. */
    public static final String CLASS_ATTRIBUTE = "class";

    private static final String RESOURCE = "/credit/credit-g.arff";
    private static volatile CreditData shared;

    private final List<ArffAttribute> features;
    private final List<String> classes;
    private final Table training;
    private final Table heldOut;

    /** Rows of feature values (ARFF encoding: number, nominal index or NaN) with class labels. */
    public record Table(List<double[]> rows, int[] labels) {
        /** Number of rows. */
        public int size() {
            return labels.length;
        }
    }

    private CreditData(ArffData arff) {
        int classIndex = arff.attributeIndex(CLASS_ATTRIBUTE);
        if (classIndex != arff.attributes().size() - 1) {
            throw new IllegalStateException("the class must be the last attribute");
        }
        ArffAttribute label = arff.attributes().get(classIndex);
        this.features = arff.attributes().subList(0, classIndex);
        this.classes = label.values();
        List<double[]> trainRows = new ArrayList<>();
        List<double[]> testRows = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        for (int i = 0; i < arff.rows().size(); i++) {
            double[] row = arff.rows().get(i);
            if (Double.isNaN(row[classIndex])) {
                throw new IllegalStateException("row " + (i + 1) + " has no class");
            }
            boolean test = i % 5 == 4;
            (test ? testRows : trainRows).add(java.util.Arrays.copyOf(row, classIndex));
            (test ? testLabels : trainLabels).add((int) row[classIndex]);
        }
        this.training = table(trainRows, trainLabels);
        this.heldOut = table(testRows, testLabels);
    }

    /** The data set, read once per JVM from the classpath. */
    public static CreditData load() {
        CreditData data = shared;
        if (data == null) {
            synchronized (CreditData.class) {
                data = shared;
                if (data == null) {
                    data = new CreditData(readFromClasspath());
                    shared = data;
                }
            }
        }
        return data;
    }

    /** The 20 input attributes (the class excluded), in file order. */
    public List<ArffAttribute> features() {
        return features;
    }

    /** Class names in label order: {@code good} is 0, {@code bad} is 1. */
    public List<String> classes() {
        return classes;
    }

    /** 800 training rows. */
    public Table training() {
        return training;
    }

    /** 200 held-out rows. */
    public Table heldOut() {
        return heldOut;
    }

    private static Table table(List<double[]> rows, List<Integer> labels) {
        return new Table(List.copyOf(rows), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static ArffData readFromClasspath() {
        try (InputStream in = CreditData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return ArffParser.parse(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
