package io.mlguard.collector.detect;

/**
 * The current threshold multiplier of each signal type, as operators' feedback set it: 1 is the
 * detector's own threshold, larger values make it quieter. Detectors read it on their hot path, so
 * a read is one volatile load of a preallocated field: no lock, no allocation. Writes come from the
 * HTTP threads when feedback arrives (rarely) and are visible to the ingest thread at its next
 * read.
 */
public final class Sensitivity {
    /** One volatile slot per type; an object each, so slots do not share a volatile array. */
    private static final class Slot {
        volatile double multiplier = 1.0;
    }

    private final Slot[] slots = new Slot[SignalType.values().length];

    public Sensitivity() {
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    /** A sensitivity that stays at 1 for every type unless set (detectors' default). */
    public static Sensitivity untuned() {
        return new Sensitivity();
    }

    /** The multiplier on the decision threshold of {@code type}; at least 1. */
    public double multiplier(SignalType type) {
        return slots[type.ordinal()].multiplier;
    }

    /**
     * Sets the multiplier of {@code type}. Anything below 1 or not finite is refused: feedback may
     * make a detector quieter, never more eager than its calibrated threshold.
     */
    public void set(SignalType type, double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(
                    "a threshold multiplier must be finite and at least 1, got " + multiplier);
        }
        slots[type.ordinal()].multiplier = multiplier;
    }
}
