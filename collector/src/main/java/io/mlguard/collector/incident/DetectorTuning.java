package io.mlguard.collector.incident;

import io.mlguard.collector.detect.SignalType;

/**
 * Where operators' verdicts have moved one signal type's threshold: the step {@code level} (0 is
 * the detector's own threshold), the multiplier it gives and its cap, and how many incidents of the
 * type stand confirmed as false and as true positives (those whose verdict may tune, see {@link
 * ThresholdTuner#tunes}).
 */
public record DetectorTuning(
        SignalType type,
        int level,
        long falsePositives,
        long truePositives,
        double multiplier,
        double maxMultiplier) {}
