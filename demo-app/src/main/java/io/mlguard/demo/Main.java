package io.mlguard.demo;

import java.util.Arrays;

/**
 * Entry point of {@code mlguard-demo.jar}: {@code train}, {@code serve} or {@code traffic}. Run
 * without arguments for usage.
 */
public final class Main {
    static final String USAGE =
            String.join(
                    "\n",
                    "usage: java -jar mlguard-demo.jar <command> [options]",
                    "",
                    "  train   --models DIR [--seed N] [--epochs N] [--variant normal|tampered]",
                    "          trains the MNIST MLP and the credit classifier; writes"
                            + " DIR/mnist/1/model.onnx, DIR/credit/1/model.onnx and features.json",
                    "  serve   --models DIR [--port N] [--verbose]",
                    "          serves every DIR/<name>/<version>/model.onnx over the Open Inference"
                            + " Protocol v2 (REST) on 127.0.0.1",
                    "  traffic --url URL --models DIR [--scenario NAME] [--requests N] [--seed N]",
                    "          [--client ID] [--rotate-clients N] [--budget N] [--time-limit SECONDS]",
                    "          scenarios: all (benign, nan, swap), benign, benign-realistic, nan, swap,",
                    "          hopskipjump, boundary, square, nes, extraction (attacks on mnist, at most",
                    "          --budget queries each, default 2000, as --client, a new id every",
                    "          --rotate-clients queries), drift-rotate, drift-noise, drift-classmix,",
                    "          drift-credit (--requests inputs of a growing shift)",
                    "          plays clients against a running server and prints a summary");

    private Main() {}

    /** Runs a command and exits with its status. */
    public static void main(String[] argv) {
        int status;
        try {
            status = run(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            status = 1;
        }
        // serve returns only after a failed start; a running server keeps the JVM alive itself
        if (status != 0 || argv.length == 0 || !"serve".equals(argv[0])) {
            System.exit(status);
        }
    }

    static int run(String[] argv) throws Exception {
        if (argv.length == 0 || "help".equals(argv[0]) || "--help".equals(argv[0])) {
            System.out.println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "train":
                return TrainCommand.run(rest);
            case "serve":
                return ServeCommand.run(rest);
            case "traffic":
                return TrafficCommand.run(rest);
            default:
                throw new IllegalArgumentException("unknown command '" + argv[0] + "'");
        }
    }
}
