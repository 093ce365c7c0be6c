package io.mlguard.collector.explain.llm;

import java.util.Locale;

/**
 * What may leave the host unmasked in a prompt. Nothing by default: client identities, network
 * addresses, e-mail addresses, tokens, model names and raw feature values all become placeholders.
 */
public enum Disclosure {
    CLIENT_IDS,
    NETWORK_ADDRESSES,
    MODEL_NAMES,
    FEATURE_VALUES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Disclosure ofWireName(String s) {
        for (Disclosure d : values()) {
            if (d.wireName().equals(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown disclose value '"
                        + s
                        + "'; expected client_ids, network_addresses, model_names or"
                        + " feature_values");
    }
}
