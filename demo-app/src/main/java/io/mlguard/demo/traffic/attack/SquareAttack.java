package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.traffic.QueryOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The L-infinity Square attack (Andriushchenko et al., 2020), score-based and untargeted: start
 * from vertical stripes of +-eps, then repeatedly set a random square of the perturbation to +-eps
 * and keep it if the true-class margin (log p_true - max log p_other, which equals the logit
 * margin) decreases. The square shrinks on the paper's schedule. Success is a misclassification.
 */
public final class SquareAttack {
    /**
     * L-infinity radius. The usual MNIST value, 0.3, fools the demo's MLP with the initial stripes
     * alone; a smaller ball makes the attack do its iterative work.
     */
    public static final double DEFAULT_EPSILON = 0.12;

    private static final int SIDE = 28;
    private static final double P_INIT = 0.3;

    private final QueryOracle oracle;
    private final SplittableRandom random;
    private final double epsilon;

    /** An attack of radius {@code epsilon} sending its queries through {@code oracle}. */
    public SquareAttack(QueryOracle oracle, long seed, double epsilon) {
        this.oracle = oracle;
        this.random = new SplittableRandom(seed);
        this.epsilon = epsilon;
    }

    /** Attacks {@code source}, whose true class is {@code truth}. */
    public AttackResult run(float[] source, int truth) throws InterruptedException {
        List<Double> margins = new ArrayList<>();
        float[] delta = new float[source.length];
        float[] best = source;
        double bestMargin = Double.NaN;
        try {
            bestMargin = margin(oracle.probabilities(source), truth);
            margins.add(bestMargin);
            if (bestMargin >= 0) { // a digit misclassified already needs no attack
                for (int col = 0; col < SIDE; col++) {
                    float sign = random.nextBoolean() ? 1f : -1f;
                    for (int row = 0; row < SIDE; row++) {
                        delta[row * SIDE + col] = (float) (sign * epsilon);
                    }
                }
                best = apply(source, delta);
                bestMargin = margin(oracle.probabilities(best), truth);
                margins.add(bestMargin);
                for (int i = 1; bestMargin >= 0; i++) {
                    int s = side(i);
                    int top = random.nextInt(SIDE - s + 1);
                    int left = random.nextInt(SIDE - s + 1);
                    float[] trial = delta.clone();
                    float sign = random.nextBoolean() ? 1f : -1f;
                    for (int r = top; r < top + s; r++) {
                        for (int c = left; c < left + s; c++) {
                            trial[r * SIDE + c] = (float) (sign * epsilon);
                        }
                    }
                    float[] x = apply(source, trial);
                    double m = margin(oracle.probabilities(x), truth);
                    if (m < bestMargin) {
                        bestMargin = m;
                        delta = trial;
                        best = x;
                        margins.add(m);
                    }
                }
            }
        } catch (QueryOracle.BudgetExhausted e) {
            // out of queries: report the smallest margin reached
        }
        boolean success = bestMargin < 0;
        String summary =
                String.format(
                        Locale.ROOT,
                        "square: %d queries, true-class margin %.3f -> %.3f, %s (L-inf eps %.2f)",
                        oracle.queries(),
                        margins.isEmpty() ? Double.NaN : margins.get(0),
                        bestMargin,
                        success ? "misclassified" : "still classified correctly",
                        epsilon);
        return new AttackResult(
                "square", oracle.queries(), success, margins, oracle.clients(), summary, best);
    }

    /** Side of the square at iteration i: p halves at the paper's iteration milestones. */
    private static int side(int i) {
        double p = P_INIT;
        for (int milestone : new int[] {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000}) {
            if (i > milestone) {
                p /= 2;
            }
        }
        return Math.max(1, Math.min(SIDE - 1, (int) Math.round(Math.sqrt(p * SIDE * SIDE))));
    }

    private static float[] apply(float[] source, float[] delta) {
        float[] x = new float[source.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Vec.clip(source[i] + delta[i]);
        }
        return x;
    }

    /** log p_truth - max log p_other; floors keep a zero probability from giving infinities. */
    static double margin(float[] p, int truth) {
        double other = 0;
        for (int k = 0; k < p.length; k++) {
            if (k != truth) {
                other = Math.max(other, p[k]);
            }
        }
        return Math.log(Math.max(p[truth], 1e-38)) - Math.log(Math.max(other, 1e-38));
    }
}
