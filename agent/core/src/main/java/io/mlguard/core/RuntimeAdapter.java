package io.mlguard.core;

import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;

/**
 * What the agent needs to know of one inference runtime: how to read a call's tensors into a
 * record, and how to describe a model it loaded. Class loader: agent. Implementations see the
 * runtime's objects only as {@code Object} (the agent loader cannot see the application's classes)
 * and reach them through method handles resolved once per runtime class.
 */
public interface RuntimeAdapter {
    /** Called once at the agent's start, before any hook runs, with the agent's settings. */
    default void configure(io.mlguard.core.config.AgentConfig config) {}

    /** The runtime's name as records carry it, such as {@code onnxruntime}. */
    String runtimeName();

    /**
     * Fills the tensors, batch size and fingerprint of {@code record} from one call.
     *
     * @param target the object the inference was called on (a session, a predictor)
     * @param input the call's input argument
     * @param result the call's return value, or {@code null} if it threw
     */
    void summarizeInference(
            Object target, Object input, Object result, InferenceRecord record, Summaries s)
            throws Throwable;

    /**
     * Fills the source, hash, options and metadata of a model load, and returns the identity that
     * the model's inference records will carry.
     */
    ModelIdentity describeModelLoad(
            Object model, Object source, Object options, ModelLoadRecord record) throws Throwable;

    /**
     * The object that this model's inferences will be called on, when it is not the object the load
     * returned (a DJL {@code ZooModel} wraps the engine's model, which its predictors hold; a
     * TensorFlow {@code SavedModelBundle} owns the {@code Session} that runs). Called once per
     * load.
     */
    default Object modelKey(Object loaded) throws Throwable {
        return loaded;
    }

    /** An id for a model whose load was not seen (the agent attached later). */
    ModelIdentity identifyUnknownModel(Object target);
}
