package io.mlguard.benchmarks;

import io.mlguard.collector.detect.ExtractionDetector;
import io.mlguard.collector.detect.QueryAttackDetector;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The worst-case checkpoint of the two per-client fingerprint detectors (not a test): every client
 * slot taken and every ring full of distinct fingerprints. Run from the repository root after a
 * package: {@code java -cp collector/target/mlguard-collector.jar:benchmarks/target/classes
 * io.mlguard.benchmarks.CheckpointCost}. Prints the saved state's size and the median time of
 * {@code saveState()} and {@code restoreState()} over seven runs.
 */
public final class CheckpointCost {
    private CheckpointCost() {}

    public static void main(String[] args) {
        QueryAttackDetector attack = new QueryAttackDetector();
        ExtractionDetector extraction = new ExtractionDetector();
        InferenceRecord r = new InferenceRecord();
        SplittableRandom random = new SplittableRandom(1);
        r.modelId = "mnist";
        r.clientIdSource = ClientIdSource.HEADER;
        r.fingerprintKind = InferenceRecord.FINGERPRINT_POOLED_2D;
        r.fingerprintLength = 64;
        // 4,096 clients x 128 queries of random (far apart) thumbnails fill both detectors.
        for (int q = 0; q < 128; q++) {
            for (int c = 0; c < 4096; c++) {
                r.clientId = "client-" + c;
                r.timestampMillis = 1_700_000_000_000L + q * 4096L + c;
                for (int i = 0; i < 64; i++) {
                    r.fingerprint[i] = (byte) random.nextInt(256);
                }
                attack.onInference(r, q * 4096L + c, s -> {});
                extraction.onInference(r, q * 4096L + c, s -> {});
            }
        }
        measure("query-attack", attack::saveState, attack::restoreState);
        measure("extraction", extraction::saveState, extraction::restoreState);
    }

    private static void measure(
            String name,
            java.util.function.Supplier<String> save,
            java.util.function.Consumer<String> restore) {
        double[] saves = new double[7];
        double[] restores = new double[7];
        String state = null;
        for (int k = 0; k < saves.length; k++) {
            long t0 = System.nanoTime();
            state = save.get();
            long t1 = System.nanoTime();
            restore.accept(state);
            long t2 = System.nanoTime();
            saves[k] = (t1 - t0) / 1e6;
            restores[k] = (t2 - t1) / 1e6;
        }
        Arrays.sort(saves);
        Arrays.sort(restores);
        System.out.printf(
                Locale.ROOT,
                "%s: state %.1f MB, saveState median %.0f ms, restoreState median %.0f ms%n",
                name,
                state.length() / 1e6,
                saves[3],
                restores[3]);
    }
}
