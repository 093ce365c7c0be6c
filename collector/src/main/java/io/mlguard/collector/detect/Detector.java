package io.mlguard.collector.detect;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;

/**
 * Looks at each record in queue order and raises {@link Signal}s. Detectors are called from the
 * single ingest thread, so they keep plain (unsynchronised) state; each must bound the memory it
 * keeps, since model ids and input names come from outside.
 */
public interface Detector {
    /** A short name for logs and counters. */
    String name();

    /** Called for each inference record; {@code index} is its queue index. */
    default void onInference(InferenceRecord record, long index, SignalSink sink) {}

    /** Called for each model-load record; {@code index} is its queue index. */
    default void onModelLoad(ModelLoadRecord record, long index, SignalSink sink) {}
}
