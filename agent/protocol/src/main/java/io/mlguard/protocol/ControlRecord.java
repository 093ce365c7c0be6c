package io.mlguard.protocol;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * A command from the collector to the agents, written to the control queue: block or throttle a
 * client for a time, or lift such a rule. Every command expires; an agent ignores expired ones.
 *
 * <p>Body layout after the {@link Records} envelope, version 1: {@code i64 timestampMillis, u8
 * action, str clientId, str model, i64 expiresAtMillis, f64 ratePerSecond, str reason, str
 * issuedBy}.
 */
public final class ControlRecord {
    /** What a command does. */
    public enum Action {
        /** Refuse every inference of the client until the command expires. */
        BLOCK,
        /** Allow at most {@code ratePerSecond} inferences a second until it expires. */
        THROTTLE,
        /** Lift any rule for the client. */
        LIFT;

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

    public long expiresAtMillis;
    public double ratePerSecond;
    public String reason;
    public String issuedBy;

    public void writeTo(BytesOut<?> out) {
        Records.writeHeader(out, RecordType.CONTROL);
        out.writeLong(timestampMillis);
        out.writeUnsignedByte(action.ordinal());
        Records.writeString(out, clientId);
        Records.writeString(out, model);
        out.writeLong(expiresAtMillis);
        out.writeDouble(ratePerSecond);
        Records.writeString(out, reason);
        Records.writeString(out, issuedBy);
    }

    void readBody(BytesIn<?> in) {
        timestampMillis = in.readLong();
        action = Action.ofCode(in.readUnsignedByte());
        clientId = Records.readString(in, "clientId");
        model = Records.readString(in, "model");
        expiresAtMillis = in.readLong();
        ratePerSecond = in.readDouble();
        reason = Records.readString(in, "reason");
        issuedBy = Records.readString(in, "issuedBy");
        if (clientId == null || clientId.isEmpty()) {
            throw new RecordFormatException("control record without a client id");
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
                + " reason="
                + reason;
    }
}
