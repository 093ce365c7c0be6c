package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.traffic.QueryOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Boundary attack (Brendel, Rauber and Bethge, 2018), label-only and targeted: start from an
 * image the server labels as the target, and walk along the decision boundary toward the source
 * image with random steps orthogonal to the direction of the source plus a small step toward it,
 * keeping a candidate only if it is still labelled as the target and closer. Step sizes adapt to
 * the recent success rate, as in the paper.
 */
public final class BoundaryAttack {
    private static final int WINDOW = 5;

    private final QueryOracle oracle;
    private final SplittableRandom random;

    /** An attack sending its queries through {@code oracle}. */
    public BoundaryAttack(QueryOracle oracle, long seed) {
        this.oracle = oracle;
        this.random = new SplittableRandom(seed);
    }

    /** Looks for an image close to {@code source} labelled {@code target}, from {@code start}. */
    public AttackResult run(float[] source, float[] start, int target) throws InterruptedException {
        BoundarySearch search = new BoundarySearch(oracle, target);
        List<Double> distances = new ArrayList<>();
        float[] best = start;
        double spherical = 0.01;
        double toward = 0.01;
        int sphericalTried = 0;
        int sphericalOk = 0;
        int towardTried = 0;
        int towardOk = 0;
        try {
            // the usual initialisation: a line search toward the source
            best = search.towardSource(source, start, 1e-3);
            distances.add(Vec.l2(best, source));
            while (true) {
                double dist = Vec.l2(best, source);
                // as in the paper, the orthogonal step and the step toward the source are judged
                // separately: each has its own success rate and step size
                float[] sideways = orthogonalStep(source, best, spherical);
                sphericalTried++;
                if (search.adversarial(sideways)) {
                    sphericalOk++;
                    float[] closer = Vec.blend(sideways, source, toward);
                    towardTried++;
                    if (Vec.l2(closer, source) < dist && search.adversarial(closer)) {
                        towardOk++;
                        best = closer;
                    }
                }
                if (sphericalTried == WINDOW) {
                    spherical = adapt(spherical, sphericalOk / (double) sphericalTried);
                    sphericalTried = 0;
                    sphericalOk = 0;
                    distances.add(Vec.l2(best, source));
                }
                if (towardTried == WINDOW) {
                    toward = adapt(toward, towardOk / (double) towardTried);
                    towardTried = 0;
                    towardOk = 0;
                }
            }
        } catch (QueryOracle.BudgetExhausted e) {
            distances.add(Vec.l2(best, source));
        }
        return DecisionResults.of("boundary", oracle, distances, best, target);
    }

    private static double adapt(double step, double successRate) {
        if (successRate > 0.5) {
            return Math.min(0.5, step * 1.5);
        }
        if (successRate < 0.2) {
            return Math.max(1e-6, step / 1.5);
        }
        return step;
    }

    /**
     * A random step of relative size {@code spherical} orthogonal to the source direction,
     * projected back onto the sphere around the source.
     */
    private float[] orthogonalStep(float[] source, float[] x, double spherical) {
        int n = x.length;
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = source[i] - x[i];
        }
        double dist = Vec.norm(diff);
        double[] eta = new double[n];
        double dot = 0;
        for (int i = 0; i < n; i++) {
            eta[i] = Vec.gaussian(random);
            dot += eta[i] * diff[i];
        }
        for (int i = 0; i < n; i++) {
            eta[i] -= dot / (dist * dist) * diff[i];
        }
        double scale = spherical * dist / Vec.norm(eta);
        double[] moved = new double[n];
        for (int i = 0; i < n; i++) {
            moved[i] = x[i] + scale * eta[i] - source[i];
        }
        // back onto the sphere of radius dist around the source
        double factor = dist / Vec.norm(moved);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = Vec.clip((float) (source[i] + factor * moved[i]));
        }
        return out;
    }
}
