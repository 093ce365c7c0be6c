package io.mlguard.instrumentation.onnxruntime;

import io.mlguard.core.ModelHasher;
import io.mlguard.core.ModelIdentity;
import io.mlguard.core.RuntimeAdapter;
import io.mlguard.core.summary.Elements;
import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.DType;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Reads ONNX Runtime sessions, tensors and results for the recorder. Class loader: agent. Inputs
 * are the {@code Map<String, OnnxTensorLike>} passed to {@code run}; outputs the {@code Result} it
 * returned, which is iterable as name and value pairs. Non-tensor values (sequences, maps) are
 * skipped.
 */
final class OrtAdapter implements RuntimeAdapter {

    @Override
    public void configure(io.mlguard.core.config.AgentConfig config) {
        OrtNative.configure(config.nativeTensorAccess);
    }

    @Override
    public String runtimeName() {
        return "onnxruntime";
    }

    /**
     * Walks inputs and outputs with {@code Map.forEach} and a per-thread visitor, so that a call
     * allocates no iterator, entry or lambda.
     */
    private final ThreadLocal<TensorVisitor> visitors =
            new ThreadLocal<>() { // not withInitial(TensorVisitor::new): no lambda at agent start
                @Override
                protected TensorVisitor initialValue() {
                    return new TensorVisitor();
                }
            };

    @Override
    public void summarizeInference(
            Object session, Object input, Object result, InferenceRecord r, Summaries s)
            throws Throwable {
        OrtAccess ort = OrtAccess.of(session);
        TensorVisitor v = visitors.get();
        v.start(ort, r, s);
        if (input instanceof Map) {
            v.inputs = true;
            Map<?, ?> in = (Map<?, ?>) input;
            if (in instanceof HashMap || in instanceof TreeMap) {
                in.forEach(v); // their own forEach: no entry objects
            } else {
                // Map.of's forEach makes an entry set and entries: look the inputs up by the
                // session's input names instead, in the model's order
                String[] names = v.inputNames(ort, session);
                for (String n : names) {
                    Object tensor = in.get(n);
                    if (tensor != null) {
                        v.accept(n, tensor);
                    }
                }
            }
        }
        if (result != null) {
            v.inputs = false;
            Map<?, ?> outputs = ort.outputs(result);
            if (outputs != null) {
                outputs.forEach(v);
            } else if (result instanceof Iterable) {
                for (Object o : (Iterable<?>) result) {
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
                    v.accept(e.getKey(), e.getValue());
                }
            }
        }
        v.finish();
    }

    /** Adds each named tensor it is given to the record; reused, one per thread. */
    private static final class TensorVisitor implements BiConsumer<Object, Object> {
        OrtAccess ort;
        InferenceRecord record;

        /** The last session's input names on this thread: looked up again only on a change. */
        private WeakReference<Object> namesOf = new WeakReference<>(null);

        private String[] names = new String[0];

        /**
         * This thread's view for the JNI shim, pointed at one tensor at a time (limit 0 between
         * tensors); {@code null} until first needed, {@link #NO_VIEW} where the shim is not used.
         */
        private ByteBuffer view;

        Summaries summaries;
        boolean inputs;
        Throwable error;

        /**
         * Points it at this inference. The thread's record and summaries are the same for every
         * inference, and kept in between: a reference is stored only when it changes, since storing
         * one into this long-lived visitor costs a garbage collector's barrier, up to a fence.
         */
        void start(OrtAccess ort, InferenceRecord record, Summaries summaries) {
            if (this.ort != ort) {
                this.ort = ort;
            }
            if (this.record != record) {
                this.record = record;
            }
            if (this.summaries != summaries) {
                this.summaries = summaries;
            }
            this.error = null;
        }

        String[] inputNames(OrtAccess ort, Object session) throws Throwable {
            if (namesOf.get() != session) {
                names = ort.inputNames(session);
                namesOf = new WeakReference<>(session);
            }
            return names;
        }

        void finish() throws Throwable {
            Throwable e = error;
            error = null;
            if (e != null) {
                throw e;
            }
        }

        @Override
        public void accept(Object name, Object tensor) {
            if (error != null || !ort.onnxTensor.isInstance(tensor)) {
                return;
            }
            try {
                Object info = ort.info(tensor);
                DType t = ort.dtype(info);
                String n = name instanceof String ? (String) name : String.valueOf(name);
                long[] shape = ort.shape(info);
                Buffer data = data(t, shape, tensor);
                try {
                    if (inputs) {
                        summaries.input(record, n, t, shape, data);
                    } else {
                        summaries.output(record, n, t, shape, data);
                    }
                } finally {
                    if (data == view) {
                        view.limit(0); // nothing reads a closed tensor through it
                    }
                }
            } catch (Throwable e) {
                error = e;
            }
        }

        /**
         * The tensor's data: ONNX Runtime's own copy of an input when it keeps one of the right
         * type; else this thread's view pointed at the tensor by the JNI shim; else a direct view
         * made by {@code getBuffer()} (one small object per tensor). Outputs are never kept in a
         * Java buffer by ONNX Runtime, so they take one of the last two ways. Summaries read the
         * data before the call returns (or copy it, when they are deferred).
         */
        private Buffer data(DType t, long[] shape, Object tensor) throws Throwable {
            if (!t.isNumeric()) {
                return null;
            }
            Buffer owned = ort.ownedBuffer(tensor);
            if (owned != null && Elements.holdsElementsOf(owned, t)) {
                return owned;
            }
            ByteBuffer v = view();
            if (v != NO_VIEW && ort.nativeReadable()) {
                ByteBuffer b = ort.nativeData(v, tensor, bytes(shape, t));
                if (b != null) {
                    return b;
                }
            }
            return ort.data(tensor);
        }

        private ByteBuffer view() {
            ByteBuffer v = view;
            if (v == null) {
                v = OrtNative.available() ? OrtNative.newView() : null;
                if (v == null) {
                    v = NO_VIEW;
                } else {
                    v.limit(0);
                }
                view = v;
            }
            return v;
        }
    }

    /** Marks a thread where the JNI shim is not used. */
    private static final ByteBuffer NO_VIEW = ByteBuffer.allocate(0);

    /** The tensor's size in bytes, or -1 if its shape is unknown or it would overflow. */
    static long bytes(long[] shape, DType t) {
        if (shape == null) {
            return -1;
        }
        long n = Elements.width(t);
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > Long.MAX_VALUE / d)) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    @Override
    public ModelIdentity describeModelLoad(
            Object session, Object source, Object args, ModelLoadRecord r) throws Throwable {
        ModelHasher.Digest digest = null;
        String modelId = null;
        if (source instanceof String) {
            Path path = Paths.get((String) source);
            r.source = path.toAbsolutePath().toString();
            modelId = ModelHasher.modelIdFromPath(path);
            digest = ModelHasher.of(path);
        } else if (source instanceof byte[]) {
            r.source = "<bytes>";
            digest = ModelHasher.of((byte[]) source);
        } else if (source instanceof ByteBuffer) {
            r.source = "<buffer>";
            digest = ModelHasher.of((ByteBuffer) source);
        }
        if (digest != null) {
            r.sha256 = digest.hex;
            r.sizeBytes = digest.size;
        }
        String graphName = null;
        if (session != null) {
            Map<String, String> meta = metadata(session);
            graphName = meta.get("graph");
            r.metadata = join(meta);
        }
        if (args instanceof Object[]) {
            r.options = options(session, (Object[]) args);
        }
        if (modelId == null) {
            modelId =
                    graphName != null && !graphName.isEmpty()
                            ? graphName
                            : "onnx-" + (r.sha256 == null ? "unknown" : r.sha256.substring(0, 12));
        }
        r.modelId = modelId;
        return new ModelIdentity(modelId, ModelLoadRecord.hashPrefix(r.sha256));
    }

    @Override
    public ModelIdentity identifyUnknownModel(Object session) {
        try {
            String graph = metadata(session).get("graph");
            if (graph != null && !graph.isEmpty()) {
                return new ModelIdentity(graph, 0);
            }
        } catch (Throwable ignored) {
            // fall through to a generic id
        }
        return new ModelIdentity("onnx-session", 0);
    }

    private static Map<String, String> metadata(Object session) throws Exception {
        OrtAccess ort = OrtAccess.of(session);
        Object meta = ort.getMetadata.invoke(session);
        Map<String, String> m = new TreeMap<>();
        put(m, "graph", meta, "getGraphName");
        put(m, "producer", meta, "getProducerName");
        put(m, "domain", meta, "getDomain");
        put(m, "version", meta, "getVersion");
        return m;
    }

    private static void put(Map<String, String> m, String key, Object target, String getter) {
        try {
            Method g = target.getClass().getMethod(getter);
            Object v = g.invoke(target);
            if (v != null) {
                m.put(key, v.toString());
            }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // an older or newer metadata class without this getter
        }
    }

    private static String options(Object session, Object[] args) {
        for (Object a : args) {
            if (a != null
                    && a.getClass().getName().equals("ai.onnxruntime.OrtSession$SessionOptions")) {
                try {
                    Object entries = a.getClass().getMethod("getConfigEntries").invoke(a);
                    if (entries instanceof Map) {
                        Map<String, String> sorted = new TreeMap<>();
                        for (Map.Entry<?, ?> e : ((Map<?, ?>) entries).entrySet()) {
                            sorted.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                        }
                        return join(sorted);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return "<unreadable>";
                }
            }
        }
        return "";
    }

    private static String join(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }
}
