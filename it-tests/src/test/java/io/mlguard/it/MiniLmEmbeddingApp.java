package io.mlguard.it;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;

/**
 * An application whose model code nobody here wrote: it embeds a few sentences with langchain4j's
 * in-process all-MiniLM-L6-v2 model (ONNX Runtime inside, the model loaded from bytes inside
 * langchain4j's jar) and prints each vector. Nothing in it knows of mlguard. Runs in a forked JVM,
 * with and without the agent.
 */
public final class MiniLmEmbeddingApp {
    /** Short sentences of different lengths, so each call has its own token count. */
    static final List<String> SENTENCES =
            List.of(
                    "The model server answered in four milliseconds.",
                    "An attacker probes the classifier",
                    "Drift detection compares today's inputs with a reference window of last"
                            + " week's traffic.");

    private MiniLmEmbeddingApp() {}

    public static void main(String[] args) {
        EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        for (int i = 0; i < SENTENCES.size(); i++) {
            Embedding e = model.embed(SENTENCES.get(i)).content();
            StringBuilder line = new StringBuilder("answer embed ").append(i);
            for (float v : e.vector()) {
                line.append(' ').append(v);
            }
            System.out.println(line);
        }
    }

    /** The vector printed on an answer line. */
    static float[] vector(String answerLine) {
        String[] parts = answerLine.trim().split(" ");
        float[] v = new float[parts.length - 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i + 3]);
        }
        return v;
    }
}
