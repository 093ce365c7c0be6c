package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A benign client whose camera degrades (the demo's drift "noise": held-out digits drawn at random,
 * Gaussian noise whose sigma ramps from 0 to 0.5 over 1,000 queries) must not be labelled a query
 * attack by the out-of-profile test. Drawn with replacement, the same digit comes back within a few
 * queries now and then; two noisy copies of it (sigma 0.06 to 0.14) pass the windowed test and move
 * a few cells far, scattered over the image, where Square's rewritten window packs them in a box.
 */
class NoisyDigitsQueryAttackTest {
    private static final RealTraffic RT = RealTraffic.load();
    private static final String RULE = "out_of_profile_windowed_changes";

    /** Reasons of every signal of one client after the model's profile, by count. */
    private static Map<String, Integer> play(int pool, double from, double to, long seed) {
        QueryAttackDetector d = new QueryAttackDetector();
        List<Signal> signals = new ArrayList<>();
        long index = 0;
        for (int i = 0; i < 2 * InputProfile.WINDOW; i += 2) {
            d.onInference(
                    RT.digits("reference-" + i % 5, index, RT.digits.get(i)), index++, s -> {});
        }
        Random random = new Random(seed);
        int n = 1_000;
        for (int q = 0; q < n; q++) {
            double sigma = from + (to - from) * q / (n - 1);
            float[] x = RT.digits.get(random.nextInt(pool)).clone();
            for (int p = 0; p < x.length; p++) {
                float v = (float) (x[p] + sigma * random.nextGaussian());
                x[p] = v < 0f ? 0f : v > 1f ? 1f : v;
            }
            InferenceRecord r = RT.digits("drift-client", 2_000_000L + q, x);
            d.onInference(r, index++, signals::add);
        }
        Map<String, Integer> reasons = new TreeMap<>();
        for (Signal s : signals) {
            reasons.merge(s.reason(), 1, Integer::sum);
        }
        return reasons;
    }

    private static Map<String, Integer> scenario(String name, int pool, double from, double to) {
        Map<String, Integer> all = new TreeMap<>();
        for (long seed = 1; seed <= 5; seed++) {
            play(pool, from, to, seed).forEach((k, v) -> all.merge(k, v, Integer::sum));
        }
        System.out.printf(
                "noisy digits %s (pool %d, sigma %.2f -> %.2f, 5 clients x 1,000): signals %s%n",
                name, pool, from, to, all);
        return all;
    }

    @Test
    void aRampOfNoiseOnDistinctDigitsIsNotAnOutOfProfileAttack() {
        assertThat(scenario("ramp", RT.digits.size(), 0, 0.5)).doesNotContainKey(RULE);
    }

    @Test
    void constantNoiseOnDistinctDigitsIsNotAnOutOfProfileAttack() {
        assertThat(scenario("constant 0.1", RT.digits.size(), 0.1, 0.1)).doesNotContainKey(RULE);
        assertThat(scenario("constant 0.2", RT.digits.size(), 0.2, 0.2)).doesNotContainKey(RULE);
    }

    /**
     * A client drawing from 100 digits sends the same digit again within eight queries about one
     * query in twelve: the noisy pairs the rule must tell from a rewritten window, many times over.
     */
    @Test
    void noisyRepeatsOfAFewDigitsAreNotAnOutOfProfileAttack() {
        assertThat(scenario("ramp, few digits", 100, 0, 0.5)).doesNotContainKey(RULE);
        assertThat(scenario("constant 0.1, few digits", 100, 0.1, 0.1)).doesNotContainKey(RULE);
    }
}
