package io.mlguard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * The tensors ONNX Runtime hands the agent for one inference of the MNIST MLP: a direct {@code
 * FloatBuffer} of 784 pixels (the input's own copy), a little-endian {@code ByteBuffer} of 10 class
 * scores and one of an int64 label (what {@code getBuffer()} returns for outputs). The pixels are
 * 80 % blank, as a digit's are; the scores sum to one.
 */
final class MnistTensors {
    static final long[] INPUT_SHAPE = {1, 784};
    static final long[] SCORES_SHAPE = {1, 10};
    static final long[] LABEL_SHAPE = {1};

    final FloatBuffer input;
    final ByteBuffer scores;
    final ByteBuffer label;

    MnistTensors(Random rnd) {
        input = ByteBuffer.allocateDirect(784 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 784; i++) {
            input.put(i, rnd.nextFloat() < 0.8f ? 0f : rnd.nextFloat());
        }
        scores = ByteBuffer.allocateDirect(10 * 4).order(ByteOrder.LITTLE_ENDIAN);
        float sum = 0;
        for (int i = 0; i < 10; i++) {
            float s = rnd.nextFloat();
            scores.putFloat(i * 4, s);
            sum += s;
        }
        for (int i = 0; i < 10; i++) {
            scores.putFloat(i * 4, scores.getFloat(i * 4) / sum);
        }
        label = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
        label.putLong(0, 3);
    }
}
