package io.mlguard.protocol;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * A command from the collector to the agents, written to the control queue: block or throttle a
 * client for a time, record only some of a client's inferences for a time, or lift such rules.
 * Every command expires; an agent ignores expired ones.
 *
 * <p>Body layout after the {@link Records} envelope, version 1: {@code i64 timestampMillis, u8
 * action, str clientId, str model, i64 expiresAtMillis, f64 ratePerSecond, str reason, str
 * issuedBy}. A {@link Action#SAMPLE} command carries {@link #recordEvery} in the place of {@code
 * ratePerSecond}, which it has no use for: the layout stays the same (an agent from before it reads
 * the unknown action as a malformed record and skips it).
 */
public final class ControlRecord {
    /** What a command does. */
    public enum Action {
        /** Refuse every inference of the client until the command expires. */
        BLOCK,
        /** Allow at most {@code ratePerSecond} inferences a second until it expires. */
        THROTTLE,
        /** Lift any rule for the client. */
        LIFT,
        /**
         * Record one inference in {@code recordEvery} of the client ({@link #EVERY_CLIENT}: of
         * every client without a rule of its own) until it expires; the others run unrecorded, and
         * are counted. {@code recordEvery} 1 records every inference again.
         */
        SAMPLE;

        private static final Action[] VALUES = values();

        static Action ofCode(int code) {
            if (code < 0 || code >= VALUES.length) {
                throw new RecordFormatException("unknown control action " + code);
            }
            return VALUES[code];
        }
    }

    public long timestampMillis;
    public Action action = Action.BLOCK;
    public String clientId;

    /** The model the rule applies to, or {@code null} for all models. */
    public String model;

    /** The client id of a {@link Action#SAMPLE} command for every client. */
    public static final String EVERY_CLIENT = "*";

    /** The most a {@link Action#SAMPLE} command's {@code recordEvery} may be. */
    public static final int MAX_RECORD_EVERY = 1 << 20;

    public long expiresAtMillis;

    /** For {@link Action#THROTTLE}: the most inferences a second. */
    public double ratePerSecond;

    /** For {@link Action#SAMPLE}: one inference in this many is recorded, from 1 (every one). */
    public int recordEvery;

    public String reason;
    public String issuedBy;

    public void writeTo(BytesOut<?> out) {
        Records.writeHeader(out, RecordType.CONTROL);
        out.writeLong(timestampMillis);
        out.writeUnsignedByte(action.ordinal());
        Records.writeString(out, clientId);
        Records.writeString(out, model);
        out.writeLong(expiresAtMillis);
        out.writeDouble(action == Action.SAMPLE ? recordEvery : ratePerSecond);
        Records.writeString(out, reason);
        Records.writeString(out, issuedBy);
    }

    void readBody(BytesIn<?> in) {
        timestampMillis = in.readLong();
        action = Action.ofCode(in.readUnsignedByte());
        clientId = Records.readString(in, "clientId");
        model = Records.readString(in, "model");
        expiresAtMillis = in.readLong();
        double rate = in.readDouble();
        reason = Records.readString(in, "reason");
        issuedBy = Records.readString(in, "issuedBy");
        if (clientId == null || clientId.isEmpty()) {
            throw new RecordFormatException("control record without a client id");
        }
        if (action == Action.SAMPLE) {
            if (!(rate >= 1 && rate <= MAX_RECORD_EVERY && rate == Math.rint(rate))) {
                throw new RecordFormatException(
                        "sample recording one inference in "
                                + rate
                                + " (a whole number from 1 to "
                                + MAX_RECORD_EVERY
                                + ")");
            }
            recordEvery = (int) rate;
            ratePerSecond = 0;
        } else {
            ratePerSecond = rate;
            recordEvery = 0;
        }
        if (action == Action.THROTTLE && !(ratePerSecond > 0)) {
            throw new RecordFormatException("throttle with rate " + ratePerSecond);
        }
    }

    @Override
    public String toString() {
        return action
                + " client="
                + clientId
                + (model == null ? "" : " model=" + model)
                + " until="
                + expiresAtMillis
                + (action == Action.THROTTLE ? " rate=" + ratePerSecond + "/s" : "")
                + (action == Action.SAMPLE ? " recordEvery=" + recordEvery : "")
                + " reason="
                + reason;
    }
}
