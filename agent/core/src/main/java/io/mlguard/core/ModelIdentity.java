package io.mlguard.core;

/** Who a loaded model is: the id records carry, and the first 8 bytes of its SHA-256. */
public final class ModelIdentity {
    public final String modelId;
    public final long hashPrefix;

    /**
     * The elements (inputs and outputs) of this model's last captured inference, 0 before the
     * first: whether its next capture is large enough to defer to the summary thread ({@code
     * deferAboveElements}). Written and read by serving threads without ordering: an element count
     * one inference old, or another thread's, decides as well.
     */
    public int lastElements;

    public ModelIdentity(String modelId, long hashPrefix) {
        this.modelId = modelId;
        this.hashPrefix = hashPrefix;
    }
}
