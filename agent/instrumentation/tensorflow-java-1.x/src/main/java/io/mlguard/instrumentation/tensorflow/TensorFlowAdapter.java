package io.mlguard.instrumentation.tensorflow;

import io.mlguard.core.ModelHasher;
import io.mlguard.core.ModelIdentity;
import io.mlguard.core.Reflect;
import io.mlguard.core.RuntimeAdapter;
import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Records;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Reads TensorFlow-Java runs, function calls and SavedModel loads for the recorder. Class loader:
 * agent. A session run's input is its {@code Session.Runner} (the tensors it feeds and the graph
 * outputs they feed); a function call's input is its {@code Map<String, Tensor>}; both return a
 * {@code Result}, iterable as fetched name and tensor.
 */
final class TensorFlowAdapter implements RuntimeAdapter {

    @Override
    public String runtimeName() {
        return "tensorflow";
    }

    @Override
    public void summarizeInference(
            Object target, Object input, Object result, InferenceRecord r, Summaries s)
            throws Throwable {
        TfAccess tf = TfAccess.of(target);
        if (input instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) input).entrySet()) {
                add(tf, String.valueOf(e.getKey()), e.getValue(), r, s, true);
            }
        } else if (input != null) {
            List<?> feeds = tf.feeds(input);
            List<?> fedOutputs = tf.feedOutputs(input);
            for (int i = 0; i < feeds.size() && i < Records.MAX_TENSORS; i++) {
                add(tf, tf.outputName(fedOutputs.get(i)), feeds.get(i), r, s, true);
            }
        }
        if (result instanceof Iterable) {
            for (Object o : (Iterable<?>) result) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
                add(tf, String.valueOf(e.getKey()), e.getValue(), r, s, false);
            }
        }
    }

    private static void add(
            TfAccess tf, String name, Object t, InferenceRecord r, Summaries s, boolean input)
            throws Throwable {
        if (!tf.tensor.isInstance(t)) {
            return;
        }
        DType type = tf.dtype(t);
        ByteBuffer data = type.isNumeric() ? tf.data(t) : null;
        if (input) {
            s.input(r, name, type, tf.shape(t), data);
        } else {
            s.output(r, name, type, tf.shape(t), data);
        }
    }

    @Override
    public ModelIdentity describeModelLoad(
            Object bundle, Object exportDir, Object args, ModelLoadRecord r) throws Throwable {
        String modelId = "tf-savedmodel";
        if (exportDir instanceof String) {
            Path dir = Paths.get((String) exportDir);
            r.source = dir.toAbsolutePath().toString();
            modelId = ModelHasher.modelIdFromPath(dir);
            ModelHasher.Digest digest = ModelHasher.of(dir);
            r.sha256 = digest.hex;
            r.sizeBytes = digest.size;
        }
        if (args instanceof Object[]) {
            r.options = SavedModelDescription.options((Object[]) args);
        }
        if (bundle != null) {
            r.metadata = SavedModelDescription.metadata(bundle);
        }
        r.modelId = modelId;
        return new ModelIdentity(modelId, ModelLoadRecord.hashPrefix(r.sha256));
    }

    /** Runs of a loaded model go through the bundle's session. */
    @Override
    public Object modelKey(Object bundle) {
        Object session = Reflect.call(bundle, "session");
        return session != null ? session : bundle;
    }

    @Override
    public ModelIdentity identifyUnknownModel(Object target) {
        Object fn = Reflect.call(target, "getDefinedName");
        return new ModelIdentity(fn != null ? "tf-function:" + fn : "tf-session", 0);
    }
}
