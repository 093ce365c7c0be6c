package io.mlguard.collector.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlguard.collector.profile.ModelProfile;
import io.mlguard.collector.profile.ProfileTracker;
import io.mlguard.collector.profile.QuantileSketch;
import io.mlguard.collector.profile.RecordStatistics;
import io.mlguard.protocol.InferenceRecord;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Data drift (input statistics and captured features) and prediction drift (confidence, entropy,
 * margin, class priors) of each model against its reference profile.
 *
 * <p>Two tests per statistic (see {@link StatisticMonitor}): a CUSUM on each value's normal score,
 * whose threshold comes from the wanted ARL0 (records between false alarms) shared among the
 * model's statistics — each of S statistics gets ARL0 × S, so their false-alarm rates add up to
 * 1/ARL0 — and, every quarter window, PSI, KS and JS of the last {@code window} values. A window is
 * a shift when PSI ≥ {@link #PSI_SHIFT} and the KS p-value is below {@link #KS_ALPHA}: PSI says the
 * change matters, KS that it is not sampling noise. Class priors use PSI and JS.
 *
 * <p>After a signal, a statistic stays quiet for one window, so a lasting drift gives one signal
 * per window rather than one per record.
 *
 * <p>Each input counts once: a record that repeats its client's previous input (a retry, a burst of
 * near-identical frames; see {@link RepeatFilter}) is skipped, because dependent values would break
 * the CUSUM's calibration and the window tests' sample sizes. Statistics are per sample, whatever
 * the batch size (see {@link RecordStatistics}).
 */
public final class DriftDetector implements Detector, Checkpointable {
    static final double PSI_SHIFT = 0.25;
    static final double KS_ALPHA = 1e-4;

    /** Bounds the per-model state. */
    static final int MAX_MODELS = ProfileTracker.MAX_MODELS;

    private static final String CLASSES = "classes";

    /**
     * Profiled statistics that are not drift: latency is operational, and the exact-zero fraction
     * of the input falls from ~0.8 to ~0.4 under any sensor noise at all (one least-significant bit
     * is enough), so it measures the capture pipeline, not the data. Noise that matters moves the
     * mean, spread and norm, and the model's confidence, which are watched.
     */
    static boolean monitored(String statistic) {
        return !statistic.equals(RecordStatistics.LATENCY_MICROS)
                && !statistic.equals(RecordStatistics.INPUT_ZERO_FRACTION);
    }

    private final ProfileTracker profiles;
    private final Sensitivity sensitivity;
    private final int windowSize;
    private final double arl0;
    private final boolean lastValueCache; // see StatisticMonitor: off only to test it
    private final Map<String, ModelDrift> models = new HashMap<>();
    // the last few records' models by the very id string (the record reader's cache hands out one
    // per id), so that interleaved models' records cost no map look-up each
    private final RecentModels<ModelDrift> recentModels = new RecentModels<>();
    private final Function<String, ModelDrift> makeModel = this::newModel;
    private final RepeatFilter repeats = new RepeatFilter();
    private long modelsRefused;

    // The record being scored, so that the visitors below allocate nothing per record.
    private ModelDrift current;
    private InferenceRecord record;
    private long recordIndex;
    private SignalSink recordSink;
    private boolean recordOnStep; // the record's m.seen is a multiple of step(): one division
    private final RecordStatistics.SlotVisitor inputVisitor =
            (slot, v) -> observe(slot, v, SignalType.DATA_DRIFT);
    private final RecordStatistics.SlotVisitor outputVisitor =
            (slot, v) -> observe(slot, v, SignalType.PREDICTION_DRIFT);

    /** Per-model monitors, created when the model's profile becomes available. */
    private final class ModelDrift {
        final Map<String, StatisticMonitor> statistics = new HashMap<>();

        /**
         * The same monitors by {@link RecordStatistics} slot ({@code null}: not in the profile, or
         * not monitored), resolved once here so that each value of each record is an array index.
         */
        final StatisticMonitor[] bySlot = new StatisticMonitor[RecordStatistics.SLOTS];

        final ClassPriorMonitor classes;
        long classesQuietUntil;
        long seen;

        ModelDrift(ModelProfile p) {
            int streams = 0;
            for (String name : p.statistics().keySet()) {
                if (monitored(name)) {
                    streams++;
                }
            }
            for (Map.Entry<String, QuantileSketch> e : p.statistics().entrySet()) {
                if (monitored(e.getKey())) {
                    statistics.put(
                            e.getKey(),
                            new StatisticMonitor(
                                    e.getKey(),
                                    e.getValue(),
                                    windowSize,
                                    arl0 * Math.max(1, streams),
                                    lastValueCache));
                }
            }
            for (Map.Entry<String, StatisticMonitor> e : statistics.entrySet()) {
                int slot = RecordStatistics.slot(e.getKey());
                if (slot >= 0) {
                    bySlot[slot] = e.getValue();
                }
            }
            classes =
                    p.classified() > 0 ? new ClassPriorMonitor(p.classCounts(), windowSize) : null;
        }
    }

    /**
     * @param window values per sliding window (its quarter is the comparison step)
     * @param arl0 the wanted mean number of records of a model between two false CUSUM alarms
     */
    public DriftDetector(ProfileTracker profiles, int window, double arl0) {
        this(profiles, window, arl0, Sensitivity.untuned());
    }

    /**
     * As {@link #DriftDetector(ProfileTracker, int, double)}, with CUSUM thresholds and the PSI
     * limit multiplied by {@code sensitivity}'s multiplier of the signal's type.
     */
    public DriftDetector(
            ProfileTracker profiles, int window, double arl0, Sensitivity sensitivity) {
        this(profiles, window, arl0, sensitivity, true);
    }

    /**
     * As {@link #DriftDetector(ProfileTracker, int, double, Sensitivity)}; {@code lastValueCache}
     * false scores every value anew (the reference the tests compare the cache with).
     */
    DriftDetector(
            ProfileTracker profiles,
            int window,
            double arl0,
            Sensitivity sensitivity,
            boolean lastValueCache) {
        this.lastValueCache = lastValueCache;
        this.sensitivity = sensitivity;
        if (window < 20) {
            throw new IllegalArgumentException("a drift window needs at least 20 records");
        }
        this.profiles = profiles;
        this.windowSize = window;
        this.arl0 = arl0;
    }

    @Override
    public String name() {
        return "drift";
    }

    /**
     * A new model's state from its profile: null before the profile is built or past {@link
     * #MAX_MODELS} models (counted).
     */
    private ModelDrift newModel(String modelId) {
        ModelProfile p = profiles.profile(modelId);
        if (p == null) {
            return null;
        }
        if (models.size() >= MAX_MODELS) {
            modelsRefused++;
            return null;
        }
        return new ModelDrift(p);
    }

    @Override
    public void onInference(InferenceRecord r, long index, SignalSink sink) {
        if (!RecordStatistics.usable(r)) {
            return; // errors and NaN inputs are other detectors' business
        }
        ModelDrift m = recentModels.find(r.modelId, models, makeModel);
        if (m == null) {
            return; // no profile yet, or too many models
        }
        if (repeats.repeat(r)) {
            return; // the same input again: one observation, already counted
        }
        m.seen++;
        recordOnStep = m.seen % step() == 0;
        current = m;
        record = r;
        recordIndex = index;
        recordSink = sink;
        try {
            RecordStatistics.inputSlots(r, inputVisitor);
            RecordStatistics.outputSlots(r, outputVisitor);
        } finally {
            record = null;
            recordSink = null;
            current = null;
        }
        int bin = RecordStatistics.predictedClassBin(r);
        if (bin >= 0 && m.classes != null) {
            m.classes.add(bin);
            if (m.classes.windowFull() && m.seen % step() == 0 && m.seen >= m.classesQuietUntil) {
                classPriors(m, r, index, sink);
            }
        }
    }

    private void classPriors(ModelDrift m, InferenceRecord r, long index, SignalSink sink) {
        double scale = sensitivity.multiplier(SignalType.PREDICTION_DRIFT);
        if (!(m.classes.psi() >= PSI_SHIFT * scale)) {
            return; // the very PSI compare() gives: no shift, so no Jensen–Shannon
        }
        ClassPriorMonitor.Result c = m.classes.compare();
        if (c.psi() >= PSI_SHIFT * scale) {
            m.classesQuietUntil = m.seen + windowSize;
            sink.accept(
                    start(SignalType.PREDICTION_DRIFT, "class_priors_shift", r, index)
                            .evidence("statistic", "predictedClass")
                            .evidence("psi", c.psi())
                            .evidence("jsDivergenceBits", c.js())
                            .evidence("mostChangedClass", c.mostChangedClass())
                            .evidence("referenceShare", c.referenceShare())
                            .evidence("windowShare", c.share())
                            .evidence("windowSize", windowSize)
                            .evidence("psiThreshold", PSI_SHIFT * scale)
                            .evidence("thresholdMultiplier", scale)
                            .build());
        }
    }

    private int step() {
        return Math.max(1, windowSize / 4);
    }

    private void observe(int slot, double v, SignalType type) {
        ModelDrift m = current;
        StatisticMonitor s = m.bySlot[slot];
        if (s == null) {
            return; // not in the profile: nothing to compare with
        }
        double scale = sensitivity.multiplier(type);
        int alarm = s.add(v, scale);
        if (m.seen < s.quietUntil) {
            return;
        }
        if (alarm != 0) {
            s.quietUntil = m.seen + windowSize;
            QuantileSketch ref = s.reference();
            Signal.Builder b =
                    s.cusum()
                            .calibration(
                                    start(type, "cusum_shift", record, recordIndex)
                                            .evidence("statistic", s.name)
                                            .evidence("direction", alarm > 0 ? "up" : "down"),
                                    scale)
                            .evidence("referenceMedian", ref.quantile(0.5))
                            .evidence("referenceP05", ref.quantile(0.05))
                            .evidence("referenceP95", ref.quantile(0.95))
                            .evidence("recentValues", (long) s.filled());
            chartData(b, s.distribution());
            recordSink.accept(b.build());
        } else if (recordOnStep && s.windowFull()) {
            windowTest(m, s, type, scale);
        }
    }

    private void windowTest(ModelDrift m, StatisticMonitor s, SignalType type, double scale) {
        if (!(s.psi() >= PSI_SHIFT * scale)) {
            return; // the very PSI compare() gives: no shift whatever KS says, so no sort
        }
        StatisticMonitor.WindowResult w = s.compare();
        if (w.psi() >= PSI_SHIFT * scale && w.ksPValue() < KS_ALPHA) {
            s.quietUntil = m.seen + windowSize;
            Signal.Builder b =
                    start(type, "window_shift", record, recordIndex)
                            .evidence("statistic", s.name)
                            .evidence("psi", w.psi())
                            .evidence("ksStatistic", w.ks())
                            .evidence("ksPValue", w.ksPValue())
                            .evidence("jsDivergenceBits", w.js())
                            .evidence("referenceMedian", s.reference().quantile(0.5))
                            .evidence("windowMedian", w.windowMedian())
                            .evidence("windowSize", w.n())
                            .evidence("psiThreshold", PSI_SHIFT * scale)
                            .evidence("thresholdMultiplier", scale);
            chartData(b, w.distribution());
            recordSink.accept(b.build());
        }
    }

    /**
     * The reference and recent values binned on the reference's deciles (at most 10 bins), last in
     * the evidence so that reports can draw them and the numbers above stay first for readers.
     */
    private static void chartData(Signal.Builder b, StatisticMonitor.Distribution d) {
        b.evidence("binUpperEdges", d.edges())
                .evidence("referenceShares", d.referenceShares())
                .evidence("recentShares", d.windowShares());
    }

    private static Signal.Builder start(
            SignalType type, String reason, InferenceRecord r, long index) {
        return Signal.builder(type, Severity.MEDIUM, reason)
                .model(r.modelId)
                .client(r.clientId)
                .record(index, r.timestampMillis);
    }

    /**
     * Per model: the record count, quiet periods, each statistic's window and CUSUM, and the class
     * window. References come from the profiles, which {@link ProfileTracker} restores first.
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
                            o.put("seen", m.seen);
                            ObjectNode quiet = o.putObject("quietUntil");
                            if (m.classesQuietUntil > 0) {
                                quiet.put(CLASSES, m.classesQuietUntil);
                            }
                            new TreeMap<>(m.statistics)
                                    .forEach(
                                            (name, s) -> {
                                                if (s.quietUntil > 0) {
                                                    quiet.put(name, s.quietUntil);
                                                }
                                            });
                            ObjectNode stats = o.putObject("statistics");
                            new TreeMap<>(m.statistics)
                                    .forEach((name, s) -> stats.set(name, s.saveState()));
                            if (m.classes != null) {
                                o.set("classes", m.classes.saveState());
                            }
                        });
        return n.toString();
    }

    @Override
    public void restoreState(String state) {
        JsonNode n = DetectorStateJson.parse(state);
        Map<String, ModelDrift> restored = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ModelProfile p = profiles.profile(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("no profile for model " + e.getKey());
            }
            JsonNode o = e.getValue();
            ModelDrift m = new ModelDrift(p);
            m.seen = o.path("seen").asLong();
            o.path("quietUntil").fields().forEachRemaining(q -> quiet(m, q));
            for (Iterator<Map.Entry<String, JsonNode>> s = o.path("statistics").fields();
                    s.hasNext(); ) {
                Map.Entry<String, JsonNode> st = s.next();
                StatisticMonitor monitor = m.statistics.get(st.getKey());
                if (monitor == null) {
                    throw new IllegalArgumentException("statistic not in profile: " + st.getKey());
                }
                monitor.restoreState(st.getValue());
            }
            if (m.classes != null && o.has("classes")) {
                m.classes.restoreState(o.path("classes"));
            }
            restored.put(e.getKey(), m);
        }
        models.clear();
        models.putAll(restored);
        recentModels.clear();
        modelsRefused = n.path("modelsRefused").asLong();
    }

    private static void quiet(ModelDrift m, Map.Entry<String, JsonNode> q) {
        if (q.getKey().equals(CLASSES)) {
            m.classesQuietUntil = q.getValue().asLong();
            return;
        }
        StatisticMonitor s = m.statistics.get(q.getKey());
        if (s == null) {
            throw new IllegalArgumentException("statistic not in profile: " + q.getKey());
        }
        s.quietUntil = q.getValue().asLong();
    }

    /** Inputs skipped because they repeated their client's previous one. */
    public long repeatsSkipped() {
        return repeats.repeats();
    }

    /** Models that got no drift state because {@link #MAX_MODELS} were already tracked. */
    public long modelsRefused() {
        return modelsRefused;
    }
}
