package io.mlguard.demo.traffic;

import io.mlguard.demo.data.CreditData;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import io.mlguard.demo.model.CreditModels;
import io.mlguard.demo.model.MnistModels;
import io.mlguard.demo.model.ModelFiles;
import io.mlguard.demo.model.TrainingConfig;
import io.mlguard.demo.model.Variant;
import io.mlguard.demo.traffic.drift.CreditDrift;
import io.mlguard.demo.traffic.drift.CreditFeatures;
import io.mlguard.demo.traffic.drift.DigitDrifts;
import io.mlguard.demo.traffic.drift.DriftSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plays scenarios against a running server through its HTTP API only, as real clients would. Every
 * loop is bounded by a request count, so a run always ends by itself.
 */
public final class TrafficGenerator {
    static final String MODEL = ModelFiles.MNIST;
    static final int BENIGN_CLIENTS = 5;

    private final String baseUrl;
    private final Path modelsDir;
    private final int requests;
    private final long seed;
    private final AttackSettings attackSettings;
    private final Dataset digits = MnistData.load().heldOut();

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8080}
     * @param modelsDir the server's model repository (the swap scenario writes into it)
     * @param requests requests per client and phase
     * @param seed picks digits and corrupted pixels
     */
    public TrafficGenerator(String baseUrl, Path modelsDir, int requests, long seed) {
        this(baseUrl, modelsDir, requests, seed, AttackSettings.defaults());
    }

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8080}
     * @param modelsDir the server's model repository (swap writes into it; drift-credit reads
     *     {@code credit/1/features.json} from it)
     * @param requests requests per client and phase of the benign and drift scenarios
     * @param seed picks digits, corrupted pixels and the attacks' random steps
     * @param attackSettings client id, id rotation, budget and time limit of the attacks
     */
    public TrafficGenerator(
            String baseUrl,
            Path modelsDir,
            int requests,
            long seed,
            AttackSettings attackSettings) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be >= 1: " + requests);
        }
        this.baseUrl = baseUrl;
        this.modelsDir = modelsDir;
        this.requests = requests;
        this.seed = seed;
        this.attackSettings = attackSettings;
    }

    /** Plays {@code scenario} and returns what was observed. */
    public TrafficReport run(Scenario scenario) throws InterruptedException {
        TrafficReport report = new TrafficReport();
        switch (scenario) {
            case BENIGN -> benign(report, "benign", requests);
            case BENIGN_REALISTIC -> benignRealistic(report);
            case NAN -> nan(report);
            case SWAP -> swap(report);
            case HOPSKIPJUMP -> attacks().hopSkipJump(report);
            case BOUNDARY -> attacks().boundary(report);
            case SQUARE -> attacks().square(report);
            case NES -> attacks().nes(report);
            case EXTRACTION -> attacks().extraction(report);
            case DRIFT_ROTATE -> drift(report, "drift-rotate", DigitDrifts.rotate(digits));
            case DRIFT_NOISE -> drift(report, "drift-noise", DigitDrifts.noise(digits));
            case DRIFT_CLASSMIX -> drift(report, "drift-classmix", DigitDrifts.classMix(digits));
            case DRIFT_CREDIT -> driftCredit(report);
            case ALL -> {
                benign(report, "benign", requests);
                nan(report);
                swap(report);
                benign(report, "benign-end", Math.max(1, requests / 2));
            }
        }
        return report;
    }

    private AttackScenarios attacks() {
        return new AttackScenarios(baseUrl, attackSettings, seed);
    }

    /** Five clients in parallel, each sending {@code count} requests of held-out digits. */
    private void benign(TrafficReport report, String phase, int count) throws InterruptedException {
        inParallel(
                report,
                phase,
                "benign-",
                (tally, clientSeed) -> sendDigits(tally, count, clientSeed, false));
    }

    /** Five clients in parallel that retry, resubmit and send bursts of frames. */
    private void benignRealistic(TrafficReport report) throws InterruptedException {
        inParallel(
                report,
                "benign-realistic",
                "viewer-",
                (tally, clientSeed) ->
                        BenignRealistic.send(
                                baseUrl,
                                tally,
                                BenignRealistic.plan(digits, requests, clientSeed)));
    }

    /** One client sending {@code requests} inputs of a drifting distribution. */
    private void drift(TrafficReport report, String phase, DriftSource source)
            throws InterruptedException {
        ClientTally tally = report.tally(phase, "drift-client");
        OipClient client = new OipClient(baseUrl, tally.client());
        SplittableRandom random = new SplittableRandom(seed * 31 + phase.hashCode());
        for (int r = 0; r < requests; r++) {
            DriftSource.Sample sample = source.sample(r, requests, random);
            OipClient.Answer answer =
                    client.infer(source.model(), phase + "-" + r, new float[][] {sample.input()});
            tally.record(answer.status());
            if (answer.labels() != null) {
                tally.prediction(answer.labels()[0], sample.truth());
            }
        }
        report.note(phase + ": " + requests + " requests to " + source.model());
    }

    private void driftCredit(TrafficReport report) throws InterruptedException {
        Path file =
                ModelFiles.modelPath(modelsDir, CreditModels.NAME, 1)
                        .resolveSibling(CreditModels.FEATURES_FILE);
        CreditFeatures features;
        try {
            features = CreditFeatures.read(file);
        } catch (IOException | RuntimeException e) {
            report.note("drift-credit: cannot read " + file + ": " + e.getMessage());
            report.tally("drift-credit", "drift-client").record(-1);
            return;
        }
        drift(report, "drift-credit", new CreditDrift(features, CreditData.load()));
    }

    /** Something one simulated client does. */
    @FunctionalInterface
    private interface ClientWork {
        void play(ClientTally tally, long clientSeed) throws InterruptedException;
    }

    private void inParallel(TrafficReport report, String phase, String prefix, ClientWork work)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(BENIGN_CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 1; c <= BENIGN_CLIENTS; c++) {
                ClientTally tally = report.tally(phase, prefix + c);
                long clientSeed = seed * 31 + c + phase.hashCode();
                running.add(
                        pool.submit(
                                (Callable<Void>)
                                        () -> {
                                            work.play(tally, clientSeed);
                                            return null;
                                        }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("traffic client failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void nan(TrafficReport report) throws InterruptedException {
        sendDigits(report.tally("nan", "nan-client"), requests, seed * 31 + 99, true);
    }

    /**
     * Replaces the model file with a differently trained (and label-flipped) model the way an
     * operator would — temporary file and atomic rename — asks the server to reload it, then lets a
     * benign client carry on.
     */
    private void swap(TrafficReport report) throws InterruptedException {
        Path file = ModelFiles.modelPath(modelsDir, MODEL, 1);
        ClientTally admin = report.tally("swap", "swap-client");
        try {
            byte[] before = Files.readAllBytes(file);
            byte[] replacement;
            long swapSeed = seed + 1000;
            do {
                // few epochs keep this to about a second; a same-bytes result is retrained
                replacement =
                        MnistModels.train(
                                        TrainingConfig.of(swapSeed++, 3),
                                        Variant.TAMPERED,
                                        (e, l) -> {})
                                .onnxBytes();
            } while (sha256(replacement).equals(sha256(before)));
            ModelFiles.writeAtomically(file, replacement);
            boolean changed = !sha256(Files.readAllBytes(file)).equals(sha256(before));
            report.modelFileChanged(changed);
            report.note(
                    "swapped "
                            + file
                            + ": sha256 "
                            + sha256(before).substring(0, 12)
                            + " -> "
                            + sha256(replacement).substring(0, 12));
        } catch (IOException e) {
            report.note("could not replace " + file + ": " + e);
            admin.record(-1);
            return;
        }
        admin.record(
                new OipClient(baseUrl, admin.client())
                        .post("/v2/repository/models/" + MODEL + "/load"));
        sendDigits(report.tally("after-swap", "benign-1"), requests, seed * 31 + 7, false);
    }

    /**
     * Sends {@code count} requests from one client: mostly single digits, every fifth a batch of
     * three. With {@code corrupt}, some pixels become NaN and some infinite.
     */
    private void sendDigits(ClientTally tally, int count, long clientSeed, boolean corrupt)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(clientSeed);
        OipClient client = new OipClient(baseUrl, tally.client());
        for (int r = 0; r < count; r++) {
            int batch = r % 5 == 4 ? 3 : 1;
            float[][] images = new float[batch][];
            int[] truth = new int[batch];
            for (int b = 0; b < batch; b++) {
                int index = random.nextInt(digits.size());
                images[b] = digits.image(index).clone();
                truth[b] = digits.label(index);
                if (corrupt) {
                    corrupt(images[b], random, r);
                }
            }
            OipClient.Answer answer = client.infer(MODEL, tally.client() + "-" + r, images);
            tally.record(answer.status());
            if (answer.labels() != null) {
                for (int b = 0; b < Math.min(batch, answer.labels().length); b++) {
                    tally.prediction(answer.labels()[b], truth[b]);
                }
            }
        }
    }

    private static void corrupt(float[] image, SplittableRandom random, int request) {
        for (int k = 0; k < 4; k++) {
            image[random.nextInt(image.length)] = Float.NaN;
        }
        if (request % 3 == 0) {
            image[random.nextInt(image.length)] = Float.POSITIVE_INFINITY;
            image[random.nextInt(image.length)] = Float.POSITIVE_INFINITY;
            image[random.nextInt(image.length)] = Float.NEGATIVE_INFINITY;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
