package io.mlguard.demo.traffic.drift;

import java.util.SplittableRandom;

/**
 * Inputs whose distribution moves over the course of a run: request {@code i} of {@code count} is
 * drawn further from the training distribution than request {@code i - 1}.
 */
public interface DriftSource {
    /** One input and its true class. */
    record Sample(float[] input, int truth) {}

    /** The model these inputs are for. */
    String model();

    /** The input of request {@code i} (0-based) of {@code count}. */
    Sample sample(int i, int count, SplittableRandom random);

    /** How far along the drift request {@code i} of {@code count} is, from 0 to 1. */
    static double progress(int i, int count) {
        return count <= 1 ? 1 : i / (double) (count - 1);
    }
}
