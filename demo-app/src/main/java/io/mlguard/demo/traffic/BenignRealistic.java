package io.mlguard.demo.traffic;

import io.mlguard.demo.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What real, harmless clients send, which is not a stream of independent draws: they retry the same
 * input after a timeout, resubmit something sent earlier, and send bursts of near-identical images
 * (consecutive video frames: the same digit with a little sensor noise). A similarity detector must
 * not flag this.
 */
final class BenignRealistic {
    /** Noise of one video frame: visible to a hash, meaningless to a human. */
    static final double FRAME_NOISE = 0.02;

    /** What a request is, and why it was sent. */
    enum Kind {
        NEW,
        RETRY,
        RESUBMIT,
        FRAME
    }

    /** One planned request. */
    record Request(float[] input, int truth, Kind kind) {}

    private BenignRealistic() {}

    /** The {@code count} requests of one client. */
    static List<Request> plan(Dataset digits, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Request> plan = new ArrayList<>();
        while (plan.size() < count) {
            double r = random.nextDouble();
            if (plan.isEmpty() || r < 0.45) {
                int k = random.nextInt(digits.size());
                plan.add(new Request(digits.image(k), digits.label(k), Kind.NEW));
            } else if (r < 0.60) {
                Request last = plan.get(plan.size() - 1);
                plan.add(new Request(last.input(), last.truth(), Kind.RETRY));
            } else if (r < 0.70) {
                Request earlier = plan.get(random.nextInt(plan.size()));
                plan.add(new Request(earlier.input(), earlier.truth(), Kind.RESUBMIT));
            } else {
                int k = random.nextInt(digits.size());
                int frames = Math.min(count - plan.size(), 4 + random.nextInt(6));
                for (int f = 0; f < frames; f++) {
                    plan.add(
                            new Request(
                                    frame(digits.image(k), random), digits.label(k), Kind.FRAME));
                }
            }
        }
        return plan;
    }

    private static float[] frame(float[] image, SplittableRandom random) {
        float[] x = new float[image.length];
        for (int i = 0; i < x.length; i++) {
            double u1 = 1.0 - random.nextDouble();
            double noise =
                    Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
            float v = (float) (image[i] + FRAME_NOISE * noise);
            x[i] = v < 0f ? 0f : v > 1f ? 1f : v;
        }
        return x;
    }

    /** Sends a plan from one client, one request at a time, tallying answers. */
    static void send(String baseUrl, ClientTally tally, List<Request> plan)
            throws InterruptedException {
        OipClient client = new OipClient(baseUrl, tally.client());
        for (int r = 0; r < plan.size(); r++) {
            Request request = plan.get(r);
            OipClient.Answer answer =
                    client.infer(
                            TrafficGenerator.MODEL,
                            tally.client() + "-" + r,
                            new float[][] {request.input()});
            tally.record(answer.status());
            if (answer.labels() != null) {
                tally.prediction(answer.labels()[0], request.truth());
            }
        }
    }
}
