package io.mlguard.collector.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.Checkpointable;
import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.DetectorStateJson;
import io.mlguard.collector.detect.SignalSink;
import io.mlguard.protocol.InferenceRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Knows each model's reference profile: one loaded from a file at start-up, or else one built from
 * the model's first {@code window} records. It runs as the first detector, so the profile a
 * detector sees for a record never includes that record; it raises no signal itself.
 */
public final class ProfileTracker implements Detector, Checkpointable {
    /** Bounds the per-model state: model ids come from outside. */
    public static final int MAX_MODELS = 256;

    private final long window;
    private final Map<String, ModelProfile> profiles = new HashMap<>();
    private final Map<String, ProfileBuilder> building = new HashMap<>();
    private final Set<String> loaded = new HashSet<>();
    private long modelsRefused;

    /**
     * @param window records of a model that define its profile when none was loaded
     */
    public ProfileTracker(long window, Iterable<ModelProfile> loaded) {
        if (window < 1) {
            throw new IllegalArgumentException("profile window must be at least 1");
        }
        this.window = window;
        for (ModelProfile p : loaded) {
            profiles.put(p.model(), p);
            this.loaded.add(p.model());
        }
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        if (r.modelId == null || profiles.containsKey(r.modelId)) {
            return;
        }
        ProfileBuilder b = building.get(r.modelId);
        if (b == null) {
            if (profiles.size() + building.size() >= MAX_MODELS) {
                modelsRefused++;
                return;
            }
            b = new ProfileBuilder(r.modelId, window);
            building.put(r.modelId, b);
        }
        b.add(r);
        if (b.complete()) {
            building.remove(r.modelId);
            profiles.put(r.modelId, b.build());
        }
    }

    /** The model's profile, or {@code null} while its reference window is still filling. */
    public ModelProfile profile(String model) {
        return model == null ? null : profiles.get(model);
    }

    /**
     * The profiles built from traffic (loaded ones come from their files again) and the ones being
     * built, reservoirs included, so a restored tracker builds the very same profiles.
     */
    @Override
    public String saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("modelsRefused", modelsRefused);
        ObjectNode built = n.putObject("profiles");
        new TreeMap<>(profiles)
                .forEach(
                        (model, p) -> {
                            if (!loaded.contains(model)) {
                                built.set(model, ProfileFile.toJson(p));
                            }
                        });
        ObjectNode open = n.putObject("building");
        new TreeMap<>(building).forEach((model, b) -> open.set(model, b.saveState()));
        return n.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parse(state);
        Map<String, ModelProfile> built = new HashMap<>();
        Map<String, ProfileBuilder> open = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("profiles").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!loaded.contains(e.getKey())) {
                try {
                    built.put(e.getKey(), ProfileFile.parse(e.getValue(), "saved state"));
                } catch (ProfileFormatException ex) {
                    throw new IllegalArgumentException(ex.getMessage(), ex);
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("building").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!loaded.contains(e.getKey())) {
                ProfileBuilder b = new ProfileBuilder(e.getKey(), window);
                b.restoreState(e.getValue());
                open.put(e.getKey(), b);
            }
        }
        profiles.keySet().retainAll(loaded);
        profiles.putAll(built);
        building.clear();
        building.putAll(open);
        modelsRefused = n.path("modelsRefused").asLong();
    }

    /** Models that got no profile because {@link #MAX_MODELS} were already tracked. */
    public long modelsRefused() {
        return modelsRefused;
    }
}
