package io.mlguard.collector.respond;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One line of a response policy: incidents of these types at or above this severity get these
 * actions. A rule acts once per incident when the incident first matches it (when it opens, or when
 * its severity rises to the rule's), and blocks or throttles each client of the incident once.
 *
 * @param types the incident types the rule applies to
 * @param minSeverity the lowest severity it applies to
 * @param block how long to block each client of the incident, or {@code null}
 * @param throttleRate inferences a second allowed to each client, or 0 for no throttle
 * @param throttleFor how long the throttle lasts, or {@code null}
 * @param notifiers names of the notifiers to tell
 */
public record ResponseRule(
        Set<SignalType> types,
        Severity minSeverity,
        Duration block,
        double throttleRate,
        Duration throttleFor,
        List<String> notifiers) {

    public ResponseRule {
        types = Set.copyOf(types);
        notifiers = List.copyOf(notifiers);
    }

    /** Whether an incident of this type and severity is one this rule acts on. */
    public boolean matches(SignalType type, Severity severity) {
        return types.contains(type) && severity.compareTo(minSeverity) >= 0;
    }

    /** Whether the rule blocks or throttles clients (and so needs the control queue). */
    public boolean controlsClients() {
        return block != null || throttleRate > 0;
    }
}
