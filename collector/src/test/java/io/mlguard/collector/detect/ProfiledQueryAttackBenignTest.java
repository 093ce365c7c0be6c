package io.mlguard.collector.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.InferenceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The out-of-profile test on benign traffic of real MNIST digits: the model's profile is made from
 * the even-numbered held-out digits, then clients send the odd-numbered ones, as independent draws
 * and as the demo's realistic clients do (retries, resubmissions, bursts of camera frames with a
 * little noise). Frames are mostly out of profile (their noise lifts the blank background), which
 * is why out of profile alone never flags a client: nobody may be flagged by it.
 */
class ProfiledQueryAttackBenignTest {
    private static final RealTraffic RT = RealTraffic.load();
    private static final double FRAME_NOISE = 0.02; // the demo's BenignRealistic

    private final Random random = new Random(11);
    private final List<float[]> unseen = new ArrayList<>();

    private float[] frame(float[] image) {
        float[] x = new float[image.length];
        for (int i = 0; i < x.length; i++) {
            float v = (float) (image[i] + FRAME_NOISE * random.nextGaussian());
            x[i] = v < 0f ? 0f : v > 1f ? 1f : v;
        }
        return x;
    }

    /** The demo's realistic plan: 45 % new digits, 15 % retries, 10 % resubmits, 30 % frames. */
    private List<float[]> realistic(int count) {
        List<float[]> plan = new ArrayList<>();
        while (plan.size() < count) {
            double r = random.nextDouble();
            if (plan.isEmpty() || r < 0.45) {
                plan.add(unseen.get(random.nextInt(unseen.size())));
            } else if (r < 0.60) {
                plan.add(plan.get(plan.size() - 1));
            } else if (r < 0.70) {
                plan.add(plan.get(random.nextInt(plan.size())));
            } else {
                float[] digit = unseen.get(random.nextInt(unseen.size()));
                int frames = Math.min(count - plan.size(), 4 + random.nextInt(6));
                for (int f = 0; f < frames; f++) {
                    plan.add(frame(digit));
                }
            }
        }
        return plan;
    }

    @Test
    void benignClientsAreNotFlaggedThoughNoisyFramesAreOutOfProfile() {
        QueryAttackDetector d = new QueryAttackDetector();
        InputProfile profile = new InputProfile(); // the same reference, to count out of profile
        List<Signal> signals = new ArrayList<>();
        long index = 0;
        for (int i = 0; i < 2 * InputProfile.WINDOW; i += 2) {
            InferenceRecord r = RT.digits("reference-" + i % 5, index, RT.digits.get(i));
            profile.learn(r.inputs[0]);
            d.onInference(r, index++, signals::add);
        }
        assertThat(profile.complete()).isTrue();
        for (int i = 1; i < RT.digits.size(); i += 2) {
            unseen.add(RT.digits.get(i));
        }
        int clients = 400;
        int perClient = 64;
        long digitQueries = 0;
        long digitsOut = 0;
        long frameQueries = 0;
        long framesOut = 0;
        for (int c = 0; c < clients; c++) {
            boolean realistic = c % 2 == 1;
            List<float[]> plan = new ArrayList<>();
            if (realistic) {
                plan = realistic(perClient);
            } else {
                for (int q = 0; q < perClient; q++) {
                    plan.add(unseen.get(random.nextInt(unseen.size())));
                }
            }
            for (float[] x : plan) {
                InferenceRecord r = RT.digits("benign-" + c, index, x);
                boolean out = profile.outside(r.inputs[0]);
                if (unseen.contains(x)) {
                    digitQueries++;
                    digitsOut += out ? 1 : 0;
                } else {
                    frameQueries++;
                    framesOut += out ? 1 : 0;
                }
                d.onInference(r, index++, signals::add);
            }
        }
        long perClientSignals = signals.stream().filter(s -> s.client() != null).count();
        long profileSignals =
                signals.stream()
                        .filter(s -> s.reason().equals("out_of_profile_windowed_changes"))
                        .count();
        System.out.printf(
                "benign with profile: %d per-client signals (%d out of profile) on %d queries of"
                        + " %d clients;"
                        + " out of profile: %d of %d unseen digits, %d of %d noisy frames%n",
                perClientSignals,
                profileSignals,
                index - InputProfile.WINDOW,
                clients,
                digitsOut,
                digitQueries,
                framesOut,
                frameQueries);
        assertThat(frameQueries).isGreaterThan(1000);
        assertThat(profileSignals).isZero();
        // the near-duplicate count's own rate on these frame bursts, unchanged by this test
        assertThat(perClientSignals).isLessThanOrEqualTo(clients / 100);
        assertThat((double) digitsOut / digitQueries).isLessThanOrEqualTo(0.01);
        assertThat((double) framesOut / frameQueries).isGreaterThan(0.5);
    }
}
