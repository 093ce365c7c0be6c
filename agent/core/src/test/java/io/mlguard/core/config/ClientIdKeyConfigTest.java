package io.mlguard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pseudonymisation key and the stats interval settings. */
class ClientIdKeyConfigTest {
    @TempDir Path tmp;

    @Test
    void withoutAKeyClientIdsAreKeptAndStatsComeEveryTenSeconds() {
        AgentConfig c = AgentConfig.load("", Map.of());
        assertThat(c.clientIdKey).isNull();
        assertThat(c.statsIntervalSeconds).isEqualTo(10);
        assertThat(c.asyncWrite).as("queue writes on the serving thread by default").isFalse();
        assertThat(AgentConfig.load("asyncWrite=true", Map.of()).asyncWrite).isTrue();
    }

    @Test
    void largeCapturesAreDeferredByDefaultAndTheRingSizesArePowersOfTwo() {
        AgentConfig c = AgentConfig.load("", Map.of());
        assertThat(c.deferSummaries).isTrue();
        assertThat(c.deferMode).isEqualTo("auto");
        assertThat(c.deferAboveElements).isEqualTo(2048);
        assertThat(c.toString()).contains("deferSummaries=auto, deferAboveElements=2048");
        assertThat(AgentConfig.load("deferAboveElements=100000", Map.of()).deferAboveElements)
                .isEqualTo(100_000);
        AgentConfig off = AgentConfig.load("deferSummaries=off", Map.of());
        assertThat(off.deferSummaries).isFalse();
        assertThat(off.toString()).contains("deferSummaries=false").doesNotContain("captureSlots");
        AgentConfig all = AgentConfig.load("", Map.of("MLGUARD_DEFER_SUMMARIES", "TRUE"));
        assertThat(all.deferAboveElements).as("every inference").isZero();
        assertThatThrownBy(() -> AgentConfig.load("deferSummaries=sometimes", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deferSummaries=sometimes is not auto, true or false");
        assertThat(c.captureSlots).isEqualTo(1024);
        assertThat(c.stageBytes).isEqualTo(4096 * 1024);
        assertThat(c.deferOnSpareCore).isTrue();
        assertThat(AgentConfig.load("deferOnSpareCore=false", Map.of()).deferOnSpareCore).isFalse();
        assertThat(all.deferOnSpareCore).as("only auto looks at the cores").isFalse();
        assertThat(c.captureSampleEvery).isEqualTo(64);
        AgentConfig set =
                AgentConfig.load(
                        "deferSummaries=true,captureSlots=100,stageKb=32",
                        Map.of("MLGUARD_CAPTURE_SAMPLE_EVERY", "3"));
        assertThat(set.deferSummaries).isTrue();
        assertThat(set.captureSlots).as("rounded down").isEqualTo(64);
        assertThat(set.stageBytes).isEqualTo(32 * 1024);
        assertThat(set.captureSampleEvery).isEqualTo(2);
        assertThat(set.toString()).contains("deferSummaries=true, captureSlots=64, stageKb=32");
        assertThatThrownBy(() -> AgentConfig.load("captureSlots=0", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captureSlots=0 is outside 1..65536");
    }

    @Test
    void theKeyFileIsReadWithoutItsTrailingLineBreak() throws Exception {
        Path key = tmp.resolve("key");
        Files.writeString(key, "0123456789abcdef-secret\n");
        AgentConfig c = AgentConfig.load("clientIdKeyFile=" + key, Map.of());
        assertThat(new String(c.clientIdKey, StandardCharsets.UTF_8))
                .isEqualTo("0123456789abcdef-secret");
        assertThat(c.toString()).contains("pseudonymised").doesNotContain("secret");
    }

    @Test
    void theKeyCanComeFromTheEnvironmentAndArgumentsWin() {
        AgentConfig env =
                AgentConfig.load("", Map.of("MLGUARD_CLIENT_ID_KEY", "an-env-key-of-20-bytes"));
        assertThat(new String(env.clientIdKey, StandardCharsets.UTF_8))
                .isEqualTo("an-env-key-of-20-bytes");
        AgentConfig arg =
                AgentConfig.load(
                        "clientIdKey=an-argument-key-0000",
                        Map.of("MLGUARD_CLIENT_ID_KEY", "an-env-key-of-20-bytes"));
        assertThat(new String(arg.clientIdKey, StandardCharsets.UTF_8))
                .isEqualTo("an-argument-key-0000");
    }

    @Test
    void badKeysAreClearErrors() {
        assertThatThrownBy(() -> AgentConfig.load("clientIdKey=short", Map.of()))
                .hasMessageContaining("5 bytes, it must be at least 16");
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> AgentConfig.load("clientIdKeyFile=" + missing, Map.of()))
                .hasMessageContaining("clientIdKeyFile=" + missing + " cannot be read");
        assertThatThrownBy(
                        () ->
                                AgentConfig.load(
                                        "clientIdKey=0123456789abcdef0",
                                        Map.of("MLGUARD_CLIENT_ID_KEY_FILE", "/k")))
                .hasMessageContaining("both set");
        assertThatThrownBy(() -> AgentConfig.load("statsIntervalSeconds=-1", Map.of()))
                .hasMessageContaining("outside 0..86400");
    }
}
