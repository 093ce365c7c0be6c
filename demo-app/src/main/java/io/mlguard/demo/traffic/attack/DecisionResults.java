package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.traffic.QueryOracle;
import java.util.List;

/** Builds the result of a decision-based attack. */
final class DecisionResults {
    private DecisionResults() {}

    static AttackResult of(
            String attack, QueryOracle oracle, List<Double> distances, float[] best, int target) {
        boolean success = !distances.isEmpty();
        String summary =
                success
                        ? HopSkipJump.describe(
                                attack,
                                oracle.queries(),
                                distances.get(0),
                                distances.get(distances.size() - 1),
                                target)
                        : attack + ": " + oracle.queries() + " queries, no boundary point found";
        return new AttackResult(
                attack, oracle.queries(), success, distances, oracle.clients(), summary, best);
    }
}
