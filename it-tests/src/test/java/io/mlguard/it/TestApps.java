package io.mlguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the small test applications of this module ({@code *App} main classes) in a forked JVM, with
 * or without {@code -javaagent:mlguard.jar}, and returns the answers they print. Also the inputs
 * they send, computed the same way in the application and in the test.
 */
final class TestApps {
    private TestApps() {}

    /**
     * A jar whose manifest {@code Class-Path} is {@code classPath}, to launch with {@code -cp jar}.
     * DJL's ONNX Runtime engine (0.38.0, on ONNX Runtime 1.29.0 and 1.21.1 alike) crashes the JVM
     * with SIGSEGV in {@code OrtEnvironment.createHandle} when {@code java.class.path} is longer
     * than about 4 KB, as failsafe's is; a short class path avoids it.
     */
    static String pathingJar(Path dir, String classPath) throws Exception {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        StringBuilder urls = new StringBuilder();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            // the application sees its own libraries, never the agent's unshaded classes: those
            // live only in mlguard.jar, as in production
            if (!entry.isEmpty() && !isAgentEntry(entry)) {
                urls.append(Path.of(entry).toUri()).append(' ');
            }
        }
        mf.getMainAttributes()
                .put(java.util.jar.Attributes.Name.CLASS_PATH, urls.toString().trim());
        java.nio.file.Files.createDirectories(dir);
        Path jar = dir.resolve("classpath.jar");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar), mf)) {
            // the manifest is the whole jar
        }
        return jar.toString();
    }

    private static boolean isAgentEntry(String entry) {
        Path p = Path.of(entry).toAbsolutePath().normalize();
        return p.startsWith(Artifacts.ROOT.resolve("agent"))
                || p.startsWith(Artifacts.ROOT.resolve("shaded"))
                || p.getFileName().toString().startsWith("byte-buddy");
    }

    /** The forked JVM's flags for DJL: offline, and its caches in the test's own directory. */
    static List<String> djlFlags(Path cache) {
        return List.of(
                "-Dai.djl.offline=true",
                "-DDJL_CACHE_DIR=" + cache,
                "-DENGINE_CACHE_DIR=" + cache.resolve("engines"));
    }

    /**
     * Runs {@code mainClass} to the end and returns its lines that start with {@code answer}.
     *
     * @param queue the agent's queue, or {@code null} to run without the agent
     */
    static List<String> run(
            Path jdk,
            String classPath,
            List<String> jvmFlags,
            String mainClass,
            List<String> args,
            Path queue,
            Path log)
            throws Exception {
        return run(List.of(), jdk, classPath, jvmFlags, mainClass, args, queue, log);
    }

    /**
     * As {@link #run(Path, String, List, String, List, Path, Path)}, the JVM started through {@code
     * launcher} (such as {@code unshare -n}, a network namespace with no interface up, to prove the
     * application needs no network).
     */
    static List<String> run(
            List<String> launcher,
            Path jdk,
            String classPath,
            List<String> jvmFlags,
            String mainClass,
            List<String> args,
            Path queue,
            Path log)
            throws Exception {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Artifacts.java(jdk));
        if (queue != null) {
            cmd.add("-javaagent:" + Artifacts.agentJar() + "=queue=" + queue);
        }
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        try (ForkedJvm jvm = ForkedJvm.start(cmd, log)) {
            assertThat(jvm.awaitExit(Duration.ofMinutes(3))).as(jvm.describe()).isZero();
            String out = jvm.output();
            if (queue != null) {
                assertThat(out)
                        .contains("[mlguard] agent started")
                        .doesNotContain("internal error")
                        .doesNotContain("could not instrument")
                        .doesNotContain("cannot write");
            } else {
                assertThat(out).doesNotContain("[mlguard]");
            }
            List<String> answers = new ArrayList<>();
            for (String line : jvm.lines()) {
                if (line.startsWith("answer ")) {
                    answers.add(line);
                }
            }
            assertThat(answers).as(jvm.describe()).isNotEmpty();
            return answers;
        }
    }

    /** Eight held-out digits one at a time, then three in one batch. */
    static List<float[][]> digits() {
        Dataset heldOut = MnistData.load().heldOut();
        List<float[][]> plan = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            plan.add(new float[][] {heldOut.image(i * 53)});
        }
        plan.add(new float[][] {heldOut.image(7), heldOut.image(70), heldOut.image(700)});
        return plan;
    }

    /** Small tabular rows (4 features), deterministic, some negative, one zero. */
    static List<float[][]> rows() {
        List<float[][]> plan = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 5; i++) {
            int n = i == 4 ? 3 : 1;
            float[][] x = new float[n][4];
            for (float[] row : x) {
                for (int j = 0; j < 4; j++) {
                    row[j] = (float) (rnd.nextGaussian() * 2);
                }
            }
            plan.add(x);
        }
        plan.get(0)[0][2] = 0f;
        return plan;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** One answer line: the tag, the call's index, then every row's class and scores. */
    static String answer(String tag, int index, float[][] scores) {
        StringBuilder sb = new StringBuilder("answer ").append(tag).append(' ').append(index);
        for (float[] row : scores) {
            sb.append(" | ").append(argmax(row));
            for (float v : row) {
                sb.append(' ').append(v);
            }
        }
        return sb.toString();
    }

    /** The first row's class and its score, read back from an answer line. */
    static float[] firstRow(String answerLine) {
        String[] rows = answerLine.split(" \\| ");
        String[] parts = rows[1].trim().split(" ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }
}
