package io.mlguard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlguard.core.ModelHasher;
import java.io.File;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    @Test
    void argumentsWinOverTheEnvironmentAndDefaultsFillTheRest() {
        AgentConfig c =
                AgentConfig.load(
                        "queue=/q1, topK=3",
                        Map.of("MLGUARD_QUEUE", "/q2", "MLGUARD_CLIENT_HEADER", "X-Tenant"));
        assertThat(c.queueDir).isEqualTo(new File("/q1"));
        assertThat(c.topK).isEqualTo(3);
        assertThat(c.clientHeader).isEqualTo("X-Tenant");
        assertThat(c.maxElements).isEqualTo(65536);
        assertThat(c.captureFeatures).isFalse();
        assertThat(c.enabled).isTrue();
    }

    @Test
    void agentIdIsTheSettingElsePidAtHost() {
        assertThat(AgentConfig.load("agentId=edge-1", Map.of()).agentId()).isEqualTo("edge-1");
        assertThat(AgentConfig.load(null, Map.of("MLGUARD_AGENT_ID", "edge-2")).agentId())
                .isEqualTo("edge-2");
        String byDefault = AgentConfig.load(null, Map.of()).agentId();
        assertThat(byDefault).startsWith(ProcessHandle.current().pid() + "@");
        assertThat(byDefault.length())
                .as("a host name follows the pid")
                .isGreaterThan((ProcessHandle.current().pid() + "@").length());
    }

    @Test
    void badValuesNameTheSettingAndWhatIsWrong() {
        assertThatThrownBy(() -> AgentConfig.load("topK=many", Map.of()))
                .hasMessageContaining("topK=many is not a whole number");
        assertThatThrownBy(() -> AgentConfig.load("topK=99", Map.of()))
                .hasMessageContaining("outside 1..16");
        assertThatThrownBy(() -> AgentConfig.load("enabled=perhaps", Map.of()))
                .hasMessageContaining("not true or false");
        assertThatThrownBy(() -> AgentConfig.load("queue", Map.of()))
                .hasMessageContaining("'queue' is not key=value");
    }

    @Test
    void modelIdsComeFromTheRepositoryLayout() {
        assertThat(ModelHasher.modelIdFromPath(Paths.get("/models/mnist/1/model.onnx")))
                .isEqualTo("mnist");
        assertThat(ModelHasher.modelIdFromPath(Paths.get("/srv/credit-scorer.onnx")))
                .isEqualTo("credit-scorer");
        assertThat(ModelHasher.modelIdFromPath(Paths.get("model.onnx"))).isEqualTo("model");
    }

    @Test
    void everySettingTheAgentReadsIsInItsHelp() {
        java.util.List<String> keys = AgentConfig.settingKeys();
        assertThat(keys)
                .contains("queue", "enforce", "controlQueue", "captureSlots", "clientIdKey");
        for (String key : keys) {
            assertThat(io.mlguard.bootstrap.Usage.TEXT).as(key).contains(key + "=");
        }
    }
}
