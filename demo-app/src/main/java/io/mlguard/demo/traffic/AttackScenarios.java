package io.mlguard.demo.traffic;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.ModelFiles;
import io.mlguard.demo.traffic.attack.AttackResult;
import io.mlguard.demo.traffic.attack.BoundaryAttack;
import io.mlguard.demo.traffic.attack.HopSkipJump;
import io.mlguard.demo.traffic.attack.ModelExtraction;
import io.mlguard.demo.traffic.attack.NesAttack;
import io.mlguard.demo.traffic.attack.SquareAttack;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Plays the black-box attacks against the MNIST model through the HTTP API, each within its query
 * budget and time limit, and notes what each achieved in the report.
 */
final class AttackScenarios {
    private static final int EXTRACTION_SEEDS_PER_CLASS = 20;
    private static final int EVALUATION_DIGITS = 500;
    private static final int EVALUATION_BATCH = 100;
    private static final int SOURCE_TRIES = 20;

    private final String baseUrl;
    private final AttackSettings settings;
    private final long seed;
    private final Dataset digits = MnistData.load().heldOut();

    AttackScenarios(String baseUrl, AttackSettings settings, long seed) {
        this.baseUrl = baseUrl;
        this.settings = settings;
        this.seed = seed;
    }

    AttackResult hopSkipJump(TrafficReport report) throws InterruptedException {
        QueryOracle oracle = oracle(report, "hopskipjump");
        Pair pair = pickPair(oracle);
        return done(
                report, new HopSkipJump(oracle, seed).run(pair.source, pair.start, pair.target));
    }

    AttackResult boundary(TrafficReport report) throws InterruptedException {
        QueryOracle oracle = oracle(report, "boundary");
        Pair pair = pickPair(oracle);
        return done(
                report, new BoundaryAttack(oracle, seed).run(pair.source, pair.start, pair.target));
    }

    AttackResult square(TrafficReport report) throws InterruptedException {
        QueryOracle oracle = oracle(report, "square");
        SquareAttack attack = new SquareAttack(oracle, seed, SquareAttack.DEFAULT_EPSILON);
        return done(report, fromCorrectlyClassified(report, attack::run));
    }

    AttackResult nes(TrafficReport report) throws InterruptedException {
        QueryOracle oracle = oracle(report, "nes");
        NesAttack attack = new NesAttack(oracle, seed, SquareAttack.DEFAULT_EPSILON);
        return done(report, fromCorrectlyClassified(report, attack::run));
    }

    /** A score-based attack on one source digit of known class. */
    interface ScoreBasedAttack {
        AttackResult run(float[] source, int truth) throws InterruptedException;
    }

    /**
     * Runs a score-based attack from a digit the server classifies correctly, as the attacks'
     * papers evaluate them: a digit already misclassified needs no attack. The attack's own first
     * query (the clean digit's scores) shows it, and the attacker, with the same client id, moves
     * on to the next digit; at most {@value #SOURCE_TRIES} digits.
     */
    AttackResult fromCorrectlyClassified(TrafficReport report, ScoreBasedAttack attack)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        AttackResult result = null;
        for (int i = 0; i < SOURCE_TRIES; i++) {
            int k = random.nextInt(digits.size());
            result = attack.run(digits.image(k), digits.label(k));
            if (!(result.first() < 0)) {
                return result;
            }
            report.note(
                    String.format(
                            Locale.ROOT,
                            "%s: held-out digit %d (a %d) is already misclassified (true-class"
                                    + " margin %.3f); next digit",
                            result.attack(),
                            k,
                            digits.label(k),
                            result.first()));
        }
        return result;
    }

    AttackResult extraction(TrafficReport report) throws InterruptedException {
        QueryOracle oracle = oracle(report, "extraction");
        ModelExtraction.Extracted extracted =
                new ModelExtraction(oracle, seed, EXTRACTION_SEEDS_PER_CLASS)
                        .run(MnistData.load().training());
        // measuring the copy takes a few batched requests from a separate evaluation client
        Dataset evaluation = evaluationDigits();
        long[] serverLabels = labelInBatches(report, evaluation);
        double agreement =
                extracted.copy() == null
                        ? 0
                        : ModelExtraction.agreement(extracted.copy(), evaluation, serverLabels);
        String summary =
                String.format(
                        Locale.ROOT,
                        "extraction: %d queries (labelled sets %s), the local copy agrees with"
                                + " the server on %.3f of %d held-out digits",
                        extracted.queries(),
                        extracted.roundSizes(),
                        agreement,
                        evaluation.size());
        return done(
                report,
                new AttackResult(
                        "extraction",
                        extracted.queries(),
                        agreement >= 0.7,
                        List.of(agreement),
                        oracle.clients(),
                        summary,
                        null));
    }

    private QueryOracle oracle(TrafficReport report, String phase) {
        return new QueryOracle(baseUrl, ModelFiles.MNIST, phase, settings, report);
    }

    private static AttackResult done(TrafficReport report, AttackResult result) {
        report.note(result.summary());
        report.attack(result);
        return result;
    }

    private record Pair(float[] source, float[] start, int target) {}

    /**
     * A source digit the server classifies correctly and a digit of another class that it
     * classifies as that class; both checked with queries, as an attacker must.
     */
    private Pair pickPair(QueryOracle oracle) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        float[] source = null;
        int sourceClass = -1;
        while (source == null) {
            int k = random.nextInt(digits.size());
            if (oracle.label(digits.image(k)) == digits.label(k)) {
                source = digits.image(k);
                sourceClass = digits.label(k);
            }
        }
        while (true) {
            int k = random.nextInt(digits.size());
            int label = digits.label(k);
            if (label != sourceClass && oracle.label(digits.image(k)) == label) {
                return new Pair(source, digits.image(k), label);
            }
        }
    }

    private Dataset evaluationDigits() {
        int step = Math.max(1, digits.size() / EVALUATION_DIGITS);
        int n = Math.min(EVALUATION_DIGITS, digits.size());
        float[][] images = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            images[i] = digits.image(i * step);
            labels[i] = digits.label(i * step);
        }
        return new Dataset(images, labels);
    }

    private long[] labelInBatches(TrafficReport report, Dataset evaluation)
            throws InterruptedException {
        ClientTally tally = report.tally("extraction-eval", "evaluator");
        OipClient client = new OipClient(baseUrl, tally.client());
        long[] labels = new long[evaluation.size()];
        Arrays.fill(labels, -1);
        for (int start = 0; start < evaluation.size(); start += EVALUATION_BATCH) {
            int n = Math.min(EVALUATION_BATCH, evaluation.size() - start);
            float[][] batch = new float[n][];
            for (int i = 0; i < n; i++) {
                batch[i] = evaluation.image(start + i);
            }
            OipClient.Answer answer = client.infer(ModelFiles.MNIST, "eval-" + start, batch);
            tally.record(answer.status());
            if (answer.labels() != null) {
                System.arraycopy(answer.labels(), 0, labels, start, n);
            }
        }
        return labels;
    }
}
