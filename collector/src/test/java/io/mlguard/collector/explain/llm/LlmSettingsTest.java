package io.mlguard.collector.explain.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmSettingsTest {
    @Test
    void propertiesAndJsonGiveTheSameSettings(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("llm.properties");
        Files.writeString(
                props,
                "baseUrl=http://127.0.0.1:8000/v1\nmodel=qwen\napiKeyEnv=MY_KEY\ntimeoutSeconds=5\n");
        Path json = dir.resolve("llm.json");
        Files.writeString(
                json,
                "{\"baseUrl\":\"http://127.0.0.1:8000/v1\",\"model\":\"qwen\",\"apiKeyEnv\":\"MY_KEY\","
                        + "\"timeoutSeconds\":5}");
        LlmSettings a = LlmSettings.load(props);
        assertThat(LlmSettings.load(json)).isEqualTo(a);
        assertThat(a.timeout().toSeconds()).isEqualTo(5);
        assertThat(a.disclose()).isEmpty(); // the least leaves the host by default
        assertThat(a.strictSchema()).isTrue();
        assertThat(a.apiKey(Map.of("MY_KEY", "k"))).isEqualTo("k");
    }

    @Test
    void malformedFilesGiveAClearError(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"baseUrl\": ");
        assertThatThrownBy(() -> LlmSettings.load(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.json");
        Path props = dir.resolve("bad.properties");
        Files.writeString(props, "baseUrl=ftp://x\nmodel=m\n");
        assertThatThrownBy(() -> LlmSettings.load(props))
                .hasMessageContaining("bad.properties")
                .hasMessageContaining("baseUrl must be an http(s) URL");
        assertThatThrownBy(
                        () ->
                                LlmSettings.of(
                                        Map.of(
                                                "baseUrl",
                                                "http://h",
                                                "model",
                                                "m",
                                                "apiKey",
                                                "sk")))
                .hasMessageContaining("unknown key 'apiKey'");
        assertThatThrownBy(
                        () ->
                                LlmSettings.of(
                                        Map.of(
                                                "baseUrl",
                                                "http://h",
                                                "model",
                                                "m",
                                                "disclose",
                                                "everything")))
                .hasMessageContaining("unknown disclose value 'everything'");
        assertThatThrownBy(() -> LlmSettings.of(Map.of("baseUrl", "http://h")))
                .hasMessageContaining("'model' is required");
    }
}
