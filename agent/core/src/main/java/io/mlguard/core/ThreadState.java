package io.mlguard.core;

import io.mlguard.core.summary.Summaries;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;

/**
 * Everything the agent keeps per application thread: nesting depths (one inference is one record
 * even when overloads or runtimes call each other), a count of captures (to sample their cost, and
 * before which auto defers none) and the reusable record and summary scratch space. Class loader:
 * agent.
 */
final class ThreadState {
    int inferenceDepth;
    int modelLoadDepth;
    int captures;
    final InferenceRecord record = new InferenceRecord();
    final ModelLoadRecord loadRecord = new ModelLoadRecord();
    final Summaries summaries;

    /** The model this thread last called: looked up again only when it changes. */
    final ModelRegistry.Cache model = new ModelRegistry.Cache();

    /** Turns this thread's clock readings into records' timestamps. */
    final WallClock wall = new WallClock();

    /** This thread's inferences on their way to the summary thread; made at its first capture. */
    CaptureRing ring;

    ThreadState(Summaries summaries) {
        this.summaries = summaries;
    }
}
