package io.mlguard.instrumentation.djl;

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
import java.util.List;

/**
 * Reads DJL predictions and model loads for the recorder. Class loader: agent. An inference's input
 * and output are the batched {@code NDList}s of {@code predictInternal} (a {@code List} of {@code
 * NDArray}); a load is described by {@link DjlModelLoad}.
 */
final class DjlAdapter implements RuntimeAdapter {
    private static final String[] INPUT_NAMES = names("input");
    private static final String[] OUTPUT_NAMES = names("output");

    @Override
    public String runtimeName() {
        return "djl";
    }

    @Override
    public void summarizeInference(
            Object model, Object input, Object output, InferenceRecord r, Summaries s)
            throws Throwable {
        if (input instanceof List) {
            List<?> arrays = (List<?>) input;
            DjlAccess djl = DjlAccess.of(input);
            for (int i = 0; i < arrays.size() && i < Records.MAX_TENSORS; i++) {
                Object a = arrays.get(i);
                if (djl.ndArray.isInstance(a)) {
                    DType t = djl.dtype(a);
                    s.input(r, name(djl, a, INPUT_NAMES, i), t, djl.shape(a), data(djl, t, a));
                }
            }
        }
        if (output instanceof List) {
            List<?> arrays = (List<?>) output;
            DjlAccess djl = DjlAccess.of(output);
            for (int i = 0; i < arrays.size() && i < Records.MAX_TENSORS; i++) {
                Object a = arrays.get(i);
                if (djl.ndArray.isInstance(a)) {
                    DType t = djl.dtype(a);
                    s.output(r, name(djl, a, OUTPUT_NAMES, i), t, djl.shape(a), data(djl, t, a));
                }
            }
        }
    }

    private static String name(DjlAccess djl, Object array, String[] fallback, int i)
            throws Throwable {
        String n = djl.name(array);
        return n != null ? n : fallback[i];
    }

    private static ByteBuffer data(DjlAccess djl, DType t, Object array) throws Throwable {
        return t.isNumeric() ? djl.data(array) : null;
    }

    @Override
    public ModelIdentity describeModelLoad(
            Object zooModel, Object criteria, Object unused, ModelLoadRecord r) throws Throwable {
        Path path = DjlModelLoad.modelPath(criteria, zooModel);
        String modelId = (String) Reflect.call(criteria, "getModelName");
        if (path != null) {
            r.source = path.toAbsolutePath().toString();
            ModelHasher.Digest digest = ModelHasher.of(path);
            r.sha256 = digest.hex;
            r.sizeBytes = digest.size;
            if (modelId == null) {
                modelId = ModelHasher.modelIdFromPath(path);
            }
        }
        r.options = DjlModelLoad.options(criteria, zooModel);
        r.metadata = DjlModelLoad.metadata(zooModel);
        if (modelId == null) {
            Object name = Reflect.call(zooModel, "getName");
            modelId = name != null ? name.toString() : "djl-model";
        }
        r.modelId = modelId;
        return new ModelIdentity(modelId, ModelLoadRecord.hashPrefix(r.sha256));
    }

    /** Predictors hold the engine's model that the {@code ZooModel} wraps. */
    @Override
    public Object modelKey(Object zooModel) {
        Object wrapped = Reflect.call(zooModel, "getWrappedModel");
        return wrapped != null ? wrapped : zooModel;
    }

    @Override
    public ModelIdentity identifyUnknownModel(Object model) {
        Object name = Reflect.call(model, "getName");
        return new ModelIdentity(name != null ? name.toString() : "djl-model", 0);
    }

    private static String[] names(String prefix) {
        String[] n = new String[Records.MAX_TENSORS];
        for (int i = 0; i < n.length; i++) {
            n[i] = prefix + i;
        }
        return n;
    }
}
