package io.mlguard.collector.explain;

import io.mlguard.collector.detect.Severity;
import java.util.List;
import java.util.Objects;

/**
 * What an incident means for an operator: a summary, the likely cause, the attack technique (MITRE
 * ATLAS), a severity and confidence, what to do (free text and from the allowed {@link
 * ResponseAction} list) and the evidence keys it relies on. The text may quote model ids and other
 * outside strings; whoever renders it must escape it.
 */
public final class Explanation {
    /** Written by the deterministic templates. */
    public static final String SOURCE_DETERMINISTIC = "deterministic";

    /** Written by an LLM and accepted by the guardrails. */
    public static final String SOURCE_LLM = "llm";

    private final String summary;
    private final String likelyCause;
    private final List<String> recommendedActions;
    private final String generatedBy;
    private final String source;
    private final AtlasTechnique technique;
    private final Severity severity;
    private final double confidence;
    private final List<ResponseAction> actions;
    private final List<String> citedEvidence;
    private final String fallbackReason;

    /** A plain deterministic explanation with no structured fields (kept for old callers). */
    public Explanation(
            String summary,
            String likelyCause,
            List<String> recommendedActions,
            String generatedBy) {
        this(
                summary,
                likelyCause,
                recommendedActions,
                generatedBy,
                SOURCE_DETERMINISTIC,
                null,
                null,
                0,
                List.of(),
                List.of(),
                null);
    }

    public Explanation(
            String summary,
            String likelyCause,
            List<String> recommendedActions,
            String generatedBy,
            String source,
            AtlasTechnique technique,
            Severity severity,
            double confidence,
            List<ResponseAction> actions,
            List<String> citedEvidence,
            String fallbackReason) {
        this.summary = Objects.requireNonNull(summary, "summary");
        this.likelyCause = Objects.requireNonNull(likelyCause, "likelyCause");
        this.recommendedActions = List.copyOf(recommendedActions);
        this.generatedBy = Objects.requireNonNull(generatedBy, "generatedBy");
        this.source = Objects.requireNonNull(source, "source");
        this.technique = technique;
        this.severity = severity;
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
        }
        this.confidence = confidence;
        this.actions = List.copyOf(actions);
        this.citedEvidence = List.copyOf(citedEvidence);
        this.fallbackReason = fallbackReason;
    }

    /** This explanation, recording why a better one (an LLM's) was not used. */
    public Explanation withFallbackReason(String reason) {
        return new Explanation(
                summary,
                likelyCause,
                recommendedActions,
                generatedBy,
                source,
                technique,
                severity,
                confidence,
                actions,
                citedEvidence,
                reason);
    }

    public String summary() {
        return summary;
    }

    public String likelyCause() {
        return likelyCause;
    }

    /** Actions in words, with the incident's numbers; see {@link #actions()} for the codes. */
    public List<String> recommendedActions() {
        return recommendedActions;
    }

    /** Which explainer wrote it, e.g. {@code deterministic} or {@code llm:<model>}. */
    public String generatedBy() {
        return generatedBy;
    }

    /** {@link #SOURCE_DETERMINISTIC} or {@link #SOURCE_LLM}. */
    public String source() {
        return source;
    }

    /** The ATLAS technique, or {@code null} when none fits (e.g. a benign drift). */
    public AtlasTechnique technique() {
        return technique;
    }

    /** The explainer's severity (never below the detector's), or {@code null} if not given. */
    public Severity severity() {
        return severity;
    }

    /** How sure the explainer is of the likely cause, in [0, 1]. */
    public double confidence() {
        return confidence;
    }

    /** Recommended actions from the allowed list, most urgent first. */
    public List<ResponseAction> actions() {
        return actions;
    }

    /** The evidence keys of the incident this explanation relies on. */
    public List<String> citedEvidence() {
        return citedEvidence;
    }

    /** Why an LLM's explanation was not used, or {@code null}. */
    public String fallbackReason() {
        return fallbackReason;
    }
}
