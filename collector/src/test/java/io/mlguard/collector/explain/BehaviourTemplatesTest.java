package io.mlguard.collector.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.detect.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BehaviourTemplatesTest {
    @ParameterizedTest
    @CsvSource({
        "query_attack, AML.T0043.001, throttle_client, adversarial search",
        "extraction, AML.T0024.002, throttle_client, model extraction",
        "data_drift, AML.T0020, review_data_pipeline, no longer look like",
        "prediction_drift, AML.T0031, investigate, predictions",
        "operational, AML.T0029, investigate, operational anomaly",
        "something_new, , investigate, something_new"
    })
    void everyTypeGetsAnActionableStructuredExplanation(
            String type, String technique, String firstAction, String phrase) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("score", 0.93);
        ev.put("queries", 1200L);
        IncidentFacts f =
                new IncidentFacts(
                        "inc-1",
                        type,
                        Severity.HIGH,
                        "fraud\nmodel",
                        List.of("<script>"),
                        0,
                        12,
                        1L,
                        2L,
                        ev,
                        Map.of("r", 12L));

        Explanation e = new DeterministicExplainer().explain(f);

        assertThat(e.source()).isEqualTo("deterministic");
        assertThat(e.summary()).contains(phrase).contains("\"fraud?model\"").contains("1200");
        assertThat(e.summary() + e.likelyCause() + e.recommendedActions())
                .doesNotContain("<script>");
        assertThat(e.technique() == null ? null : e.technique().id()).isEqualTo(technique);
        assertThat(e.actions().get(0).wireName()).isEqualTo(firstAction);
        assertThat(e.actions()).doesNotContain(ResponseAction.NO_ACTION);
        assertThat(e.citedEvidence()).containsExactly("score", "queries");
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.recommendedActions()).isNotEmpty();
        assertThat(e.confidence()).isBetween(0.0, 1.0);
    }

    private static IncidentFacts queryAttack(Map<String, Long> reasons) {
        return new IncidentFacts(
                "inc-2",
                "query_attack",
                Severity.HIGH,
                "mnist",
                List.of("square-run1"),
                0,
                1,
                1L,
                2L,
                Map.of("nearDuplicates", 0L),
                reasons);
    }

    @Test
    void aQueryAttackIsDescribedByWhatItsSignalsSaw() {
        String windowed =
                new DeterministicExplainer()
                        .explain(queryAttack(Map.of("windowed_changes", 1L)))
                        .summary();
        String profile =
                new DeterministicExplainer()
                        .explain(queryAttack(Map.of("out_of_profile_windowed_changes", 1L)))
                        .summary();
        String near =
                new DeterministicExplainer()
                        .explain(queryAttack(Map.of("near_duplicate_queries", 3L)))
                        .summary();

        // nearDuplicates 0 in the evidence: the summary must not claim near-duplicates
        assertThat(windowed).contains("rewrite one window").doesNotContain("near-duplicate");
        assertThat(profile)
                .contains("outside the model's reference profile")
                .contains("rewrites a window")
                .doesNotContain("near-duplicate");
        assertThat(near).contains("near-duplicates of each other").doesNotContain("window");
    }
}
