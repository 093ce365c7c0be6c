package io.mlguard.it;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow-Java application: a small linear classifier built with the Ops API, run through a
 * {@code Session} (graph), through a {@code ConcreteFunction} (eager, no session), and exported as
 * a SavedModel (argument 0) that is loaded back and called. Every answer is printed. Runs in a
 * forked JVM, with and without the agent.
 */
public final class TensorFlowApp {
    static final float[][] WEIGHTS = {
        {0.8f, -0.4f, 0.1f}, {-0.3f, 0.9f, 0.2f}, {0.5f, 0.5f, -1.0f}, {-0.7f, 0.2f, 0.6f}
    };
    static final float[] BIAS = {0.05f, -0.1f, 0.02f};

    /**
     * Asks for a software trace. Without a trace level, TF-Java 1.1.0's {@code runAndFetchMetadata}
     * always fails ("Cannot parse RunMetadata protocol buffer"), agent or not.
     */
    static final RunOptions TRACED =
            RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build();

    private TensorFlowApp() {}

    /** The classifier's placeholder {@code x} ([-1, 4]) and its {@code probs} output. */
    static Signature classifier(Ops tf, String key) {
        Placeholder<TFloat32> x =
                tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
        Operand<TFloat32> logits =
                tf.math.add(tf.linalg.matMul(x, tf.constant(WEIGHTS)), tf.constant(BIAS));
        Operand<TFloat32> probs = tf.withName("probs").nn.softmax(logits);
        return Signature.builder().key(key).input("x", x).output("probs", probs).build();
    }

    public static void main(String[] args) throws Exception {
        Path export = Paths.get(args[0]);
        List<float[][]> plan = TestApps.rows();
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Signature sig = classifier(Ops.create(g), "serving_default");
            for (int i = 0; i < plan.size(); i++) {
                try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(plan.get(i)))) {
                    if (i == 1) {
                        try (Result r =
                                s.runner()
                                        .feed("x", x)
                                        .fetch("probs")
                                        .setOptions(TRACED)
                                        .runAndFetchMetadata()) {
                            print("session", i, (TFloat32) r.get(0));
                        }
                        continue;
                    }
                    try (Result r = s.runner().feed("x", x).fetch("probs").run()) {
                        print("session", i, (TFloat32) r.get(0));
                    }
                }
            }
            // a failing call: without a trace level TF-Java 1.1.0 cannot parse the run metadata
            try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(plan.get(0)))) {
                s.runner().feed("x", x).fetch("probs").runAndFetchMetadata().close();
                System.out.println("answer session-error did not fail");
            } catch (RuntimeException e) {
                System.out.println("answer session-error failed " + e.getClass().getName());
            }
            // a run that only executes a target fetches nothing: not an inference
            try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(plan.get(0)))) {
                s.runner().feed("x", x).addTarget("probs").run().close();
            }
            SavedModelBundle.exporter(export.toString())
                    .withFunction(SessionFunction.create(sig, s))
                    .export();
        }

        try (ConcreteFunction fn = ConcreteFunction.create(tf -> classifier(tf, "classify"))) {
            System.out.println("function-name " + fn.getDefinedName());
            for (int i = 0; i < plan.size(); i++) {
                try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(plan.get(i)))) {
                    if (i == 0) {
                        try (Tensor probs = fn.call(x)) {
                            print("function", i, (TFloat32) probs);
                        }
                    } else {
                        try (Result r = fn.call(Map.of("x", x))) {
                            print("function", i, (TFloat32) r.get("probs").orElseThrow());
                        }
                    }
                }
            }
        }

        try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve")) {
            for (int i = 0; i < plan.size(); i++) {
                try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(plan.get(i)));
                        Result r = bundle.call(Map.of("x", x))) {
                    print("saved", i, (TFloat32) r.get("probs").orElseThrow());
                }
            }
        }
    }

    private static void print(String tag, int i, TFloat32 probs) {
        float[][] out = StdArrays.array2dCopyOf(probs);
        System.out.println(TestApps.answer(tag, i, out));
    }
}
