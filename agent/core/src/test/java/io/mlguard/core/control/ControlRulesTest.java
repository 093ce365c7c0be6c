package io.mlguard.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.protocol.ControlRecord;
import org.junit.jupiter.api.Test;

class ControlRulesTest {
    static final long NOW = 1_000_000L;
    final ControlRules rules = new ControlRules();

    static ControlRecord command(ControlRecord.Action a, String client, long expires, double rate) {
        ControlRecord c = new ControlRecord();
        c.action = a;
        c.clientId = client;
        c.expiresAtMillis = expires;
        c.ratePerSecond = rate;
        c.reason = "inc-7";
        return c;
    }

    @Test
    void aBlockRefusesOnlyThatClientAndExpires() {
        rules.apply(command(ControlRecord.Action.BLOCK, "mallory", NOW + 1000, 0), NOW, 0);
        assertThat(rules.refusal("mallory", "mnist", NOW, 0))
                .contains("client 'mallory' is blocked until")
                .contains("inc-7");
        assertThat(rules.refusal("alice", "mnist", NOW, 0)).isNull();
        assertThat(rules.refusal("mallory", "mnist", NOW + 1000, 0)).isNull();
        assertThat(rules.isEmpty()).as("expired rules are dropped").isTrue();
    }

    @Test
    void expiredCommandsAndLiftsLeaveNoRule() {
        rules.apply(command(ControlRecord.Action.BLOCK, "old", NOW - 1, 0), NOW, 0);
        assertThat(rules.isEmpty()).isTrue();
        rules.apply(command(ControlRecord.Action.BLOCK, "m", NOW + 1000, 0), NOW, 0);
        rules.apply(command(ControlRecord.Action.LIFT, "m", NOW + 1000, 0), NOW, 0);
        assertThat(rules.refusal("m", null, NOW, 0)).isNull();
    }

    @Test
    void aRuleForOneModelLeavesOthersAlone() {
        ControlRecord c = command(ControlRecord.Action.BLOCK, "m", NOW + 1000, 0);
        c.model = "credit";
        rules.apply(c, NOW, 0);
        assertThat(rules.refusal("m", "mnist", NOW, 0)).isNull();
        assertThat(rules.refusal("m", "credit", NOW, 0)).isNotNull();
    }

    @Test
    void throttleAllowsTheRateAndRefusesTheRest() {
        rules.apply(command(ControlRecord.Action.THROTTLE, "t", NOW + 60_000, 2), NOW, 0);
        long second = 1_000_000_000L;
        int allowed = 0;
        // 100 calls spread evenly over 10 seconds: 2/s allowed, plus the initial burst of 2
        for (int i = 0; i < 100; i++) {
            if (rules.refusal("t", null, NOW, i * second / 10) == null) {
                allowed++;
            }
        }
        assertThat(allowed).isBetween(20, 22);
        assertThat(rules.refusal("t", null, NOW, 100 * second)).isNull();
    }

    static ControlRecord sample(String client, String model, long expires, int every) {
        ControlRecord c = command(ControlRecord.Action.SAMPLE, client, expires, 0);
        c.model = model;
        c.recordEvery = every;
        return c;
    }

    /** How many of {@code n} inferences of {@code client} on {@code model} are recorded. */
    int recorded(String client, String model, int n, long now) {
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (rules.records(client, model, now)) {
                r++;
            }
        }
        return r;
    }

    @Test
    void samplingRecordsOneInEveryAndItsOwnRuleBeatsTheEveryClientOne() {
        assertThat(rules.samples()).isFalse();
        assertThat(recorded("alice", "mnist", 10, NOW)).as("no rule: every one").isEqualTo(10);
        rules.apply(sample(ControlRecord.EVERY_CLIENT, null, NOW + 1000, 4), NOW, 0);
        rules.apply(sample("mallory", null, NOW + 1000, 1), NOW, 0);
        assertThat(rules.samples()).isTrue();
        assertThat(rules.isEmpty()).as("sampling is neither a block nor a throttle").isTrue();
        assertThat(recorded("alice", "mnist", 100, NOW)).isEqualTo(25);
        assertThat(recorded(null, "mnist", 8, NOW)).as("no client known").isEqualTo(2);
        assertThat(recorded("mallory", "mnist", 100, NOW)).as("its own rule: all").isEqualTo(100);
        // a newer command replaces the client's rule; a lift removes it (the every-client rule
        // applies to it again)
        rules.apply(sample("mallory", null, NOW + 1000, 10), NOW, 0);
        assertThat(recorded("mallory", "mnist", 100, NOW)).isEqualTo(10);
        rules.apply(command(ControlRecord.Action.LIFT, "mallory", NOW + 1000, 0), NOW, 0);
        assertThat(recorded("mallory", "mnist", 100, NOW)).isEqualTo(25);
        // expired: every inference is recorded again, and the rules are gone
        assertThat(recorded("alice", "mnist", 10, NOW + 1000)).isEqualTo(10);
        assertThat(rules.samples()).isFalse();
    }

    @Test
    void aSamplingRuleForOneModelLeavesOthersAloneAndABlockStaysBesideIt() {
        rules.apply(command(ControlRecord.Action.BLOCK, "m", NOW + 1000, 0), NOW, 0);
        rules.apply(sample("m", "credit", NOW + 1000, 2), NOW, 0);
        assertThat(recorded("m", "mnist", 10, NOW)).isEqualTo(10);
        assertThat(recorded("m", "credit", 10, NOW)).isEqualTo(5);
        assertThat(rules.refusal("m", "credit", NOW, 0)).as("still blocked").isNotNull();
    }
}
