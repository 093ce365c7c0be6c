package io.mlguard.collector.explain;

import java.util.Locale;

/**
 * The only actions an explanation may recommend. An LLM answer that names anything else is
 * rejected, so an operator (or a response policy) never sees an action nobody has vetted.
 */
public enum ResponseAction {
    BLOCK_CLIENT("Block the client through the control channel."),
    THROTTLE_CLIENT("Throttle the client through the control channel."),
    ROLLBACK_MODEL("Roll back to the last known-good model artifact."),
    VERIFY_MODEL_HASH("Compare the served model's SHA-256 with the artifact registry."),
    REVIEW_DATA_PIPELINE("Review the upstream data and preprocessing pipeline."),
    RETRAIN_MODEL("Retrain or recalibrate the model on current, vetted data."),
    INVESTIGATE("Investigate the evidence by hand before acting."),
    NO_ACTION("No action needed.");

    private final String description;

    ResponseAction(String description) {
        this.description = description;
    }

    /** The name used in JSON and in LLM answers, e.g. {@code block_client}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} for anything not listed. */
    public static ResponseAction ofWireName(String s) {
        for (ResponseAction a : values()) {
            if (a.wireName().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("action outside the allowed list: " + s);
    }
}
