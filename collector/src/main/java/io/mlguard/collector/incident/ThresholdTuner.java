package io.mlguard.collector.incident;

import io.mlguard.collector.detect.SignalType;
import java.util.Set;

/**
 * The policy that turns operators' verdicts into a multiplier on a detector's decision threshold,
 * within fixed bounds. The multiplier is {@code 1 + (cap - 1) * level / LEVELS}: each incident
 * confirmed false positive raises the level by one, each confirmed true positive lowers it by two
 * (a confirmed attack weighs more than noise), and the level stays within {@code [0, LEVELS]}. So
 * feedback can only make a detector quieter than its calibrated threshold, by at most its cap, and
 * never more eager. One incident is one vote: repeating a verdict on it changes nothing, changing
 * it moves the level the other way.
 *
 * <p>The caps, and why a strong attack is still caught at each (the multiplier applies to the
 * statistic each detector compares, oriented so that larger is more suspicious):
 *
 * <ul>
 *   <li>{@code model_substitution}: 1, never tuned. A hash that is not the expected one (or not on
 *       the allow-list) is a fact, not a score; a false positive there means the allow-list lacks a
 *       legitimate hash, which is fixed by adding it, not by looking away.
 *   <li>{@code query_attack}: 2. A client needs 24 (not 12) near-duplicates among its last 64
 *       queries, 32 (not 16) across clients. A HopSkipJump- or Boundary-like walk makes nearly
 *       every query a near-duplicate of the previous ones, so it reaches 24 within about 25-30
 *       queries of the thousands such attacks need; bursts of up to 24 near-identical frames stop
 *       alarming.
 *   <li>{@code extraction}: 1.5. The Shapiro–Wilk W must fall below 1 - 0.06 × 1.5 = 0.91 (not
 *       0.94); benign clients measure 0.98-0.995 and JbDA-like extraction 0.70-0.85, so extraction
 *       stays below the floor.
 *   <li>{@code data_drift}, {@code prediction_drift}, {@code operational}: 2. CUSUM thresholds h
 *       double, which by Siegmund's approximation still catches a 1-sigma shift in about 42 records
 *       instead of 21 (k = 0.5, ARL0 = 10^6); PSI must reach 0.5 instead of 0.25; tail-probability
 *       tests need {@code p < alpha^2} (twice the surprise, -ln p), which a real error or
 *       throughput spike passes by orders of magnitude.
 *   <li>{@code invalid_input}: 2, for out-of-range values only (the slack around the reference
 *       range goes from 5% to 10% of its span). NaN and infinite inputs are facts and never tuned.
 * </ul>
 */
public final class ThresholdTuner {
    /** Steps from the base threshold to the cap: four confirmed false positives reach it. */
    public static final int LEVELS = 4;

    /** Levels one confirmed true positive takes back. */
    public static final int TRUE_POSITIVE_STEPS = 2;

    /** The one invalid-input reason that has a threshold (see InvalidInputDetector). */
    static final String OUT_OF_RANGE = "out_of_range";

    private ThresholdTuner() {}

    /** The highest multiplier feedback may give {@code type}. */
    public static double cap(SignalType type) {
        switch (type) {
            case MODEL_SUBSTITUTION:
                return 1.0;
            case EXTRACTION:
                return 1.5;
            case QUERY_ATTACK:
            case DATA_DRIFT:
            case PREDICTION_DRIFT:
            case OPERATIONAL:
            case INVALID_INPUT:
                return 2.0;
            default:
                throw new IllegalArgumentException("no cap for " + type);
        }
    }

    /**
     * Whether a verdict on an incident of {@code type} with these signal reasons may move the
     * threshold: never for model substitution, and for invalid inputs only when some were out of
     * range (NaN and infinite values are facts, so a verdict on them tunes nothing). The verdict is
     * stored either way.
     */
    public static boolean tunes(SignalType type, Set<String> reasons) {
        switch (type) {
            case MODEL_SUBSTITUTION:
                return false;
            case INVALID_INPUT:
                return reasons.contains(OUT_OF_RANGE);
            default:
                return true;
        }
    }

    /** The multiplier of {@code type} at {@code level} (clamped to {@code [0, LEVELS]}). */
    public static double multiplier(SignalType type, int level) {
        int l = Math.max(0, Math.min(LEVELS, level));
        return 1.0 + (cap(type) - 1.0) * l / LEVELS;
    }

    /** The state of a type nobody has given feedback on. */
    public static DetectorTuning initial(SignalType type) {
        return of(type, 0, 0, 0);
    }

    /** A state from stored numbers, the level clamped to its bounds. */
    public static DetectorTuning of(
            SignalType type, int level, long falsePositives, long truePositives) {
        int l = Math.max(0, Math.min(LEVELS, level));
        return new DetectorTuning(
                type,
                l,
                Math.max(0, falsePositives),
                Math.max(0, truePositives),
                multiplier(type, l),
                cap(type));
    }

    /**
     * The state after a verdict on one incident of the state's type.
     *
     * @param previous the verdict the incident had before, or {@code null} for none
     * @param now the new verdict
     */
    public static DetectorTuning apply(DetectorTuning s, Verdict previous, Verdict now) {
        if (previous == now) {
            return s; // one incident, one vote
        }
        long fp = s.falsePositives();
        long tp = s.truePositives();
        if (previous == Verdict.FALSE_POSITIVE) {
            fp--;
        } else if (previous == Verdict.TRUE_POSITIVE) {
            tp--;
        }
        int level = s.level();
        if (now == Verdict.FALSE_POSITIVE) {
            fp++;
            level++;
        } else {
            tp++;
            level -= TRUE_POSITIVE_STEPS;
        }
        return of(s.type(), level, fp, tp);
    }
}
