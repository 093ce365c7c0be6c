package io.mlguard.instrumentation.tensorflow;

import io.mlguard.core.Reflect;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a SavedModel load says about the model: its tags and session options, its signatures and the
 * TensorFlow version that wrote it, each in the stable sorted {@code key=value;...} form. Class
 * loader: agent; read reflectively, once per load.
 */
final class SavedModelDescription {
    private SavedModelDescription() {}

    /** From {@code load(exportDir, tags, configProto, runOptions)}'s arguments. */
    static String options(Object[] args) {
        Map<String, String> m = new TreeMap<>();
        if (args.length > 1 && args[1] instanceof String[]) {
            String[] tags = ((String[]) args[1]).clone();
            java.util.Arrays.sort(tags);
            m.put("tags", String.join(",", tags));
        }
        if (args.length > 2 && args[2] != null) {
            m.put("config", oneLine(args[2]));
        }
        if (args.length > 3 && args[3] != null) {
            m.put("runOptions", oneLine(args[3]));
        }
        return join(m);
    }

    static String metadata(Object bundle) {
        Map<String, String> m = new TreeMap<>();
        Object signatures = Reflect.call(bundle, "signatures");
        if (signatures instanceof Iterable) {
            TreeMap<String, Boolean> keys = new TreeMap<>();
            for (Object sig : (Iterable<?>) signatures) {
                Object key = Reflect.call(sig, "key");
                if (key != null) {
                    keys.put(key.toString(), Boolean.TRUE);
                }
            }
            m.put("signatures", String.join(",", keys.keySet()));
        }
        Object meta = Reflect.call(Reflect.call(bundle, "metaGraphDef"), "getMetaInfoDef");
        Object version = Reflect.call(meta, "getTensorflowVersion");
        if (version != null && !version.toString().isEmpty()) {
            m.put("tensorflowVersion", version.toString());
        }
        return join(m);
    }

    /** A protobuf message's text form on one line. */
    private static String oneLine(Object message) {
        return message.toString().trim().replaceAll("\\s+", " ").replace(';', ',');
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
