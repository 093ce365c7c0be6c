package io.mlguard.collector.profile;

import io.mlguard.collector.detect.Detector;
import io.mlguard.collector.detect.SignalSink;
import io.mlguard.protocol.InferenceRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * Knows each model's reference profile: one loaded from a file at start-up, or else one built from
 * the model's first {@code window} records. It runs as the first detector, so the profile a
 * detector sees for a record never includes that record; it raises no signal itself.
 */
public final class ProfileTracker implements Detector {
    /** Bounds the per-model state: model ids come from outside. */
    public static final int MAX_MODELS = 256;

    private final long window;
    private final Map<String, ModelProfile> profiles = new HashMap<>();
    private final Map<String, ProfileBuilder> building = new HashMap<>();
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

    /** Models that got no profile because {@link #MAX_MODELS} were already tracked. */
    public long modelsRefused() {
        return modelsRefused;
    }
}
