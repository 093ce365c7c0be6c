package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.traffic.QueryOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Score-based attack with natural evolution strategies (Ilyas et al., 2018): estimate the gradient
 * of the true-class margin from the probabilities the server returns at antithetic Gaussian
 * perturbations, then take a signed step against it, projected onto an L-infinity ball around the
 * source. Success is a misclassification.
 */
public final class NesAttack {
    private static final int SAMPLES = 25; // pairs: 50 queries per gradient estimate
    private static final double SIGMA = 0.01;
    private static final double STEP = 0.01;

    private final QueryOracle oracle;
    private final SplittableRandom random;
    private final double epsilon;

    /** An attack of radius {@code epsilon} sending its queries through {@code oracle}. */
    public NesAttack(QueryOracle oracle, long seed, double epsilon) {
        this.oracle = oracle;
        this.random = new SplittableRandom(seed);
        this.epsilon = epsilon;
    }

    /** Attacks {@code source}, whose true class is {@code truth}. */
    public AttackResult run(float[] source, int truth) throws InterruptedException {
        List<Double> margins = new ArrayList<>();
        float[] x = source.clone();
        double margin = Double.NaN;
        try {
            margin = SquareAttack.margin(oracle.probabilities(x), truth);
            margins.add(margin);
            while (margin >= 0) {
                double[] gradient = estimate(x, truth);
                for (int i = 0; i < x.length; i++) {
                    double moved = x[i] - STEP * Math.signum(gradient[i]);
                    double lo = Math.max(0, source[i] - epsilon);
                    double hi = Math.min(1, source[i] + epsilon);
                    x[i] = (float) Math.max(lo, Math.min(hi, moved));
                }
                margin = SquareAttack.margin(oracle.probabilities(x), truth);
                margins.add(margin);
            }
        } catch (QueryOracle.BudgetExhausted e) {
            // out of queries: the last margin measured stands
        }
        boolean success = margin < 0;
        String summary =
                String.format(
                        Locale.ROOT,
                        "nes: %d queries, true-class margin %.3f -> %.3f, %s (L-inf eps %.2f)",
                        oracle.queries(),
                        margins.isEmpty() ? Double.NaN : margins.get(0),
                        margin,
                        success ? "misclassified" : "still classified correctly",
                        epsilon);
        return new AttackResult(
                "nes", oracle.queries(), success, margins, oracle.clients(), summary, x);
    }

    private double[] estimate(float[] x, int truth) throws InterruptedException {
        double[] gradient = new double[x.length];
        float[] plus = new float[x.length];
        float[] minus = new float[x.length];
        double[] u = new double[x.length];
        for (int s = 0; s < SAMPLES; s++) {
            for (int i = 0; i < x.length; i++) {
                u[i] = Vec.gaussian(random);
                plus[i] = (float) (x[i] + SIGMA * u[i]);
                minus[i] = (float) (x[i] - SIGMA * u[i]);
            }
            double difference =
                    SquareAttack.margin(oracle.probabilities(plus), truth)
                            - SquareAttack.margin(oracle.probabilities(minus), truth);
            for (int i = 0; i < x.length; i++) {
                gradient[i] += difference * u[i];
            }
        }
        return gradient;
    }
}
