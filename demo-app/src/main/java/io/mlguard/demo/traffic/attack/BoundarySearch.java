package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.traffic.QueryOracle;

/**
 * Label-only helpers shared by the decision-based attacks: an input is adversarial when the server
 * labels it as the target class.
 */
final class BoundarySearch {
    private final QueryOracle oracle;
    private final int target;

    BoundarySearch(QueryOracle oracle, int target) {
        this.oracle = oracle;
        this.target = target;
    }

    boolean adversarial(float[] x) throws InterruptedException {
        return oracle.label(x) == target;
    }

    /**
     * Binary search on the segment from {@code source} (not adversarial) to {@code adversarial} for
     * the point closest to the source that is still adversarial; stops when the segment is shorter
     * than {@code tolerance} of its length.
     */
    float[] towardSource(float[] source, float[] adversarial, double tolerance)
            throws InterruptedException {
        double lo = 0;
        double hi = 1;
        float[] best = adversarial;
        while (hi - lo > tolerance) {
            double mid = (lo + hi) / 2;
            float[] x = Vec.blend(source, adversarial, mid);
            if (adversarial(x)) {
                hi = mid;
                best = x;
            } else {
                lo = mid;
            }
        }
        return best;
    }
}
