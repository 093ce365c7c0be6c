package io.mlguard.collector.explain.llm;

import java.util.List;

/**
 * A past incident retrieved as context: what it was, the operator's verdict ({@code true_positive},
 * {@code false_positive} or {@code unreviewed}) and how it was explained. Client and model strings
 * are raw here; the prompt masks them, and the operator's {@code comment} (empty when none) too.
 */
public record PastIncident(
        String incidentId,
        String type,
        String severity,
        String model,
        List<String> clients,
        long count,
        String verdict,
        String summary,
        String comment,
        double similarity) {
    public PastIncident {
        clients = List.copyOf(clients);
    }
}
