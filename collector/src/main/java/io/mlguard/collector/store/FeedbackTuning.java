package io.mlguard.collector.store;

import io.mlguard.collector.detect.Sensitivity;
import io.mlguard.collector.detect.SignalType;
import io.mlguard.collector.incident.DetectorTuning;
import io.mlguard.collector.incident.Feedback;
import io.mlguard.collector.incident.FeedbackRecorder;
import io.mlguard.collector.incident.Incident;
import io.mlguard.collector.incident.ThresholdTuner;
import io.mlguard.collector.incident.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores verdicts and lets them tune the detectors: each verdict moves its incident type's state by
 * {@link ThresholdTuner}, the verdict and the new state are committed in one transaction, and only
 * then is the new multiplier published to the detectors through {@link #sensitivity()}. The stored
 * states are published at start, before ingest, so a restart keeps the tuning.
 */
public final class FeedbackTuning implements FeedbackRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackTuning.class);

    private final StoredFeedback feedback;
    private final Sensitivity sensitivity = new Sensitivity();
    private final Map<SignalType, DetectorTuning> states = new ConcurrentHashMap<>();

    FeedbackTuning(StoredFeedback feedback, List<DetectorTuning> stored) {
        this.feedback = feedback;
        for (SignalType t : SignalType.values()) {
            states.put(t, ThresholdTuner.initial(t));
        }
        for (DetectorTuning s : stored) {
            publish(s);
        }
    }

    /**
     * Stores the verdict and applies it to the incident's type.
     *
     * @throws IllegalStateException when it could not be stored; nothing changed then
     */
    @Override
    public synchronized void record(Incident incident, Feedback f) {
        if (!incident.id().equals(f.incidentId())) {
            throw new IllegalArgumentException("feedback on another incident");
        }
        Verdict previous = latestVerdict(feedback.forIncident(incident.id()));
        DetectorTuning before = states.get(incident.type());
        DetectorTuning after =
                ThresholdTuner.tunes(incident.type(), incident.reasons().keySet())
                        ? ThresholdTuner.apply(before, previous, f.verdict())
                        : before;
        feedback.add(f, after.equals(before) ? null : after);
        publish(after);
        if (after.level() != before.level()) {
            LOG.info(
                    "feedback on {} ({}): {} threshold multiplier {} -> {}",
                    incident.id(),
                    f.verdict().wireName(),
                    incident.type().wireName(),
                    before.multiplier(),
                    after.multiplier());
        }
    }

    private void publish(DetectorTuning s) {
        states.put(s.type(), s);
        sensitivity.set(s.type(), s.multiplier());
    }

    /** The latest verdict in {@code feedback}, or {@code null}. */
    public static Verdict latestVerdict(List<Feedback> feedback) {
        return feedback.isEmpty() ? null : feedback.get(feedback.size() - 1).verdict();
    }

    /** What the detectors read: the current multipliers. */
    public Sensitivity sensitivity() {
        return sensitivity;
    }

    /** The current state of one type. */
    public DetectorTuning state(SignalType type) {
        return states.get(type);
    }

    /** The current state of every type, in the types' order. */
    public List<DetectorTuning> states() {
        List<DetectorTuning> all = new ArrayList<>();
        for (SignalType t : SignalType.values()) {
            all.add(states.get(t));
        }
        return all;
    }
}
