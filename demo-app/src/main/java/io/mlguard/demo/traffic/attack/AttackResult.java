package io.mlguard.demo.traffic.attack;

import java.util.List;

/**
 * What an attack achieved.
 *
 * @param attack its name
 * @param queries queries it sent
 * @param success whether it reached its goal (an adversarial example, a misclassification, a
 *     faithful copy)
 * @param progress the quantity the attack drives down, one value per iteration: the L2 distance to
 *     the source for decision-based attacks, the true-class margin for score-based ones; for
 *     extraction the copy's disagreement with the server after each round
 * @param clients the client ids the queries were sent under
 * @param summary one human-readable line
 * @param example the best input found (the adversarial example), or {@code null}
 */
public record AttackResult(
        String attack,
        int queries,
        boolean success,
        List<Double> progress,
        List<String> clients,
        String summary,
        float[] example) {
    /** Copies the lists. */
    public AttackResult {
        progress = List.copyOf(progress);
        clients = List.copyOf(clients);
    }

    /** The first value of {@link #progress()}. */
    public double first() {
        return progress.isEmpty() ? Double.NaN : progress.get(0);
    }

    /** The last value of {@link #progress()}. */
    public double last() {
        return progress.isEmpty() ? Double.NaN : progress.get(progress.size() - 1);
    }
}
