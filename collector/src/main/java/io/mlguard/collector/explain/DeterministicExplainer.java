package io.mlguard.collector.explain;

import static io.mlguard.collector.explain.ExplanationText.clients;
import static io.mlguard.collector.explain.ExplanationText.name;
import static io.mlguard.collector.explain.ExplanationText.number;
import static io.mlguard.collector.explain.ExplanationText.plural;

import io.mlguard.collector.incident.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes explanations from templates and the incident's evidence: always available, instant and
 * reproducible. Client identities are never quoted (only counted), and the model id and input names
 * are cut and stripped of control characters; renderers still escape everything. Input problems and
 * model substitution are here; behavioural types are in {@link BehaviourTemplates}.
 */
public final class DeterministicExplainer implements Explainer {
    public static final String NAME = "deterministic";

    @Override
    public Explanation explain(Incident incident) {
        return explain(IncidentFacts.of(incident));
    }

    /** Explains by the type's wire name, so types of future detectors have templates already. */
    public Explanation explain(IncidentFacts f) {
        switch (f.type()) {
            case "invalid_input":
                return invalidInput(f);
            case "model_substitution":
                return modelSubstitution(f);
            case "query_attack":
                return BehaviourTemplates.queryAttack(f);
            case "extraction":
                return BehaviourTemplates.extraction(f);
            case "data_drift":
                return BehaviourTemplates.dataDrift(f);
            case "prediction_drift":
                return BehaviourTemplates.predictionDrift(f);
            case "operational":
                return BehaviourTemplates.operational(f);
            default:
                return ExplanationText.build(
                        f,
                        plural(f.count(), "signal")
                                + " of type "
                                + name(f.type())
                                + " about model "
                                + name(f.model())
                                + ExplanationText.evidenceList(f)
                                + ".",
                        "No explanation template exists for this incident type yet.",
                        List.of("Review the evidence of this incident."),
                        null,
                        0.3,
                        List.of(ResponseAction.INVESTIGATE),
                        List.copyOf(f.evidence().keySet()));
        }
    }

    private static Explanation invalidInput(IncidentFacts f) {
        Map<String, Object> ev = f.evidence();
        long nan = f.reasonCount("nan_or_inf");
        long range = f.reasonCount("out_of_range");
        String input = name(ev.get("input"));
        StringBuilder summary = new StringBuilder();
        summary.append(plural(f.count(), "request"))
                .append(" to model ")
                .append(name(f.model()))
                .append(" from ")
                .append(clients(f))
                .append(" carried invalid input");
        List<String> parts = new ArrayList<>();
        if (nan > 0) {
            parts.add(nan + " with NaN or infinite values");
        }
        if (range > 0) {
            parts.add(
                    range
                            + " outside the range seen in the reference window (latest: input "
                            + input
                            + " spans ["
                            + number(ev.get("observedMin"))
                            + ", "
                            + number(ev.get("observedMax"))
                            + "], reference ["
                            + number(ev.get("referenceMin"))
                            + ", "
                            + number(ev.get("referenceMax"))
                            + "])");
        }
        summary.append(": ").append(String.join("; ", parts)).append('.');

        String cause =
                nan > 0
                        ? "NaN or infinite values do not occur in real data: either the client's"
                                + " preprocessing is broken (division by zero, a failed parse), or"
                                + " someone is probing how the model and its error handling cope"
                                + " with poisoned numbers."
                        : "Values far outside what the model saw in its reference window: an"
                                + " evasion or probing attempt, a client that sends unnormalised"
                                + " data (wrong scaling, wrong units), or an upstream data change.";
        List<String> actions = new ArrayList<>();
        actions.add(
                "Validate inputs at the API boundary: reject NaN/Inf"
                        + (range > 0
                                ? " and values of input "
                                        + input
                                        + " outside ["
                                        + number(ev.get("allowedMin"))
                                        + ", "
                                        + number(ev.get("allowedMax"))
                                        + "]"
                                : "")
                        + " before they reach the model.");
        actions.add(
                "Look at this client's recent requests; if it is not a known integration with a"
                        + " bug, throttle or block it.");
        actions.add(
                "If other clients show the same incident, suspect an upstream pipeline or"
                        + " preprocessing change rather than an attack.");
        return ExplanationText.build(
                f,
                summary.toString(),
                cause,
                actions,
                AtlasTechnique.CRAFT_ADVERSARIAL_DATA,
                nan > 0 ? 0.6 : 0.5,
                List.of(
                        ResponseAction.INVESTIGATE,
                        ResponseAction.THROTTLE_CLIENT,
                        ResponseAction.REVIEW_DATA_PIPELINE),
                ExplanationText.present(
                        f,
                        "input",
                        "nanCount",
                        "infCount",
                        "observedMin",
                        "observedMax",
                        "referenceMin",
                        "referenceMax",
                        "allowedMin",
                        "allowedMax"));
    }

    private static Explanation modelSubstitution(IncidentFacts f) {
        Map<String, Object> ev = f.evidence();
        String expected = name(ev.getOrDefault("expectedHashPrefix", "unknown"));
        String observed = name(ev.get("observedHashPrefix"));
        boolean allowList = f.reasons().keySet().stream().anyMatch(r -> r.contains("allow_list"));
        String summary =
                "Model "
                        + name(f.model())
                        + " is running with bytes whose SHA-256 starts with "
                        + observed
                        + (allowList
                                ? ", which is not in the allow-list"
                                : ", but it was first loaded with " + expected)
                        + (ev.containsKey("sizeBytes")
                                ? " (loaded from "
                                        + name(ev.get("source"))
                                        + ", "
                                        + ev.get("sizeBytes")
                                        + " bytes)"
                                : "")
                        + "; "
                        + plural(f.count(), "signal")
                        + " affecting "
                        + clients(f)
                        + ".";
        String cause =
                "The model file was replaced: tampering with the model directory or artifact store"
                        + " (a backdoored or poisoned model), a supply-chain compromise, or an"
                        + " unannounced deployment that skipped the release process.";
        List<String> actions = new ArrayList<>();
        actions.add(
                "Stop serving model "
                        + name(f.model())
                        + " or roll back to the known-good artifact"
                        + (allowList ? " listed in the allow-list." : " (hash " + expected + ")."));
        actions.add(
                "Compare the file on disk with the artifact in your registry (sha256sum) and find"
                        + " out who or what wrote it.");
        actions.add(
                "If this is a legitimate new version, add its hash to the allow-list"
                        + " (--allow-list) and restart the collector.");
        actions.add(
                "Review write access to the model directory and the deployment pipeline's recent"
                        + " runs.");
        return ExplanationText.build(
                f,
                summary,
                cause,
                actions,
                AtlasTechnique.SUPPLY_CHAIN_MODEL,
                0.7,
                List.of(ResponseAction.VERIFY_MODEL_HASH, ResponseAction.ROLLBACK_MODEL),
                ExplanationText.present(
                        f, "observedHashPrefix", "expectedHashPrefix", "sizeBytes", "source"));
    }
}
