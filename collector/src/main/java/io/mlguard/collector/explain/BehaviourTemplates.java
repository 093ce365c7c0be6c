package io.mlguard.collector.explain;

import static io.mlguard.collector.explain.ExplanationText.build;
import static io.mlguard.collector.explain.ExplanationText.clients;
import static io.mlguard.collector.explain.ExplanationText.evidenceList;
import static io.mlguard.collector.explain.ExplanationText.name;
import static io.mlguard.collector.explain.ExplanationText.plural;

import java.util.ArrayList;
import java.util.List;

/**
 * Templates for behavioural incident types: query attacks, extraction, drift and operational
 * anomalies. Their detectors name their own evidence, so the summary lists whatever numbers the
 * incident carries and every one of them is cited.
 */
final class BehaviourTemplates {
    private BehaviourTemplates() {}

    static Explanation queryAttack(IncidentFacts f) {
        return build(
                f,
                plural(f.count(), "signal")
                        + " of a query-based attack on model "
                        + name(f.model())
                        + " from "
                        + clients(f)
                        + ": "
                        + queryAttackPattern(f)
                        + ", the pattern of black-box adversarial search"
                        + evidenceList(f)
                        + ".",
                "A client is searching for an adversarial example by querying the model many"
                        + " times with perturbations of one input (HopSkipJump, Boundary or"
                        + " score-based attacks such as Square). Benign clients rarely send long"
                        + " runs of near-identical inputs or edit parts of their own earlier"
                        + " queries; retries and video frames are the usual exceptions.",
                List.of(
                        "Throttle this client now; block it if the pattern continues after"
                                + " throttling.",
                        "Check whether the client is a known integration that resubmits inputs"
                                + " (retries, frames); if so, mark this incident a false"
                                + " positive.",
                        "Consider returning labels instead of scores to this client: scores make"
                                + " black-box search cheaper."),
                AtlasTechnique.BLACK_BOX_OPTIMIZATION,
                0.6,
                List.of(ResponseAction.THROTTLE_CLIENT, ResponseAction.BLOCK_CLIENT),
                List.copyOf(f.evidence().keySet()));
    }

    /**
     * What the query attack's signals saw, by their reasons (the detector's tests differ: a reader
     * must not be told of near-duplicates that a windowed test found no trace of).
     */
    static String queryAttackPattern(IncidentFacts f) {
        List<String> seen = new ArrayList<>();
        if (f.reasonCount("near_duplicate_queries") > 0) {
            seen.add("the client's queries are near-duplicates of each other");
        }
        if (f.reasonCount("near_duplicate_queries_across_clients") > 0) {
            seen.add("near-duplicate queries arrive from several client ids");
        }
        if (f.reasonCount("windowed_changes") > 0) {
            seen.add(
                    "many of the client's queries rewrite one window of one of its recent"
                            + " queries and leave the rest unchanged");
        }
        if (f.reasonCount("out_of_profile_windowed_changes") > 0) {
            seen.add(
                    "the client's inputs lie outside the model's reference profile (fraction of"
                            + " zeros or mean of the non-zero values, as a perturbation of the"
                            + " whole image makes them) and each rewrites a window of one of its"
                            + " recent queries");
        }
        if (seen.isEmpty()) {
            return "the client's queries are perturbations of each other";
        }
        return String.join("; ", seen);
    }

    static Explanation extraction(IncidentFacts f) {
        return build(
                f,
                plural(f.count(), "signal")
                        + " of model extraction against model "
                        + name(f.model())
                        + " from "
                        + clients(f)
                        + ": the queries cover the input space the way a copying attack does,"
                        + " not the way real traffic does"
                        + evidenceList(f)
                        + ".",
                "A client is harvesting the model's answers to train a copy (model stealing):"
                        + " query distances and coverage look synthetic, and query volume is high"
                        + " for one client.",
                List.of(
                        "Throttle this client and review its account or API key.",
                        "Block the client if it has no business need for this volume of"
                                + " queries.",
                        "Reduce what answers reveal (top-1 label, rounded scores) for"
                                + " untrusted clients."),
                AtlasTechnique.EXTRACT_MODEL,
                0.55,
                List.of(
                        ResponseAction.THROTTLE_CLIENT,
                        ResponseAction.BLOCK_CLIENT,
                        ResponseAction.INVESTIGATE),
                List.copyOf(f.evidence().keySet()));
    }

    static Explanation dataDrift(IncidentFacts f) {
        return build(
                f,
                "The inputs to model "
                        + name(f.model())
                        + " no longer look like its reference data ("
                        + plural(f.count(), "drift signal")
                        + ", "
                        + clients(f)
                        + ")"
                        + evidenceList(f)
                        + ".",
                "Most often a benign change upstream: a new data source, a changed"
                        + " preprocessing step or seasonal shift. When it coincides with few"
                        + " clients or with a retraining that used live data, consider data"
                        + " poisoning.",
                List.of(
                        "Review recent changes to the data pipeline and preprocessing.",
                        "If the drift is real and lasting, retrain or recalibrate on vetted"
                                + " recent data.",
                        "If a few clients cause the drift, investigate them before retraining on"
                                + " their data."),
                AtlasTechnique.POISON_TRAINING_DATA,
                0.4,
                List.of(
                        ResponseAction.REVIEW_DATA_PIPELINE,
                        ResponseAction.INVESTIGATE,
                        ResponseAction.RETRAIN_MODEL),
                List.copyOf(f.evidence().keySet()));
    }

    static Explanation predictionDrift(IncidentFacts f) {
        return build(
                f,
                "The predictions of model "
                        + name(f.model())
                        + " have shifted (class priors or confidence; "
                        + plural(f.count(), "signal")
                        + ")"
                        + evidenceList(f)
                        + ".",
                "The model's outputs changed while the model did not: the inputs changed"
                        + " (see data drift), the world changed, or someone is steering the model"
                        + " with crafted inputs. A substituted model shows up as"
                        + " model_substitution instead.",
                List.of(
                        "Compare with data drift incidents for the same model and time.",
                        "Verify the served model's hash against the registry.",
                        "Retrain or recalibrate if the shift is real and lasting."),
                AtlasTechnique.ERODE_MODEL_INTEGRITY,
                0.4,
                List.of(
                        ResponseAction.INVESTIGATE,
                        ResponseAction.VERIFY_MODEL_HASH,
                        ResponseAction.RETRAIN_MODEL),
                List.copyOf(f.evidence().keySet()));
    }

    static Explanation operational(IncidentFacts f) {
        return build(
                f,
                "Model "
                        + name(f.model())
                        + " shows an operational anomaly (errors, latency or throughput; "
                        + plural(f.count(), "signal")
                        + ", "
                        + clients(f)
                        + ")"
                        + evidenceList(f)
                        + ".",
                "Usually an infrastructure problem (resources, a dependency, a bad deployment);"
                        + " when one or few clients drive the load or the errors, it can be a"
                        + " denial-of-service attempt against the model.",
                List.of(
                        "Check the server's resources and recent deployments.",
                        "If one client drives the load, throttle it.",
                        "Verify the served model's hash if the anomaly started with a reload."),
                AtlasTechnique.DENIAL_OF_SERVICE,
                0.35,
                List.of(ResponseAction.INVESTIGATE, ResponseAction.THROTTLE_CLIENT),
                List.copyOf(f.evidence().keySet()));
    }
}
