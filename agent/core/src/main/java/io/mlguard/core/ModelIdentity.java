package io.mlguard.core;

/** Who a loaded model is: the id records carry, and the first 8 bytes of its SHA-256. */
public final class ModelIdentity {
    public final String modelId;
    public final long hashPrefix;

    public ModelIdentity(String modelId, long hashPrefix) {
        this.modelId = modelId;
        this.hashPrefix = hashPrefix;
    }
}
