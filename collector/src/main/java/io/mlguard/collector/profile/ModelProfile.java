package io.mlguard.collector.profile;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The normal traffic of one model: a {@link QuantileSketch} per statistic ({@link
 * RecordStatistics}), the predicted-class counts, and how many records (and errors) the reference
 * held. Immutable; saved and loaded by {@link ProfileFile}.
 */
public final class ModelProfile {
    private final String model;
    private final long records;
    private final long errors;
    private final Map<String, QuantileSketch> statistics;
    private final long[] classCounts;

    public ModelProfile(
            String model,
            long records,
            long errors,
            Map<String, QuantileSketch> statistics,
            long[] classCounts) {
        if (model == null || model.isEmpty()) {
            throw new IllegalArgumentException("a profile needs a model name");
        }
        if (records < 1 || errors < 0 || errors > records) {
            throw new IllegalArgumentException(
                    "need records >= 1 and 0 <= errors <= records, got " + records + ", " + errors);
        }
        if (classCounts.length != RecordStatistics.CLASS_BINS) {
            throw new IllegalArgumentException(
                    "class counts need " + RecordStatistics.CLASS_BINS + " bins");
        }
        for (long c : classCounts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative class count");
            }
        }
        this.model = model;
        this.records = records;
        this.errors = errors;
        this.statistics = Collections.unmodifiableMap(new TreeMap<>(statistics));
        this.classCounts = classCounts.clone();
    }

    public String model() {
        return model;
    }

    /** Records in the reference window (all outcomes). */
    public long records() {
        return records;
    }

    /** Of those, how many ended in an error. */
    public long errors() {
        return errors;
    }

    /** The sketch of a statistic, or {@code null} when the reference never saw it. */
    public QuantileSketch statistic(String name) {
        return statistics.get(name);
    }

    public Map<String, QuantileSketch> statistics() {
        return statistics;
    }

    public long[] classCounts() {
        return classCounts.clone();
    }

    /** Records that had a predicted class. */
    public long classified() {
        long n = 0;
        for (long c : classCounts) {
            n += c;
        }
        return n;
    }
}
