package io.mlguard.collector.explain;

import java.util.List;
import java.util.Objects;

/**
 * What an incident means for an operator: a summary, the likely cause and what to do. The text may
 * quote model ids and other outside strings; whoever renders it must escape it.
 */
public final class Explanation {
    private final String summary;
    private final String likelyCause;
    private final List<String> recommendedActions;
    private final String generatedBy;

    public Explanation(
            String summary,
            String likelyCause,
            List<String> recommendedActions,
            String generatedBy) {
        this.summary = Objects.requireNonNull(summary, "summary");
        this.likelyCause = Objects.requireNonNull(likelyCause, "likelyCause");
        this.recommendedActions = List.copyOf(recommendedActions);
        this.generatedBy = Objects.requireNonNull(generatedBy, "generatedBy");
    }

    public String summary() {
        return summary;
    }

    public String likelyCause() {
        return likelyCause;
    }

    public List<String> recommendedActions() {
        return recommendedActions;
    }

    /** Which explainer wrote it, e.g. {@code deterministic}. */
    public String generatedBy() {
        return generatedBy;
    }
}
