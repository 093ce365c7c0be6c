package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.traffic.QueryOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Targeted HopSkipJump (Chen, Jordan and Wainwright, 2020), label-only: from an image of the target
 * class it binary-searches to the decision boundary toward the source image, then repeats: estimate
 * the boundary's normal by sampling random perturbations around the boundary point and watching the
 * label flip, jump along it (geometric step size), and binary-search back toward the source. The L2
 * distance to the source shrinks with every iteration.
 */
public final class HopSkipJump {
    private static final int INITIAL_SAMPLES = 50;
    private static final int MAX_SAMPLES = 200;
    private static final double TOLERANCE = 1e-4;

    private final QueryOracle oracle;
    private final SplittableRandom random;

    /** An attack sending its queries through {@code oracle}. */
    public HopSkipJump(QueryOracle oracle, long seed) {
        this.oracle = oracle;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Looks for an image close to {@code source} that the server labels {@code target}, starting
     * from {@code start}, which it already labels {@code target}.
     */
    public AttackResult run(float[] source, float[] start, int target) throws InterruptedException {
        BoundarySearch search = new BoundarySearch(oracle, target);
        List<Double> distances = new ArrayList<>();
        float[] best = start;
        int dims = source.length;
        try {
            best = search.towardSource(source, start, TOLERANCE);
            distances.add(Vec.l2(best, source));
            for (int k = 1; ; k++) {
                double dist = Vec.l2(best, source);
                int samples = (int) Math.min(MAX_SAMPLES, INITIAL_SAMPLES * Math.sqrt(k));
                // probe radius from the paper: sqrt(d) * theta * distance, theta = d^-1.5
                double delta = Math.max(dist / dims, 1e-3);
                double[] normal = estimateNormal(search, best, samples, delta);
                float[] jumped = jump(search, best, normal, dist / Math.sqrt(k));
                if (jumped != null) {
                    float[] candidate = search.towardSource(source, jumped, TOLERANCE);
                    if (Vec.l2(candidate, source) < dist) {
                        best = candidate;
                    }
                }
                distances.add(Vec.l2(best, source));
            }
        } catch (QueryOracle.BudgetExhausted e) {
            // the budget ends the attack; what was found so far is the result
        }
        return DecisionResults.of("hopskipjump", oracle, distances, best, target);
    }

    /** Monte Carlo estimate of the direction in which the target class lies, unit length. */
    private double[] estimateNormal(BoundarySearch search, float[] at, int samples, double delta)
            throws InterruptedException {
        double[][] directions = new double[samples][];
        double[] votes = new double[samples];
        double mean = 0;
        for (int b = 0; b < samples; b++) {
            double[] u = Vec.randomUnit(at.length, random);
            float[] probe = Vec.step(at, u, delta);
            // clipping changes the probe: use the step actually taken
            for (int i = 0; i < u.length; i++) {
                u[i] = (probe[i] - at[i]) / delta;
            }
            directions[b] = u;
            votes[b] = search.adversarial(probe) ? 1 : -1;
            mean += votes[b] / samples;
        }
        double[] normal = new double[at.length];
        for (int b = 0; b < samples; b++) {
            // subtracting the mean vote is the paper's variance-reducing baseline
            double weight = Math.abs(mean) == 1 ? votes[b] : votes[b] - mean;
            for (int i = 0; i < normal.length; i++) {
                normal[i] += weight * directions[b][i];
            }
        }
        double norm = Vec.norm(normal);
        if (norm > 0) {
            for (int i = 0; i < normal.length; i++) {
                normal[i] /= norm;
            }
        }
        return normal;
    }

    /** Geometric search: halve the step until the jump stays adversarial; null if it never does. */
    private float[] jump(BoundarySearch search, float[] from, double[] normal, double step)
            throws InterruptedException {
        for (int tries = 0; tries < 12; tries++, step /= 2) {
            float[] x = Vec.step(from, normal, step);
            if (search.adversarial(x)) {
                return x;
            }
        }
        return null;
    }

    static String describe(String attack, int queries, double first, double last, int target) {
        return String.format(
                Locale.ROOT,
                "%s: %d queries, adversarial example labelled %d at L2 distance %.3f (from %.3f)",
                attack,
                queries,
                target,
                last,
                first);
    }
}
