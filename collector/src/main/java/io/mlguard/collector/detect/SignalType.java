package io.mlguard.collector.detect;

/**
 * The kinds of signal detectors raise, which are also the incident types of the API.
 *
 * <p>{@link #perClient()} says whether incidents are grouped per client: a bad input is the act of
 * one client, whereas a substituted model concerns everyone who calls it, so its signals are
 * grouped per model and the clients that hit it are listed in the one incident.
 */
public enum SignalType {
    INVALID_INPUT("invalid_input", true),
    MODEL_SUBSTITUTION("model_substitution", false),
    /** Inputs or their summary statistics no longer look like the model's reference traffic. */
    DATA_DRIFT("data_drift", false),
    /** The model's answers (class priors, confidence) no longer look like its reference. */
    PREDICTION_DRIFT("prediction_drift", false),
    /** One client (or clients acting together) sends many near-duplicate queries. */
    QUERY_ATTACK("query_attack", true),
    /** One client's queries look synthetic, as model-extraction queries do. */
    EXTRACTION("extraction", true),
    /** Error rate, latency or throughput of a model moved away from its baseline. */
    OPERATIONAL("operational", false);

    private final String wireName;
    private final boolean perClient;

    SignalType(String wireName, boolean perClient) {
        this.wireName = wireName;
        this.perClient = perClient;
    }

    public String wireName() {
        return wireName;
    }

    public boolean perClient() {
        return perClient;
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    public static SignalType ofWireName(String s) {
        for (SignalType t : values()) {
            if (t.wireName.equals(s)) {
                return t;
            }
        }
        StringBuilder known = new StringBuilder();
        for (SignalType t : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(t.wireName);
        }
        throw new IllegalArgumentException(
                "unknown incident type '" + s + "'; expected one of " + known);
    }
}
