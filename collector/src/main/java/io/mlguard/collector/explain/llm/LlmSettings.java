package io.mlguard.collector.explain.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How to reach the LLM and what may leave the host, from a {@code .properties} or {@code .json}
 * file (same keys). Anything unknown, missing or malformed is an {@link IllegalArgumentException}
 * naming the key, so the collector refuses to start rather than run half-configured.
 *
 * <p>Keys: {@code provider} ({@code openai}: any OpenAI-compatible server such as vLLM, llama.cpp,
 * LM Studio or Ollama's {@code /v1}; {@code ollama}: Ollama's own {@code /api/chat}), {@code
 * baseUrl}, {@code model}, {@code apiKeyEnv} (the name of an environment variable; the key itself
 * never sits in the file), {@code timeoutSeconds}, {@code maxAttempts}, {@code responseFormat}
 * ({@code json_schema} strict, or {@code json_object} for servers without schema support), {@code
 * disclose} (what may leave the host unmasked; default nothing), {@code queueCapacity}, {@code
 * retrievalK} and {@code memoryFile} (default {@code llm-memory.json} beside the settings file;
 * relative paths are resolved against the settings file's folder).
 */
public record LlmSettings(
        String provider,
        URI baseUrl,
        String model,
        String apiKeyEnv,
        Duration timeout,
        int maxAttempts,
        boolean strictSchema,
        Set<Disclosure> disclose,
        int queueCapacity,
        int retrievalK,
        Path memoryFile) {

    private static final Set<String> KEYS =
            Set.of(
                    "provider",
                    "baseUrl",
                    "model",
                    "apiKeyEnv",
                    "timeoutSeconds",
                    "maxAttempts",
                    "responseFormat",
                    "disclose",
                    "queueCapacity",
                    "retrievalK",
                    "memoryFile");

    public LlmSettings {
        disclose = disclose.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(disclose));
    }

    /** Reads a settings file; the error names the file and the offending key. */
    public static LlmSettings load(Path file) {
        Map<String, String> values = new HashMap<>();
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                JsonNode root = new ObjectMapper().readTree(file.toFile());
                if (root == null || !root.isObject()) {
                    throw new IllegalArgumentException(file + ": expected a JSON object");
                }
                root.fields()
                        .forEachRemaining(
                                e ->
                                        values.put(
                                                e.getKey(),
                                                e.getValue().isTextual()
                                                        ? e.getValue().asText()
                                                        : e.getValue().toString()));
            } else {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException
                    && e.getMessage().startsWith(file.toString())) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(
                    "cannot read LLM settings " + file + ": " + e.getMessage(), e);
        }
        try {
            LlmSettings s = of(values);
            // The memory lives beside the settings unless told otherwise: it must survive restarts.
            Path dir = file.toAbsolutePath().getParent();
            Path memory =
                    s.memoryFile() == null
                            ? dir.resolve("llm-memory.json")
                            : dir.resolve(s.memoryFile());
            return new LlmSettings(
                    s.provider(),
                    s.baseUrl(),
                    s.model(),
                    s.apiKeyEnv(),
                    s.timeout(),
                    s.maxAttempts(),
                    s.strictSchema(),
                    s.disclose(),
                    s.queueCapacity(),
                    s.retrievalK(),
                    memory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Settings from key/value pairs (the file's content). */
    public static LlmSettings of(Map<String, String> v) {
        for (String k : v.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "'; known: " + KEYS);
            }
        }
        String provider = v.getOrDefault("provider", "openai").toLowerCase(Locale.ROOT);
        if (!provider.equals("openai") && !provider.equals("ollama")) {
            throw new IllegalArgumentException(
                    "provider must be openai or ollama, got '" + provider + "'");
        }
        URI base = uri(required(v, "baseUrl"));
        String model = required(v, "model");
        String apiKeyEnv = v.get("apiKeyEnv");
        if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "apiKeyEnv must name an environment variable, not hold a key");
        }
        String format = v.getOrDefault("responseFormat", "json_schema");
        if (!format.equals("json_schema") && !format.equals("json_object")) {
            throw new IllegalArgumentException(
                    "responseFormat must be json_schema or json_object, got '" + format + "'");
        }
        Set<Disclosure> disclose = EnumSet.noneOf(Disclosure.class);
        for (String d : v.getOrDefault("disclose", "").split(",")) {
            if (!d.isBlank()) {
                disclose.add(Disclosure.ofWireName(d.trim()));
            }
        }
        String memory = v.get("memoryFile");
        return new LlmSettings(
                provider,
                base,
                model,
                apiKeyEnv,
                Duration.ofSeconds(integer(v, "timeoutSeconds", 30, 1, 600)),
                integer(v, "maxAttempts", 2, 1, 5),
                format.equals("json_schema"),
                disclose,
                integer(v, "queueCapacity", 100, 1, 100_000),
                integer(v, "retrievalK", 3, 0, 20),
                memory == null || memory.isBlank() ? null : Path.of(memory));
    }

    /** The API key from the named environment variable, or {@code null}. */
    public String apiKey(Map<String, String> env) {
        return apiKeyEnv == null ? null : env.get(apiKeyEnv);
    }

    private static String required(Map<String, String> v, String key) {
        String s = v.get(key);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' is required");
        }
        return s;
    }

    private static URI uri(String s) {
        URI u;
        try {
            u = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: '" + s + "'", e);
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
                || u.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, got '" + s + "'");
        }
        return u;
    }

    private static int integer(Map<String, String> v, String key, int def, int min, int max) {
        String s = v.get(key);
        if (s == null) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a whole number, got '" + s + "'", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    key + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
