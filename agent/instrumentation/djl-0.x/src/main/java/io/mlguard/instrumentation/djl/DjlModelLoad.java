package io.mlguard.instrumentation.djl;

import io.mlguard.core.Reflect;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a DJL model load says about the model: the path it came from, the engine and the criteria's
 * arguments and options. Class loader: agent; everything is read reflectively through DJL's public
 * getters, once per load.
 */
final class DjlModelLoad {
    private DjlModelLoad() {}

    /**
     * The local file or directory the criteria pointed at ({@code optModelPath} or a {@code file:}
     * URL: the one location of its model zoo), or else the directory DJL resolved the model to.
     */
    static Path modelPath(Object criteria, Object zooModel) {
        List<Path> locations = new ArrayList<>();
        Object zoo = Reflect.call(criteria, "getModelZoo");
        Object loaders = Reflect.call(zoo, "getModelLoaders");
        if (loaders instanceof Collection) {
            for (Object loader : (Collection<?>) loaders) {
                Object mrl = Reflect.call(loader, "getMrl");
                Object repository = Reflect.call(mrl, "getRepository");
                Object uri = Reflect.call(repository, "getBaseUri");
                if (uri instanceof URI && "file".equals(((URI) uri).getScheme())) {
                    locations.add(Paths.get((URI) uri));
                }
            }
        }
        if (locations.size() == 1) {
            return locations.get(0);
        }
        Object resolved = Reflect.call(zooModel, "getModelPath");
        return resolved instanceof Path ? (Path) resolved : null;
    }

    /**
     * {@code engine=..;device=..;} then the criteria's {@code arg.<k>=<v>} and {@code
     * option.<k>=<v>}, sorted by key, so that the same configuration always reads the same.
     */
    static String options(Object criteria, Object zooModel) {
        Map<String, String> m = new TreeMap<>();
        Object manager = Reflect.call(zooModel, "getNDManager");
        Object engine = Reflect.call(manager, "getEngine");
        Object engineName = Reflect.call(engine, "getEngineName");
        if (engineName == null) {
            engineName = Reflect.call(criteria, "getEngine");
        }
        put(m, "engine", engineName);
        Object device = Reflect.call(manager, "getDevice");
        put(m, "device", device != null ? device : Reflect.call(criteria, "getDevice"));
        putAll(m, "arg.", Reflect.call(criteria, "getArguments"));
        putAll(m, "option.", Reflect.call(criteria, "getOptions"));
        return join(m);
    }

    /** The model's name and the directory DJL resolved it to. */
    static String metadata(Object zooModel) {
        Map<String, String> m = new TreeMap<>();
        put(m, "name", Reflect.call(zooModel, "getName"));
        put(m, "modelPath", Reflect.call(zooModel, "getModelPath"));
        return join(m);
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }

    private static void putAll(Map<String, String> m, String prefix, Object map) {
        if (map instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
                m.put(prefix + e.getKey(), String.valueOf(e.getValue()));
            }
        }
    }

    static String join(Map<String, String> m) {
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
