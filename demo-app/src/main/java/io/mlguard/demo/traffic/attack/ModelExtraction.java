package io.mlguard.demo.traffic.attack;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.Mlp;
import io.mlguard.demo.model.MlpTrainer;
import io.mlguard.demo.model.TrainingConfig;
import io.mlguard.demo.traffic.QueryOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Model extraction with Jacobian-based dataset augmentation (Papernot et al., 2017; the synthetic
 * queries PRADA was evaluated on): label a few natural seed digits through the API, train a local
 * copy, then add for every labelled image a synthetic one pushed along the sign of the copy's
 * gradient for the server's label, label those too, retrain, and so on until the budget is spent.
 * Only the attacker's own copy is differentiated; the server is a black box.
 */
public final class ModelExtraction {
    /** The copy and what it took. */
    public record Extracted(Mlp copy, int queries, List<Integer> roundSizes) {}

    private static final float LAMBDA = 0.1f;
    private static final int EXAMPLES_PER_TRAINING = 16_000;

    private final QueryOracle oracle;
    private final long seed;
    private final int seedsPerClass;

    /** An extraction starting from {@code seedsPerClass} natural digits of each class. */
    public ModelExtraction(QueryOracle oracle, long seed, int seedsPerClass) {
        this.oracle = oracle;
        this.seed = seed;
        this.seedsPerClass = seedsPerClass;
    }

    /** Runs until the budget is spent; {@code pool} holds the attacker's unlabelled digits. */
    public Extracted run(Dataset pool) throws InterruptedException {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> rounds = new ArrayList<>();
        Mlp copy = null;
        try {
            for (float[] x : seeds(pool)) {
                labels.add(oracle.label(x));
                images.add(x);
            }
            rounds.add(images.size());
            for (int round = 1; ; round++) {
                copy = train(images, labels, round);
                // Papernot's periodic step: alternate the direction so points do not run off
                float lambda = round % 2 == 1 ? LAMBDA : -LAMBDA;
                int n = images.size();
                for (int i = 0; i < n; i++) {
                    float[] grad = copy.inputGradient(images.get(i), labels.get(i));
                    float[] x = new float[grad.length];
                    for (int p = 0; p < x.length; p++) {
                        x[p] = Vec.clip(images.get(i)[p] + lambda * Math.signum(grad[p]));
                    }
                    labels.add(oracle.label(x));
                    images.add(x);
                }
                rounds.add(images.size());
            }
        } catch (QueryOracle.BudgetExhausted e) {
            if (rounds.isEmpty() || rounds.get(rounds.size() - 1) != images.size()) {
                rounds.add(images.size());
            }
        }
        if (!images.isEmpty()) {
            copy = train(images, labels, 0);
        }
        return new Extracted(copy, oracle.queries(), rounds);
    }

    private List<float[]> seeds(Dataset pool) {
        // the attacker's own digits are unlabelled; an even spread is drawn from the pool's order
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> seeds = new ArrayList<>();
        int[] taken = new int[MnistData.CLASSES];
        int start = random.nextInt(pool.size());
        for (int k = 0; k < pool.size() && seeds.size() < seedsPerClass * MnistData.CLASSES; k++) {
            int i = (start + k * 7919) % pool.size();
            if (taken[pool.label(i)]++ < seedsPerClass) {
                seeds.add(pool.image(i));
            }
        }
        return seeds;
    }

    private Mlp train(List<float[]> images, List<Integer> labels, int round) {
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        Dataset data = new Dataset(images.toArray(new float[0][]), y);
        int epochs = Math.max(5, Math.min(200, EXAMPLES_PER_TRAINING / images.size()));
        TrainingConfig config = new TrainingConfig(seed + round, epochs, 32, 0.002f, true);
        return new MlpTrainer(config).train(data);
    }

    /** Fraction of {@code digits} on which the copy gives the server's labels. */
    public static double agreement(Mlp copy, Dataset digits, long[] serverLabels) {
        int same = 0;
        for (int i = 0; i < digits.size(); i++) {
            if (copy.predict(digits.image(i)) == serverLabels[i]) {
                same++;
            }
        }
        return digits.size() == 0 ? 0 : same / (double) digits.size();
    }
}
