package io.mlguard.collector.profile;

import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link ModelProfile} from the first {@code size} records of a model (its reference
 * window). Memory is bounded by {@link #SAMPLE} values per statistic, whatever the window size.
 */
public final class ProfileBuilder {
    /** Values kept per statistic; beyond that the sketch comes from a uniform sample. */
    public static final int SAMPLE = 4096;

    private final String model;
    private final long size;
    private final Map<String, Reservoir> reservoirs = new HashMap<>();
    private final long[] classCounts = new long[RecordStatistics.CLASS_BINS];
    private final RecordStatistics.Visitor add = this::add;
    private long records;
    private long errors;

    public ProfileBuilder(String model, long size) {
        if (size < 1) {
            throw new IllegalArgumentException("a reference window of at least one record");
        }
        this.model = model;
        this.size = size;
    }

    /** Adds a record of this model, unless the window is already full. */
    public void add(InferenceRecord r) {
        if (complete() || r.outcome == Outcome.BLOCKED) {
            return; // a blocked call never reached the model
        }
        records++;
        if (r.outcome == Outcome.ERROR) {
            errors++;
            return;
        }
        add(RecordStatistics.LATENCY_MICROS, r.latencyNanos / 1000.0);
        if (!RecordStatistics.usable(r)) {
            return;
        }
        RecordStatistics.inputs(r, add);
        RecordStatistics.outputs(r, add);
        int bin = RecordStatistics.predictedClassBin(r);
        if (bin >= 0) {
            classCounts[bin]++;
        }
    }

    private void add(String name, double v) {
        reservoirs
                .computeIfAbsent(name, n -> new Reservoir(SAMPLE, n.hashCode() * 31L + size))
                .add(v);
    }

    public boolean complete() {
        return records >= size;
    }

    public long records() {
        return records;
    }

    /** The profile of what was seen so far. */
    public ModelProfile build() {
        if (records == 0) {
            throw new IllegalStateException("no record of model " + model + " was seen");
        }
        Map<String, QuantileSketch> sketches = new HashMap<>();
        reservoirs.forEach(
                (name, r) -> {
                    if (r.seen() > 0) {
                        sketches.put(name, r.sketch());
                    }
                });
        return new ModelProfile(model, records, errors, sketches, classCounts);
    }
}
