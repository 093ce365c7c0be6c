package io.mlguard.collector.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.DetectorStateJson;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

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

    /** Everything the builder learnt so far: counts, class counts and every reservoir. */
    ObjectNode saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("records", records);
        n.put("errors", errors);
        ArrayNode classes = n.putArray("classCounts");
        for (long c : classCounts) {
            classes.add(c);
        }
        ObjectNode rs = n.putObject("reservoirs");
        new TreeMap<>(reservoirs).forEach((name, r) -> rs.set(name, r.saveState()));
        return n;
    }

    void restoreState(JsonNode n) {
        JsonNode classes = n.path("classCounts");
        if (classes.size() != classCounts.length) {
            throw new IllegalArgumentException("profile builder state has no class counts");
        }
        records = n.path("records").asLong();
        errors = n.path("errors").asLong();
        for (int i = 0; i < classCounts.length; i++) {
            classCounts[i] = classes.get(i).asLong();
        }
        reservoirs.clear();
        n.path("reservoirs")
                .fields()
                .forEachRemaining(
                        e -> {
                            add(e.getKey(), Double.NaN); // creates it seeded as add would
                            reservoirs.get(e.getKey()).restoreState(e.getValue());
                        });
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
