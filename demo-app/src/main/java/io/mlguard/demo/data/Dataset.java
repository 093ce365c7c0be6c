package io.mlguard.demo.data;

import java.util.Objects;

/**
 * An immutable list of labelled MNIST digits: each image is 784 floats in [0, 1] (28 x 28, row by
 * row) and each label is the digit 0..9.
 */
public final class Dataset {
    private final float[][] images;
    private final int[] labels;

    /**
     * Wraps the given arrays. They are not copied: callers hand over ownership and must not change
     * them afterwards.
     */
    public Dataset(float[][] images, int[] labels) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.length != labels.length) {
            throw new IllegalArgumentException(
                    images.length + " images but " + labels.length + " labels");
        }
        this.images = images;
        this.labels = labels;
    }

    /** Number of digits. */
    public int size() {
        return labels.length;
    }

    /** The pixels of digit {@code i}; shared, do not modify. */
    public float[] image(int i) {
        return images[i];
    }

    /** The true class of digit {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Number of digits of each class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[MnistData.CLASSES];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
