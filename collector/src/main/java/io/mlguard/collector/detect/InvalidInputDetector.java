package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import io.mlguard.protocol.TensorSummary;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flags inputs a model should never see: NaN or infinite values (severity high), and values outside
 * the range the same model input took during its reference window (severity medium).
 *
 * <p>The reference of each (model, input name) is the min/max over its first N inferences that
 * ended OK and had no NaN/Inf; it is frozen afterwards. At most one signal is raised per record:
 * the most severe, with the evidence of the first offending input.
 */
public final class InvalidInputDetector implements Detector, Checkpointable {
    /** Bounds the reference table: model ids and input names come from outside. */
    static final int MAX_REFERENCES = 4096;

    private final int windowSize;
    private final Sensitivity sensitivity;
    private final Map<String, ReferenceRange> references = new HashMap<>();
    private long referencesRefused;
    // The last few (model, input name) pairs found, by the very strings (the record reader's cache
    // hands out one per id and name): a record's look-up then builds no key string and hashes
    // nothing (the key's concatenation was 1-2 % of the ingest thread). A pair's range stays the
    // map's until a restore replaces the map's content, which empties these.
    private static final int RECENT = 4;
    private final String[] recentModels = new String[RECENT];
    private final String[] recentInputs = new String[RECENT];
    private final ReferenceRange[] recentRanges = new ReferenceRange[RECENT];
    private int nextRecent;

    public InvalidInputDetector(int windowSize) {
        this(windowSize, Sensitivity.untuned());
    }

    /**
     * As {@link #InvalidInputDetector(int)}; feedback widens the slack around the reference range
     * by {@code sensitivity}'s multiplier. NaN and infinite values are never tuned: they are facts,
     * not scores.
     */
    public InvalidInputDetector(int windowSize, Sensitivity sensitivity) {
        this.sensitivity = sensitivity;
        if (windowSize < 1) {
            throw new IllegalArgumentException("reference window must be at least 1");
        }
        this.windowSize = windowSize;
    }

    @Override
    public String name() {
        return "invalid-input";
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        // A blocked call never reached the model: the agent already acted on that client.
        if (r.outcome == Outcome.BLOCKED) {
            return;
        }
        double scale = sensitivity.multiplier(SignalType.INVALID_INPUT);
        TensorSummary nonFinite = null;
        int nonFiniteInputs = 0;
        TensorSummary outside = null;
        ReferenceRange outsideRef = null;
        for (int i = 0; i < r.inputCount; i++) {
            TensorSummary t = r.inputs[i];
            if (t.nanCount > 0 || t.infCount > 0) {
                nonFiniteInputs++;
                if (nonFinite == null) {
                    nonFinite = t;
                }
                continue; // its min/max say nothing reliable about the range
            }
            if (!t.dtype.isNumeric()
                    || t.count == 0
                    || !Double.isFinite(t.min)
                    || !Double.isFinite(t.max)) {
                continue;
            }
            ReferenceRange ref = reference(r.modelId, t.name);
            if (ref == null) {
                continue;
            }
            if (!ref.complete()) {
                if (r.outcome == Outcome.OK) {
                    ref.add(t.min, t.max);
                }
            } else if (outside == null && !ref.contains(t.min, t.max, scale)) {
                outside = t;
                outsideRef = ref;
            }
        }
        if (nonFinite != null) {
            sink.accept(
                    start(r, index, Severity.HIGH, "nan_or_inf")
                            .evidence("input", nonFinite.name)
                            .evidence("nanCount", nonFinite.nanCount)
                            .evidence("infCount", nonFinite.infCount)
                            .evidence("elementCount", nonFinite.count)
                            .evidence("inputsWithNanOrInf", nonFiniteInputs)
                            .build());
        } else if (outside != null) {
            sink.accept(
                    start(r, index, Severity.MEDIUM, "out_of_range")
                            .evidence("input", outside.name)
                            .evidence("observedMin", outside.min)
                            .evidence("observedMax", outside.max)
                            .evidence("referenceMin", outsideRef.min())
                            .evidence("referenceMax", outsideRef.max())
                            .evidence("allowedMin", outsideRef.allowedMin(scale))
                            .evidence("allowedMax", outsideRef.allowedMax(scale))
                            .evidence("referenceWindow", outsideRef.seen())
                            .evidence("thresholdMultiplier", scale)
                            .build());
        }
    }

    private static Signal.Builder start(
            InferenceRecord r, long index, Severity severity, String reason) {
        return Signal.builder(SignalType.INVALID_INPUT, severity, reason)
                .model(r.modelId)
                .client(r.clientId)
                .record(index, r.timestampMillis);
    }

    private ReferenceRange reference(String model, String input) {
        for (int i = 0; i < RECENT; i++) {
            if (recentModels[i] == model && recentInputs[i] == input && recentRanges[i] != null) {
                return recentRanges[i];
            }
        }
        ReferenceRange ref = lookUp(model, input);
        if (ref != null) { // a refusal is counted every time: never remembered
            recentModels[nextRecent] = model;
            recentInputs[nextRecent] = input;
            recentRanges[nextRecent] = ref;
            nextRecent = (nextRecent + 1) % RECENT;
        }
        return ref;
    }

    private ReferenceRange lookUp(String model, String input) {
        // spelled as the concatenation spells null, and unambiguous when an id holds a NUL
        String key = BoundedClientMap.key(String.valueOf(model), String.valueOf(input));
        ReferenceRange ref = references.get(key);
        if (ref == null) {
            if (references.size() >= MAX_REFERENCES) {
                referencesRefused++;
                return null;
            }
            ref = new ReferenceRange(windowSize);
            references.put(key, ref);
        }
        return ref;
    }

    /** How many (model, input) pairs got no reference because the table was full. */
    public long referencesRefused() {
        return referencesRefused;
    }

    /** References as JSON: {@code {"refused": n, "ranges": {key: [seen, min, max]}}}, sorted. */
    @Override
    public String saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("refused", referencesRefused);
        ObjectNode ranges = n.putObject("ranges");
        for (Map.Entry<String, ReferenceRange> e : new TreeMap<>(references).entrySet()) {
            ReferenceRange r = e.getValue();
            ranges.putArray(e.getKey())
                    .add(r.seen())
                    .add(DetectorStateJson.number(r.min()))
                    .add(DetectorStateJson.number(r.max()));
        }
        return n.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parse(state);
        Map<String, ReferenceRange> restored = new HashMap<>();
        n.path("ranges")
                .fields()
                .forEachRemaining(
                        e -> {
                            JsonNode r = e.getValue();
                            restored.put(
                                    e.getKey(),
                                    new ReferenceRange(
                                            windowSize,
                                            r.path(0).asInt(),
                                            DetectorStateJson.toDouble(r.path(1)),
                                            DetectorStateJson.toDouble(r.path(2))));
                        });
        references.clear();
        references.putAll(restored);
        java.util.Arrays.fill(recentModels, null);
        java.util.Arrays.fill(recentInputs, null);
        java.util.Arrays.fill(recentRanges, null);
        referencesRefused = n.path("refused").asLong();
    }
}
