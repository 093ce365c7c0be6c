package io.mlguard.collector.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One observation by a detector: something about one record looked wrong. Signals are grouped into
 * incidents; a signal carries the numbers behind it ({@link #evidence()}), never raw input data.
 */
public final class Signal {
    private final SignalType type;
    private final Severity severity;
    private final String reason;
    private final String model;
    private final String client;
    private final long recordIndex;
    private final long timestampMillis;
    private final Map<String, Object> evidence;

    private Signal(Builder b) {
        this.type = Objects.requireNonNull(b.type, "type");
        this.severity = Objects.requireNonNull(b.severity, "severity");
        this.reason = Objects.requireNonNull(b.reason, "reason");
        this.model = b.model;
        this.client = b.client;
        this.recordIndex = b.recordIndex;
        this.timestampMillis = b.timestampMillis;
        this.evidence = Collections.unmodifiableMap(new LinkedHashMap<>(b.evidence));
    }

    public static Builder builder(SignalType type, Severity severity, String reason) {
        return new Builder(type, severity, reason);
    }

    public SignalType type() {
        return type;
    }

    public Severity severity() {
        return severity;
    }

    /** A short machine name for what was seen, e.g. {@code nan_or_inf}, {@code hash_changed}. */
    public String reason() {
        return reason;
    }

    /** The model id, or {@code null} when the record had none. */
    public String model() {
        return model;
    }

    /** The client identity behind the record, or {@code null} when there was none. */
    public String client() {
        return client;
    }

    /** The queue index of the record that raised the signal. */
    public long recordIndex() {
        return recordIndex;
    }

    /** The record's own time (epoch ms), not the collector's. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** Named numbers and short strings, in the order the detector put them. */
    public Map<String, Object> evidence() {
        return evidence;
    }

    @Override
    public String toString() {
        return type.wireName() + "/" + severity.wireName() + "/" + reason + " " + evidence;
    }

    /** Builds a {@link Signal}. */
    public static final class Builder {
        private final SignalType type;
        private final Severity severity;
        private final String reason;
        private String model;
        private String client;
        private long recordIndex;
        private long timestampMillis;
        private final Map<String, Object> evidence = new LinkedHashMap<>();

        private Builder(SignalType type, Severity severity, String reason) {
            this.type = type;
            this.severity = severity;
            this.reason = reason;
        }

        public Builder model(String m) {
            this.model = m;
            return this;
        }

        public Builder client(String c) {
            this.client = c;
            return this;
        }

        /** Where the record is in the queue and when it was written. */
        public Builder record(long index, long timestamp) {
            this.recordIndex = index;
            this.timestampMillis = timestamp;
            return this;
        }

        /** Adds a number; non-finite values become strings, since JSON has no NaN. */
        public Builder evidence(String name, double value) {
            evidence.put(name, Double.isFinite(value) ? (Object) value : String.valueOf(value));
            return this;
        }

        public Builder evidence(String name, long value) {
            evidence.put(name, value);
            return this;
        }

        /**
         * Adds a short series (chart data such as a binned distribution); non-finite values become
         * {@code null}. Detectors bound the length: evidence is numbers, never raw data.
         */
        public Builder evidence(String name, double[] values) {
            List<Double> list = new ArrayList<>(values.length);
            for (double v : values) {
                list.add(Double.isFinite(v) ? v : null);
            }
            evidence.put(name, Collections.unmodifiableList(list));
            return this;
        }

        /** Adds a short series of whole numbers (e.g. counts over time). */
        public Builder evidence(String name, long[] values) {
            List<Long> list = new ArrayList<>(values.length);
            for (long v : values) {
                list.add(v);
            }
            evidence.put(name, Collections.unmodifiableList(list));
            return this;
        }

        public Builder evidence(String name, String value) {
            if (value != null) {
                evidence.put(name, value);
            }
            return this;
        }

        public Signal build() {
            return new Signal(this);
        }
    }
}
