package io.mlguard.collector.respond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.collector.detect.Severity;
import io.mlguard.collector.detect.SignalType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponsePolicyTest {
    private static final String NOTIFIERS =
            "\"notifiers\": {\"ops\": {\"format\": \"alertmanager\","
                    + " \"url\": \"http://127.0.0.1:9093/api/v2/alerts\"}}";

    private static String policy(String rule) {
        return "{" + NOTIFIERS + ", \"rules\": [" + rule + "]}";
    }

    @Test
    void readsRulesNotifiersAndExemptions() {
        ResponsePolicy p =
                ResponsePolicy.parse(
                        "{"
                                + NOTIFIERS
                                + ", \"rules\": ["
                                + "{\"types\": [\"query_attack\", \"extraction\"],"
                                + " \"minSeverity\": \"high\", \"block\": \"PT15M\","
                                + " \"notify\": [\"ops\"]},"
                                + "{\"types\": [\"invalid_input\"],"
                                + " \"throttle\": {\"perSecond\": 2.5, \"for\": \"PT5M\"}}],"
                                + " \"neverBlock\": [\"healthcheck\"]}");

        assertThat(p.rules()).hasSize(2);
        ResponseRule block = p.rules().get(0);
        assertThat(block.types())
                .containsExactlyInAnyOrder(SignalType.QUERY_ATTACK, SignalType.EXTRACTION);
        assertThat(block.block()).isEqualTo(Duration.ofMinutes(15));
        assertThat(block.matches(SignalType.QUERY_ATTACK, Severity.HIGH)).isTrue();
        assertThat(block.matches(SignalType.QUERY_ATTACK, Severity.CRITICAL)).isTrue();
        assertThat(block.matches(SignalType.QUERY_ATTACK, Severity.MEDIUM)).isFalse();
        assertThat(block.matches(SignalType.DATA_DRIFT, Severity.CRITICAL)).isFalse();
        ResponseRule throttle = p.rules().get(1);
        assertThat(throttle.throttleRate()).isEqualTo(2.5);
        assertThat(throttle.throttleFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.minSeverity()).isEqualTo(Severity.LOW);
        assertThat(p.notifiers().get("ops").format()).isEqualTo(Notifier.Format.ALERTMANAGER);
        assertThat(p.neverBlock()).containsExactly("healthcheck");
        assertThat(p.controlsClients()).isTrue();
    }

    @Test
    void aNotifyOnlyPolicyNeedsNoControlQueue() {
        ResponsePolicy p =
                ResponsePolicy.parse(
                        policy("{\"types\": [\"data_drift\"], \"notify\": [\"ops\"]}"));
        assertThat(p.controlsClients()).isFalse();
    }

    @Test
    void mistakesAreNamedWithWhereTheyAre() {
        assertError("{", "not valid JSON");
        assertError("[]", "a response policy is a JSON object");
        assertError("{\"rule\": []}", "unknown key 'rule'");
        assertError(
                policy("{\"types\": [\"query_attak\"], \"block\": \"PT1M\"}"),
                "rules[0]: unknown incident type 'query_attak'");
        assertError(
                policy("{\"types\": [\"query_attack\"], \"block\": \"15 minutes\"}"),
                "rules[0]: block: '15 minutes' is not an ISO-8601 duration");
        assertError(
                policy("{\"types\": [\"query_attack\"], \"block\": \"P30D\"}"),
                "block must be between PT1S and P7D");
        assertError(
                policy("{\"types\": [\"data_drift\"], \"block\": \"PT1M\"}"),
                "'data_drift' incidents concern a model, not a client");
        assertError(
                policy("{\"types\": [\"query_attack\"], \"notify\": [\"pager\"]}"),
                "notify names 'pager', which is not among 'notifiers'");
        assertError(policy("{\"types\": [\"query_attack\"]}"), "the rule does nothing");
        assertError(
                policy(
                        "{\"types\": [\"query_attack\"], \"block\": \"PT1M\","
                                + " \"throttle\": {\"perSecond\": 1, \"for\": \"PT1M\"}}"),
                "either blocks or throttles");
        assertError(
                policy(
                        "{\"types\": [\"invalid_input\"],"
                                + " \"throttle\": {\"perSecond\": -1, \"for\": \"PT1M\"}}"),
                "perSecond must be a number above 0");
        assertError(
                policy(
                        "{\"types\": [\"query_attack\"], \"minSeverity\": \"urgent\","
                                + " \"block\": \"PT1M\"}"),
                "urgent");
        assertError(
                "{\"notifiers\": {\"x\": {\"url\": \"file:///etc/passwd\"}}}",
                "notifiers.x: notifier 'x': url must be an http(s) address");
        assertError(
                "{\"notifiers\": {\"x\": {\"format\": \"pager\", \"url\": \"http://h/\"}}}",
                "unknown notifier format 'pager'");
    }

    private static void assertError(String json, String message) {
        assertThatThrownBy(() -> ResponsePolicy.parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
