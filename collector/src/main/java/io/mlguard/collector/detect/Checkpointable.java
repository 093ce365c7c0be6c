package io.mlguard.collector.detect;

import java.util.function.Supplier;

/**
 * A detector whose state matters for correct results after a restart (learnt baselines, reference
 * windows). The durable store saves {@link #saveState()} in the same transaction as the incidents
 * and the queue position, and hands it back to {@link #restoreState} on start, so the detector
 * resumes exactly where the stored position says. Both run on the ingest thread.
 */
public interface Checkpointable {
    /** The detector's state as a self-contained string (JSON), bounded like the state itself. */
    String saveState();

    /**
     * The state as of now, for a commit that a separate committer thread writes. The ingest thread
     * calls this between two records and the committer calls {@link Supplier#get()} later, while
     * ingest goes on; the supplier must return the state of the moment of this call. The default
     * serialises at once, on the ingest thread. A detector whose state is large can instead take a
     * cheap immutable (or copy-on-write) view here and serialise it in {@code get()}, so that
     * checkpoints stop pausing ingest.
     */
    default Supplier<String> captureState() {
        String state = saveState();
        return () -> state;
    }

    /**
     * The state as of now in parts (see {@link EntryCapture}), for a store that writes only the
     * entries changed since its last commit; {@code null} (the default): this detector's state is
     * written whole, from {@link #captureState()}. Same threading as {@link #captureState()}; the
     * parts joined by {@link EntryCapture#assemble} are what {@link #saveState()} would return.
     */
    default EntryCapture captureEntries() {
        return null;
    }

    /**
     * Replaces the state with one {@link #saveState()} returned, possibly by an older version.
     *
     * @throws IllegalArgumentException if it cannot be read; the detector is then left as new
     * @throws UnknownStateFormatException (an {@link IllegalArgumentException}) if it is a state of
     *     a form this version does not read, such as a newer version's: the store then refuses to
     *     start rather than drop or overwrite it
     */
    void restoreState(String state);
}
