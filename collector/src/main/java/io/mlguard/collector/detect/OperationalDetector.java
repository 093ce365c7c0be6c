package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.detect.stats.Tails;
import io.mlguard.collector.profile.ModelProfile;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.collector.profile.QuantileSketch;
import io.mlguard.collector.profile.RecordStatistics;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.Outcome;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Operational anomalies of each model: latency, error rate and throughput against its profile or a
 * moving baseline, each calibrated to the same in-control run length ARL0 (in records):
 *
 * <ul>
 *   <li>latency: an upward CUSUM on the normal score of each latency under the profile's latency
 *       sketch (threshold from ARL0, as in {@link ReferenceCusum});
 *   <li>errors: per block of {@link #ERROR_BLOCK} records, the exact binomial tail of the error
 *       count under the profile's error rate (floored at {@link #MIN_ERROR_RATE}); a block alarms
 *       below {@code ERROR_BLOCK / ARL0}, so false alarms come once per ARL0 records on average;
 *   <li>throughput: records per minute against an EWMA of the previous minutes (after {@link
 *       #WARMUP_MINUTES}); a minute alarms when its Poisson tail is below {@code 1 / ARL0}, and the
 *       rate moved by at least {@link #RATE_FACTOR} times, because real traffic is burstier than
 *       Poisson.
 * </ul>
 */
public final class OperationalDetector implements Detector, Checkpointable {
    static final int ERROR_BLOCK = 50;
    static final double MIN_ERROR_RATE = 0.001;
    static final int WARMUP_MINUTES = 10;
    static final double RATE_FACTOR = 3;
    static final double EWMA_WEIGHT = 0.1;
    static final int MAX_MODELS = ProfileTracker.MAX_MODELS;

    private final ProfileTracker profiles;
    private final double arl0;
    private final Sensitivity sensitivity;
    private final Map<String, ModelOps> models = new HashMap<>();
    // the last few records' models by the very id string (see RecentModels)
    private final RecentModels<ModelOps> recentModels = new RecentModels<>();
    private final Function<String, ModelOps> makeModel = this::newModel;
    private long modelsRefused;

    private final class ModelOps {
        final QuantileSketch latency;
        final ReferenceCusum latencyCusum;
        final double errorRate;
        int blockRecords;
        int blockErrors;
        long minute = Long.MIN_VALUE;
        long minuteCount;
        double baseline;
        int minutes;
        boolean latencyQuiet;

        ModelOps(ModelProfile p) {
            latency = p.statistic(RecordStatistics.LATENCY_MICROS);
            latencyCusum = latency == null ? null : new ReferenceCusum(latency, arl0);
            errorRate = Math.max(MIN_ERROR_RATE, (double) p.errors() / p.records());
        }
    }

    public OperationalDetector(ProfileTracker profiles, double arl0) {
        this(profiles, arl0, Sensitivity.untuned());
    }

    /**
     * As {@link #OperationalDetector(ProfileTracker, double)}, tuned by operators' feedback: with
     * multiplier m, the latency CUSUM threshold is h × m and the tail tests need {@code p <
     * alpha^m}, i.e. m times the surprise {@code -ln p}.
     */
    public OperationalDetector(ProfileTracker profiles, double arl0, Sensitivity sensitivity) {
        this.profiles = profiles;
        this.arl0 = arl0;
        this.sensitivity = sensitivity;
    }

    private double scale() {
        return sensitivity.multiplier(SignalType.OPERATIONAL);
    }

    @Override
    public String name() {
        return "operational";
    }

    /**
     * A new model's state from its profile: null before the profile is built or past {@link
     * #MAX_MODELS} models (counted).
     */
    private ModelOps newModel(String modelId) {
        ModelProfile p = profiles.profile(modelId);
        if (p == null) {
            return null;
        }
        if (models.size() >= MAX_MODELS) {
            modelsRefused++;
            return null;
        }
        return new ModelOps(p);
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        if (r.outcome == Outcome.BLOCKED || r.modelId == null) {
            return;
        }
        ModelOps m = recentModels.find(r.modelId, models, makeModel);
        if (m == null) {
            return; // no profile yet, or too many models
        }
        throughput(m, r, index, sink);
        errors(m, r, index, sink);
        if (r.outcome == Outcome.OK && m.latencyCusum != null) {
            double micros = r.latencyNanos / 1000.0;
            double scale = scale();
            if (m.latencyCusum.add(micros, scale) > 0) {
                sink.accept(
                        m.latencyCusum
                                .calibration(
                                        start(r, index, "latency_shift")
                                                .evidence(
                                                        "referenceMedianMicros",
                                                        m.latency.quantile(0.5))
                                                .evidence(
                                                        "referenceP95Micros",
                                                        m.latency.quantile(0.95))
                                                .evidence("latencyMicros", micros),
                                        scale)
                                .build());
            }
        }
    }

    private void errors(ModelOps m, InferenceRecord r, long index, SignalSink sink) {
        m.blockRecords++;
        if (r.outcome == Outcome.ERROR) {
            m.blockErrors++;
        }
        if (m.blockRecords < ERROR_BLOCK) {
            return;
        }
        double p = Tails.binomialUpper(m.blockErrors, ERROR_BLOCK, m.errorRate);
        double scale = scale();
        if (p < Math.pow(ERROR_BLOCK / arl0, scale)) {
            sink.accept(
                    start(r, index, "error_rate_shift")
                            .evidence("errorsInBlock", m.blockErrors)
                            .evidence("blockRecords", ERROR_BLOCK)
                            .evidence("referenceErrorRate", m.errorRate)
                            .evidence("pValue", p)
                            .evidence("arl0Records", arl0)
                            .evidence("thresholdMultiplier", scale)
                            .build());
        }
        m.blockRecords = 0;
        m.blockErrors = 0;
    }

    private void throughput(ModelOps m, InferenceRecord r, long index, SignalSink sink) {
        long minute = Math.floorDiv(r.timestampMillis, 60_000L);
        if (m.minute == Long.MIN_VALUE) {
            m.minute = minute;
        }
        if (minute < m.minute) {
            m.minuteCount++; // late record from another server thread: count it where we are
            return;
        }
        // close the finished minute and any empty ones after it (at most an hour of them)
        for (int closed = 0; m.minute < minute && closed < 60; closed++) {
            closeMinute(m, r, index, sink);
            m.minute++;
            m.minuteCount = 0;
        }
        m.minute = minute;
        m.minuteCount++;
    }

    private void closeMinute(ModelOps m, InferenceRecord r, long index, SignalSink sink) {
        long n = m.minuteCount;
        if (m.minutes >= WARMUP_MINUTES && m.baseline > 0) {
            // one false alarm per ARL0 records, m times the surprise once feedback raised it
            double scale = scale();
            double alpha = Math.pow(Math.min(1, Math.max(1, m.baseline) / arl0), scale);
            boolean spike =
                    n >= RATE_FACTOR * m.baseline && Tails.poissonUpper(n, m.baseline) < alpha;
            boolean drop =
                    n <= m.baseline / RATE_FACTOR && Tails.poissonLower(n, m.baseline) < alpha;
            if (spike || drop) {
                sink.accept(
                        start(r, index, spike ? "throughput_spike" : "throughput_drop")
                                .evidence("recordsInMinute", n)
                                .evidence("baselinePerMinute", m.baseline)
                                .evidence("arl0Records", arl0)
                                .evidence("thresholdMultiplier", scale)
                                .build());
                return; // an anomalous minute does not teach the baseline
            }
        }
        m.baseline = m.minutes == 0 ? n : (1 - EWMA_WEIGHT) * m.baseline + EWMA_WEIGHT * n;
        m.minutes++;
    }

    private static Signal.Builder start(InferenceRecord r, long index, String reason) {
        return Signal.builder(SignalType.OPERATIONAL, Severity.MEDIUM, reason)
                .model(r.modelId)
                .client(r.clientId)
                .record(index, r.timestampMillis);
    }

    /**
     * Per model: block counts, the open minute and its count, the EWMA baseline and the CUSUM. The
     * rest derives from the model's profile, which {@link ProfileTracker} restores first.
     */
    @Override
    public String saveState() {
        ObjectNode n = DetectorStateJson.MAPPER.createObjectNode();
        n.put("modelsRefused", modelsRefused);
        ObjectNode ms = n.putObject("models");
        new TreeMap<>(models)
                .forEach(
                        (model, m) -> {
                            ObjectNode o = ms.putObject(model);
                            o.put("blockRecords", m.blockRecords);
                            o.put("blockErrors", m.blockErrors);
                            o.put("minute", m.minute);
                            o.put("minuteCount", m.minuteCount);
                            o.set("baseline", DetectorStateJson.number(m.baseline));
                            o.put("minutes", m.minutes);
                            if (m.latencyCusum != null) {
                                o.set("cusum", m.latencyCusum.saveState());
                            }
                        });
        return n.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parse(state);
        Map<String, ModelOps> restored = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ModelProfile p = profiles.profile(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("no profile for model " + e.getKey());
            }
            JsonNode o = e.getValue();
            ModelOps m = new ModelOps(p);
            m.blockRecords = o.path("blockRecords").asInt();
            m.blockErrors = o.path("blockErrors").asInt();
            m.minute = o.path("minute").asLong();
            m.minuteCount = o.path("minuteCount").asLong();
            m.baseline = DetectorStateJson.toDouble(o.path("baseline"));
            m.minutes = o.path("minutes").asInt();
            JsonNode c = o.path("cusum");
            if (m.latencyCusum != null && c.size() == 4) {
                m.latencyCusum.restoreState(c);
            }
            restored.put(e.getKey(), m);
        }
        models.clear();
        models.putAll(restored);
        recentModels.clear();
        modelsRefused = n.path("modelsRefused").asLong();
    }

    /** Models without state because {@link #MAX_MODELS} were tracked. */
    public long modelsRefused() {
        return modelsRefused;
    }
}
