package io.mlguard.protocol;

/** The kinds of record in an mlguard queue; the code is the byte after the schema version. */
public enum RecordType {
    /** One inference call: {@link InferenceRecord}. */
    INFERENCE(1),
    /** One model load: {@link ModelLoadRecord}. */
    MODEL_LOAD(2),
    /** A command to the agents, in the control queue: {@link ControlRecord}. */
    CONTROL(3),
    /** The agent's own counters, every few seconds: {@link AgentStatsRecord}. */
    AGENT_STATS(4);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the type for a code, or {@code null} for a code this reader does not know. */
    public static RecordType ofCode(int code) {
        switch (code) {
            case 1:
                return INFERENCE;
            case 2:
                return MODEL_LOAD;
            case 3:
                return CONTROL;
            case 4:
                return AGENT_STATS;
            default:
                return null;
        }
    }
}
