package io.mlguard.collector.explain;

import io.mlguard.collector.incident.Incident;

/**
 * Turns an incident's evidence into an {@link Explanation}. The deterministic implementation is
 * always there; other implementations (an LLM) must fall back to it rather than fail.
 */
public interface Explainer {
    Explanation explain(Incident incident);
}
